/* Prints the shape of every event pdig builds in one schema, for
 * check_emitted.py to hold against that schema's own driver table: for
 * each syscall number, enter and exit, a call that succeeds with readable
 * arguments and one that fails with unreadable ones, then procexit and
 * signaldeliver. One line per event:
 *   NR DIR TYPE NPARAMS LEN0,LEN1,...
 * DIR is e, x (syscall) or p, s (procexit, signaldeliver; NR -1).
 * Usage: emit_dump SCHEMA (a name pdig --schema takes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake.h"
#include "schema/event_layout.h"

static uint8_t buf[1 << 17];

static void print_event(long nr, char dir, const uint8_t *e, size_t n)
{
	if (!n)
		return;
	uint32_t np = evt_nparams(e);
	printf("%ld %c %u %u ", nr, dir, evt_type(e), np);
	for (uint32_t i = 0; i < np; i++) {
		uint16_t len;
		memcpy(&len, e + EVT_HDR_LEN + 2 * i, 2);
		printf("%s%u", i ? "," : "", len);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	int id = argc == 2 ? pdig_schema_parse(argv[1]) : -1;
	if (id < 0) {
		fprintf(stderr, "usage: emit_dump SCHEMA\n");
		return 2;
	}
	const struct pdig_schema *s = pdig_schema_get((enum pdig_schema_id)id);

	struct fake_mem fm;
	fake_mem_init(&fm);
	/* one readable page for every pointer argument: a path, then zeros
	 * (empty arrays, zero structs) */
	static uint8_t page[4096];
	strcpy((char *)page, "/etc/passwd");
	const uint64_t A = 0x10000;
	fake_mem_map(&fm, A, page, sizeof page);

	struct fake_state fs;
	fake_state_init(&fs);
	fs.has_proc = 1;
	fs.proc.tid = T_TID;
	fs.proc.pid = T_PID;
	strcpy(fs.proc.comm, "cat");
	strcpy(fs.proc.exe, "/usr/bin/cat");
	fake_state_fd(&fs, T_PID, 3, 8, 1234);

	for (long nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		for (int variant = 0; variant < 2; variant++) {
			struct enc_ctx c;
			if (variant == 0) {
				fake_ctx(&c, &fm, &fs, (uint64_t)nr, A, A, A, A, A, A);
				c.ret = 3;
			} else {
				fake_ctx(&c, &fm, &fs, (uint64_t)nr, 3, 0, 0, 0, 0, 0);
				c.ret = -2;
			}
			c.schema = s;
			for (int is_exit = 0; is_exit < 2; is_exit++)
				print_event(nr, is_exit ? 'x' : 'e', buf,
				            encode_syscall(is_exit, &c, buf, sizeof buf));
		}
	}
	print_event(-1, 'p', buf, encode_procexit(s, T_TS, T_TID, 9, buf, sizeof buf));
	print_event(-1, 's', buf, encode_signaldeliver(s, T_TS, T_TID, 1, 15, buf, sizeof buf));
	fake_mem_free(&fm);
	return 0;
}
