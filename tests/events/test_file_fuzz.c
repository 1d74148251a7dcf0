/* Every syscall whose enter or exit event the file and fd families
 * encode, with random registers: every event must be well-formed (len ==
 * sum, nparams == schema, strings >= 1 byte), with all-unmapped memory,
 * with random mapped bytes, and in buffers too small to hold it (then 0,
 * never a write past the end). */
#include <stdlib.h>

#include "events/families.h"
#include "fake.h"

static const struct enc_def file_encoders[] = { FILE_ENCODERS(ENC_DEF) { 0, NULL } };
static const struct enc_def fd_encoders[] = { FD_ENCODERS(ENC_DEF) { 0, NULL } };
static const struct enc_def modern_encoders[] = { MODERN_ENCODERS(ENC_DEF) { 0, NULL } };

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

#define MAPPED 0x100000ull
#define MAPLEN 8192

/* Mostly interesting values: small ints, AT_FDCWD, pointers into the
 * mapped area (when any), its last bytes, huge numbers. */
static uint64_t rnd_arg(void)
{
	switch (rnd() % 8) {
	case 0: return rnd() % 16;
	case 1: return (uint64_t)-100;
	case 2: return 0xffffff9cull;
	case 3: return MAPPED + rnd() % MAPLEN;
	case 4: return MAPPED + MAPLEN - 1 - rnd() % 24;
	case 5: return 0;
	case 6: return ~0ull - rnd() % 4;
	default: return rnd();
	}
}

static int in_family(const struct enc_def *fam, uint16_t ev)
{
	for (const struct enc_def *e = fam; e->fn; e++)
		if (e->event == ev)
			return 1;
	return 0;
}

static int registered(uint16_t ev)
{
	return in_family(file_encoders, ev) || in_family(fd_encoders, ev);
}

static uint8_t buf[200 * 1024];

static void one(const struct enc_ctx *c, int is_exit)
{
	struct devent d;
	size_t n = encode_syscall(is_exit, c, buf, sizeof(buf));
	if (!n) {
		CHECK_FAIL("nr %llu: no event", (unsigned long long)c->nr);
		return;
	}
	const char *why = devent_parse(buf, n, &d);
	if (why) {
		CHECK_FAIL("nr %llu %s: %s", (unsigned long long)c->nr, is_exit ? "exit" : "enter", why);
	}
	/* a buffer too small: nothing, and nothing written past cap */
	size_t cap = rnd() % n;
	memset(buf, 0xa5, n + 16);
	size_t m = encode_syscall(is_exit, c, buf, cap);
	CHECK_EQ_INT(m, 0);
	for (size_t i = cap; i < n + 16; i++)
		if (buf[i] != 0xa5) {
			CHECK_FAIL("nr %llu: wrote past cap %zu", (unsigned long long)c->nr, cap);
			break;
		}
}

/* rounds random calls of syscall nr in schema s (NULL: 1.0.0), half of
 * them against mapped memory; the enter too where s's drivers send it */
static void fuzz_syscall(uint64_t nr, const struct pdig_schema *s, int rounds, struct fake_mem *mapped,
			 struct fake_mem *unmapped, struct fake_state *fs)
{
	devent_schema(s);
	for (int it = 0; it < rounds; it++) {
		struct enc_ctx c;
		struct fake_mem *m = it % 2 ? mapped : unmapped;
		fake_ctx(&c, m, fs, nr, rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg(), rnd_arg());
		c.ret = it % 3 ? (int64_t)rnd_arg() : -(int64_t)(rnd() % 140);
		c.snaplen = rnd() % 3 ? (uint32_t)(rnd() % 256) : (uint32_t)rnd();
		c.schema = s;
		if (!s || encode_enter_sent(s, nr))
			one(&c, 0);
		one(&c, 1);
	}
	devent_schema(NULL);
}

int main(void)
{
	struct fake_mem unmapped, mapped;
	struct fake_state fs;
	static uint8_t junk[MAPLEN];
	fake_mem_init(&unmapped);
	fake_mem_init(&mapped);
	fake_state_init(&fs);
	for (size_t i = 0; i < MAPLEN; i++)
		junk[i] = (uint8_t)(rnd() % 4 ? 'a' + rnd() % 26 : rnd());
	fake_mem_map(&mapped, MAPPED, junk, MAPLEN);
	for (int fd = 0; fd < 16; fd++)
		fake_state_fd(&fs, T_PID, fd, rnd(), rnd());

	int syscalls = 0;
	for (uint64_t nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const struct pdig_syscall *sc = pdig_syscall_info(nr);
		if (!sc || !(registered(sc->enter) || registered(sc->exit)))
			continue;
		syscalls++;
		fuzz_syscall(nr, NULL, 300, &mapped, &unmapped, &fs);
	}
	/* the 58 native syscalls of the two families (open ... openat2,
	 * quotactl, read ... copy_file_range) */
	CHECK_EQ_INT(syscalls, 58);
	printf("fuzzed %d syscalls\n", syscalls);

	/* the same in the modern schemas, with their routing (dup2, pipe2,
	 * chown ... have their own events there) and no enter where their
	 * drivers send none */
	int modern = 0;
	for (int id = SCHEMA_4_0_1; id < SCHEMA_COUNT; id++) {
		const struct pdig_schema *s = pdig_schema_get((enum pdig_schema_id)id);
		for (uint64_t nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
			const struct pdig_syscall *sc = pdig_schema_syscall(s, nr);
			if (!sc || !pdig_syscall_reported(nr) ||
			    !(registered(sc->enter) || registered(sc->exit) || in_family(modern_encoders, sc->exit)))
				continue;
			modern++;
			fuzz_syscall(nr, s, 100, &mapped, &unmapped, &fs);
		}
	}
	CHECK_MSG(modern > 3 * 58, "%d (schema, syscall) pairs fuzzed in the modern schemas", modern);
	fake_mem_free(&mapped);
	return check_done("test_file_fuzz");
}
