/* Every encoder of the net, process and misc families, run with random
 * registers and return values against (a) memory where nothing is mapped
 * and (b) memory full of random bytes, plus a garbage proc snapshot: each
 * event must be well formed with exactly the schema's nparams, in every
 * schema that has the event. */
#include <stdlib.h>

#include "events/families.h"
#include "fake.h"

static const struct enc_def net_encoders[] = { NET_ENCODERS(ENC_DEF) { 0, NULL } };
static const struct enc_def process_encoders[] = { PROCESS_ENCODERS(ENC_DEF) { 0, NULL } };
static const struct enc_def misc_encoders[] = { MISC_ENCODERS(ENC_DEF) { 0, NULL } };

static uint8_t buf[1 << 18];
static uint8_t junk[8192];

static uint64_t rnd64(void)
{
	return ((uint64_t)rand() << 42) ^ ((uint64_t)rand() << 21) ^ (uint64_t)rand();
}

/* Registers that are sometimes small, sometimes pointers into junk. */
static uint64_t rnd_arg(void)
{
	switch (rand() % 5) {
	case 0: return (uint64_t)(rand() % 64);
	case 1: return 0x10000 + (uint64_t)(rand() % (int)sizeof(junk));
	case 2: return (uint64_t)-(int64_t)(rand() % 200);
	case 3: return 0;
	default: return rnd64();
	}
}

static void run_one(const struct enc_def *e, const struct pdig_schema *s, const char *name, struct fake_mem *fm,
		    struct fake_state *fs);

static void run_family(const struct enc_def *defs, const char *name, struct fake_mem *fm,
		       struct fake_state *fs)
{
	for (const struct enc_def *e = defs; e->fn; e++)
		for (int id = 0; id < SCHEMA_COUNT; id++) {
			const struct pdig_schema *s = pdig_schema_get((enum pdig_schema_id)id);
			if (pdig_schema_event(s, e->event))
				run_one(e, s, name, fm, fs);
		}
}

static void run_one(const struct enc_def *e, const struct pdig_schema *s, const char *name, struct fake_mem *fm,
		    struct fake_state *fs)
{
	{
		devent_schema(s);
		for (int it = 0; it < 300; it++) {
			struct enc_ctx c;
			fake_ctx(&c, fm, fs, 0, rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg());
			c.ret = rand() % 3 ? (int64_t)(rand() % 100) - 20 : (int64_t)rnd64();
			c.snaplen = (uint32_t)(rand() % 3 ? 80 : 70000);
			struct evbuf b;
			evb_begin_in(&b, s, buf, sizeof(buf), e->event, c.ts, (uint64_t)c.tid);
			e->fn(&b, &c);
			size_t n = evb_finish(&b);
			struct devent d;
			const char *why = n ? devent_parse(buf, n, &d) : "not encoded";
			if (why) {
				CHECK_FAIL("%s: event %u (schema %s): %s", name, e->event, s->version, why);
				break;
			}
			CHECK_EQ_INT(d.nparams, pdig_schema_event(s, e->event)->nparams);
			/* too small a buffer: no event, nothing written past cap */
			size_t cap = (size_t)rand() % n;
			memset(buf, 0xa5, n + 16);
			evb_begin_in(&b, s, buf, cap, e->event, c.ts, (uint64_t)c.tid);
			e->fn(&b, &c);
			CHECK_EQ_INT(evb_finish(&b), 0);
			for (size_t i = cap; i < n + 16; i++)
				if (buf[i] != 0xa5) {
					CHECK_FAIL("%s: event %u wrote past cap", name, e->event);
					break;
				}
		}
		devent_schema(NULL);
	}
}

int main(void)
{
	struct fake_mem fm;
	struct fake_state fs;
	srand(12345);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)rand();

	/* (a) nothing mapped, no process state */
	fake_mem_init(&fm);
	fake_state_init(&fs);
	run_family(net_encoders, "net/unmapped", &fm, &fs);
	run_family(process_encoders, "process/unmapped", &fm, &fs);
	run_family(misc_encoders, "misc/unmapped", &fm, &fs);

	/* (b) random bytes everywhere the registers may point, a garbage
	 * snapshot with out-of-range lengths and sockets with junk names */
	fake_mem_map(&fm, 0x10000, junk, sizeof(junk));
	fs.has_proc = 1;
	memset(&fs.proc, 'A', sizeof(fs.proc));
	fs.proc.args_len = fs.proc.env_len = fs.proc.cgroups_len = (size_t)-1;
	for (int fd = 0; fd < 8; fd++) {
		struct sock_names sn;
		memcpy(&sn, junk + fd * 300, sizeof(sn));
		sn.local.ss_family = (sa_family_t)(fd % 3 == 0 ? AF_UNIX : fd % 3 == 1 ? AF_INET : AF_INET6);
		fake_state_sock(&fs, T_PID, fd, &sn, rnd64());
	}
	run_family(net_encoders, "net/junk", &fm, &fs);
	run_family(process_encoders, "process/junk", &fm, &fs);
	run_family(misc_encoders, "misc/junk", &fm, &fs);
	fake_mem_free(&fm);
	return check_done("test_proc_net_fuzz");
}
