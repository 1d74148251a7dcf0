/* Since libs 0.22 most exits carry their enter's params after their own.
 * For every syscall routed in schema 4.5.1 whose exit ends, past its 1.0.0
 * params, with exactly its enter's params (by the table's names), the
 * modern exit's tail must hold the bytes the 1.0.0 enter holds for the
 * same call: the list in families.h is complete and in the right order.
 * The 1.0.0 exit stays as it was, and the 4.1.0 exit is the 4.5.1 one
 * cut to its own count. */
#include <stdlib.h>

#include "fake.h"

static uint8_t ebuf[1 << 17], xbuf[1 << 17], obuf[1 << 17];

/* Does exit type's param list in s, past its 1.0.0 count, equal its
 * enter's param list in s (names and types)? */
static int tail_is_enter(const struct pdig_schema *s, uint16_t type, uint32_t base)
{
	const struct pdig_event *x = pdig_schema_event(s, type), *e = pdig_schema_event(s, type - 1);
	if (!x || !e || x->nparams <= base || x->nparams - base != e->nparams)
		return 0;
	for (uint32_t i = 0; i < e->nparams; i++)
		if (strcmp(x->params[base + i].name, e->params[i].name) ||
		    x->params[base + i].type != e->params[i].type)
			return 0;
	return 1;
}

/* Readable memory behind every pointer argument: text with NULs now and
 * then, so strings end, iovecs and sockaddrs hold something. */
static void map_args(struct fake_mem *fm, uint64_t *args)
{
	static uint8_t area[4096];
	for (size_t i = 0; i < sizeof area; i++)
		area[i] = (i % 29 == 28) ? 0 : (uint8_t)('a' + i % 26);
	/* a sockaddr_in at the start: family AF_INET, port, address */
	area[0] = 2; area[1] = 0; area[2] = 0x1f; area[3] = 0x90;
	area[4] = 127; area[5] = 0; area[6] = 0; area[7] = 1;
	for (int i = 0; i < 6; i++)
		fake_mem_map(fm, 0x100000u * (uint64_t)(i + 1), area, sizeof area);
	args[0] = 3;               /* an fd, a pid, an id */
	args[1] = 0x200000;        /* a pointer */
	args[2] = 16;              /* a length, a count */
	args[3] = 0x400000;        /* a pointer */
	args[4] = 5;
	args[5] = 0x600000;
}

int main(void)
{
	const struct pdig_schema *s1 = pdig_schema_get(SCHEMA_1_0_0);
	const struct pdig_schema *s41 = pdig_schema_get(SCHEMA_4_1_0);
	const struct pdig_schema *s45 = pdig_schema_get(SCHEMA_4_5_1);
	struct fake_mem fm;
	struct fake_state fs;
	fake_mem_init(&fm);
	fake_state_init(&fs);
	int checked = 0;
	uint64_t a[6];
	map_args(&fm, a);
	for (uint64_t nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const struct pdig_syscall *sc = pdig_schema_syscall(s45, nr);
		const struct pdig_syscall *old = pdig_schema_syscall(s1, nr);
		if (!sc || !old || sc->exit != old->exit || !pdig_syscall_reported(nr))
			continue;
		uint16_t type = sc->exit;
		uint32_t base = s1->events[type].nparams;
		if (!tail_is_enter(s45, type, base))
			continue;
		struct enc_ctx c;
		fake_ctx(&c, &fm, &fs, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		c.ret = 7;
		struct devent de, dx, dold;
		c.schema = s1;
		size_t ne = t_encode(0, &c, ebuf, sizeof ebuf, &de);
		size_t no = t_encode(1, &c, obuf, sizeof obuf, &dold);
		c.schema = s45;
		size_t nx = t_encode(1, &c, xbuf, sizeof xbuf, &dx);
		CHECK_MSG(ne && nx && no, "nr %llu: events encoded", (unsigned long long)nr);
		if (!ne || !nx || !no)
			continue;
		checked++;
		/* the 1.0.0 enter's params; an enter that grew since (seccomp's
		 * flags) is checked by its own test */
		const struct pdig_event *e = pdig_schema_event(s45, type - 1);
		for (uint32_t i = 0; i < de.nparams; i++) {
			const struct dparam *want = &de.p[i], *got = &dx.p[base + i];
			CHECK_MSG(want->len == got->len && !memcmp(want->val, got->val, want->len),
			          "%s exit param %u (%s) is the enter's", e->name, base + i, e->params[i].name);
		}
		/* the modern exit's first params are the 1.0.0 exit's */
		for (uint32_t i = 0; i < base; i++)
			CHECK_MSG(dold.p[i].len == dx.p[i].len && !memcmp(dold.p[i].val, dx.p[i].val, dx.p[i].len),
			          "%s exit param %u as in 1.0.0", e->name, i);
		/* 4.1.0 keeps its own count of the same params */
		c.schema = s41;
		struct devent d41;
		if (t_encode(1, &c, obuf, sizeof obuf, &d41))
			CHECK_EQ_INT(d41.nparams, pdig_schema_event(s41, type)->nparams);
	}
	/* seccomp's enter grew flags in 4.0.1: its exit's last param */
	struct enc_ctx c;
	struct devent d;
	fake_ctx(&c, &fm, &fs, 317 /* seccomp */, 1, 8, 0, 0, 0, 0);
	c.schema = s45;
	if (t_encode(1, &c, xbuf, sizeof xbuf, &d)) {
		CHECK_EQ_INT(d.nparams, 3);
		CHECK_EQ_INT(dp_u64(&d.p[1]), 1);
		CHECK_EQ_INT(dp_u64(&d.p[2]), 8);
	}
	/* read, write, close, connect, bind, listen, pread, mmap... */
	CHECK_MSG(checked >= 40, "%d exits with an enter tail checked", checked);
	fake_mem_free(&fm);
	return check_done("test_exit_tails");
}
