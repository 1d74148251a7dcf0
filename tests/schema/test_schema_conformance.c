/* Checks our generated schema (event_table.c) and default traced set
 * against the consumer's own tables, read raw out of libscap.so with
 * dlopen. Layouts: docs/schema.md §2. Every difference is printed; any
 * difference, or a missing library, fails the test. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "check.h"
#include "schema/schema.h"

#define DEFAULT_LIBSCAP "/usr/lib/x86_64-linux-gnu/libscap.so"

/* Raw layouts of the consumer's structs (packed unless noted). */
#define EI_STRIDE 1612
#define EI_NAME 0
#define EI_CATEGORY 32
#define EI_FLAGS 36
#define EI_NPARAMS 40
#define EI_PARAMS 44
#define PI_STRIDE 49
#define PI_TYPE 32
#define PI_FMT 36
#define PI_INFO 40
#define PI_NINFO 48
#define SC_STRIDE 12
#define NV_STRIDE 16 /* struct ppm_name_value: natural alignment */
#define SD_STRIDE 16 /* struct ppm_syscall_desc: natural alignment */
#define NAME_LEN 32

/* One field that differs from libscap's; corrupt_check.py looks for the
 * "MISMATCH: " lines. */
#define bad(...) CHECK_FAIL("MISMATCH: " __VA_ARGS__)

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* Fixed-size name field, NUL-padded. */
static void fixname(char out[NAME_LEN + 1], const uint8_t *p)
{
	memcpy(out, p, NAME_LEN);
	out[NAME_LEN] = 0;
}

static const char *nz(const char *s) { return s ? s : "(null)"; }

static void check_flag_table(int ev, int pi, const uint8_t *theirs, const struct pdig_flag_name *ours)
{
	if (!ours) {
		bad("event %d param %d: libscap has a flag table, ours has none", ev, pi);
		return;
	}
	for (int i = 0; i < 512; i++) {
		const uint8_t *nv = theirs + (size_t)i * NV_STRIDE;
		const char *tname = (const char *)(uintptr_t)rd64(nv);
		uint32_t tval = rd32(nv + 8);
		if (!tname && !ours[i].name)
			return;
		if (!tname || !ours[i].name || strcmp(tname, ours[i].name) || tval != ours[i].value) {
			bad("event %d param %d flag %d: libscap %s=0x%x, ours %s=0x%x", ev, pi, i,
			    nz(tname), tval, nz(ours[i].name), ours[i].value);
			return;
		}
	}
	bad("event %d param %d: flag table has no terminator within 512 entries", ev, pi);
}

/* One ppm_param_info against one pdig_param; recurses once for PT_DYN. */
static void check_param(int ev, int pi, const uint8_t *p, const struct pdig_param *q, int depth)
{
	char tname[NAME_LEN + 1];
	fixname(tname, p);
	uint32_t type = rd32(p + PI_TYPE), fmt = rd32(p + PI_FMT);
	uint64_t info = rd64(p + PI_INFO);
	uint8_t ninfo = p[PI_NINFO];

	if (!q->name || strcmp(tname, q->name))
		bad("event %d param %d: name libscap '%s', ours '%s'", ev, pi, tname, nz(q->name));
	if (type != q->type)
		bad("event %d param %d (%s): type libscap %u, ours %u", ev, pi, tname, type, q->type);
	if (fmt != q->fmt)
		bad("event %d param %d (%s): fmt libscap %u, ours %u", ev, pi, tname, fmt, q->fmt);

	if (type == PT_FSRELPATH) {
		if (info != q->dirfd)
			bad("event %d param %d (%s): dirfd index libscap %llu, ours %u", ev, pi, tname,
			    (unsigned long long)info, q->dirfd);
	} else if (type == PT_DYN) {
		if (ninfo != q->ndyn) {
			bad("event %d param %d (%s): dyn entries libscap %u, ours %u", ev, pi, tname, ninfo, q->ndyn);
		} else if (depth == 0 && ninfo) {
			if (!info || !q->dyn) {
				bad("event %d param %d (%s): dyn table missing", ev, pi, tname);
				return;
			}
			for (int i = 0; i < ninfo; i++)
				check_param(ev, pi, (const uint8_t *)(uintptr_t)info + (size_t)i * PI_STRIDE,
					    &q->dyn[i], 1);
		}
	} else if (info) {
		check_flag_table(ev, pi, (const uint8_t *)(uintptr_t)info, q->flags);
	} else if (q->flags) {
		bad("event %d param %d (%s): ours has a flag table, libscap none", ev, pi, tname);
	}
}

static void check_events(const uint8_t *ei)
{
	for (int ev = 0; ev < PDIG_EVENT_MAX; ev++) {
		const uint8_t *e = ei + (size_t)ev * EI_STRIDE;
		const struct pdig_event *o = &pdig_events[ev];
		char name[NAME_LEN + 1];
		fixname(name, e + EI_NAME);
		uint32_t cat = rd32(e + EI_CATEGORY), flags = rd32(e + EI_FLAGS), np = rd32(e + EI_NPARAMS);

		if (!o->name || strcmp(name, o->name))
			bad("event %d: name libscap '%s', ours '%s'", ev, name, nz(o->name));
		if (cat != o->category)
			bad("event %d (%s): category libscap %u, ours %u", ev, name, cat, o->category);
		if (flags != o->flags)
			bad("event %d (%s): flags libscap 0x%x, ours 0x%x", ev, name, flags, o->flags);
		if (np != o->nparams) {
			bad("event %d (%s): nparams libscap %u, ours %u", ev, name, np, o->nparams);
			continue;
		}
		if (np > PDIG_MAX_PARAMS) {
			bad("event %d (%s): nparams %u exceeds 32", ev, name, np);
			continue;
		}
		if (np && !o->params) {
			bad("event %d (%s): ours has no param list", ev, name);
			continue;
		}
		for (uint32_t i = 0; i < np; i++)
			check_param(ev, (int)i, e + EI_PARAMS + (size_t)i * PI_STRIDE, &o->params[i], 0);
	}
}

static void check_syscalls(const uint8_t *st, const uint32_t *route)
{
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const uint8_t *s = st + (size_t)nr * SC_STRIDE;
		uint32_t flags = rd32(s), enter = rd32(s + 4), exit = rd32(s + 8);
		const struct pdig_syscall *o = &pdig_syscalls[nr];
		if (flags != o->flags || enter != o->enter || exit != o->exit)
			bad("syscall %d (%s): libscap flags 0x%x enter %u exit %u, ours flags 0x%x enter %u exit %u",
			    nr, nz(pdig_native_names[nr]), flags, enter, exit, o->flags, o->enter, o->exit);
		if (route[nr] != o->ppm_sc)
			bad("syscall %d (%s): ppm_sc libscap %u, ours %u", nr, nz(pdig_native_names[nr]),
			    route[nr], o->ppm_sc);
	}
}

static void check_sc_names(const uint8_t *sd)
{
	for (int sc = 0; sc < PDIG_SC_MAX; sc++) {
		const char *theirs = (const char *)(uintptr_t)rd64(sd + (size_t)sc * SD_STRIDE + 8);
		const char *ours = pdig_sc_names[sc];
		if ((!theirs) != (!ours) || (theirs && strcmp(theirs, ours)))
			bad("ppm_sc %d: name libscap '%s', ours '%s'", sc, nz(theirs), nz(ours));
	}
}

/* Default set = the state-modifying syscalls (docs/schema.md §5, 48 names)
 * plus the Falco-rule syscalls, UF_USED or not (those without it are
 * reported as generic events, as the driver does). Numbers come
 * from libc's <sys/syscall.h>, independent of our tables. */
struct nrname { int nr; const char *name; };
#define S(x) { SYS_##x, #x }
static const struct nrname state48[] = {
	S(open), S(close), S(pipe), S(dup), S(dup2), S(socket), S(connect), S(accept),
	S(sendto), S(recvfrom), S(sendmsg), S(recvmsg), S(shutdown), S(bind),
	S(socketpair), S(getsockopt), S(clone), S(fork), S(vfork), S(execve), S(fcntl),
	S(chdir), S(fchdir), S(creat), S(setuid), S(setgid), S(setpgid), S(setsid),
	S(setresuid), S(setresgid), S(chroot), S(mount), S(umount2), S(inotify_init),
	S(openat), S(signalfd), S(timerfd_create), S(eventfd), S(accept4), S(signalfd4),
	S(eventfd2), S(dup3), S(pipe2), S(inotify_init1), S(execveat), S(userfaultfd),
	{ 435, "clone3" }, { 437, "openat2" }, /* may be missing from older libc headers */
};
static const struct nrname falco_rules[] = {
	S(accept), S(accept4), S(bpf), S(chmod), S(connect), S(creat), S(dup), S(dup2),
	S(dup3), S(execve), S(execveat), S(fchmod), S(fchmodat), S(finit_module),
	S(init_module), S(link), S(linkat), S(listen), S(mkdir), S(mkdirat), S(open),
	S(openat), { 437, "openat2" }, S(ptrace), S(recvfrom), S(recvmsg), S(rename),
	S(renameat), S(renameat2), S(rmdir), S(sendmsg), S(sendto), S(setns), S(setuid),
	S(socket), S(symlink), S(symlinkat), S(unlink), S(unlinkat), S(unshare),
	S(userfaultfd),
};
#undef S
#define N(a) (sizeof(a) / sizeof(a)[0])

/* State-modifying in the libs 0.22+ tables but not in 1.0.0's (from the
 * JSON dumps of libs 0.22.1 and 0.25.4): traced by default too, since a
 * modern consumer's state depends on them. */
#define S(x) { SYS_##x, #x }
static const struct nrname state_modern[] = {
	S(capset), S(close_range), S(epoll_create), S(epoll_create1), S(io_uring_setup),
	S(memfd_create), S(open_by_handle_at), S(pidfd_getfd), S(pidfd_open), S(prctl),
	S(recvmmsg), S(sendmmsg), S(setregid), S(setreuid),
};
#undef S

static void check_default_set(const uint8_t *ei, const uint8_t *st)
{
	bool want[PDIG_SYSCALL_MAX] = {0};
	if (N(state48) != 48)
		bad("expected-list size %zu != 48", N(state48));

	/* The 48 must be exactly what the rule gives on the real tables. */
	bool rule[PDIG_SYSCALL_MAX] = {0};
	int nrule = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const uint8_t *s = st + (size_t)nr * SC_STRIDE;
		uint32_t enter = rd32(s + 4), exit = rd32(s + 8);
		if (!(rd32(s) & SCF_USED) || enter >= PDIG_EVENT_MAX || exit >= PDIG_EVENT_MAX)
			continue;
		uint32_t f = rd32(ei + enter * EI_STRIDE + EI_FLAGS) | rd32(ei + exit * EI_STRIDE + EI_FLAGS);
		if (f & EVF_MODIFIES_STATE) {
			rule[nr] = true;
			nrule++;
		}
	}
	for (size_t i = 0; i < N(state48); i++) {
		int nr = state48[i].nr;
		if (!rule[nr])
			bad("default set: %s (%d) is listed in schema.md but libscap says not state-modifying/used",
			    state48[i].name, nr);
		if (!pdig_native_names[nr] || strcmp(pdig_native_names[nr], state48[i].name))
			bad("native name of %d: ours '%s', expected '%s'", nr, nz(pdig_native_names[nr]), state48[i].name);
		want[nr] = true;
	}
	if (nrule != 48)
		bad("default set: rule applied to libscap yields %d syscalls, schema.md says 48", nrule);

	for (size_t i = 0; i < N(falco_rules); i++)
		want[falco_rules[i].nr] = true;
	const struct pdig_schema *newest = pdig_schema_get(SCHEMA_4_5_1);
	for (size_t i = 0; i < N(state_modern); i++) {
		const struct pdig_syscall *sc = pdig_schema_syscall(newest, (uint64_t)state_modern[i].nr);
		if (!sc || !((newest->events[sc->enter].flags | newest->events[sc->exit].flags) & EVF_MODIFIES_STATE))
			bad("default set: %s is not state-modifying in schema 4.5.1", state_modern[i].name);
		want[state_modern[i].nr] = true;
	}
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		bool got = pdig_syscall_default((uint64_t)nr);
		if (got != want[nr])
			bad("default set: syscall %d (%s) is %s but should be %s", nr, nz(pdig_native_names[nr]),
			    got ? "traced" : "not traced", want[nr] ? "traced" : "not traced");
	}
	/* Without UF_USED in the consumer's table, but Falco's "Linux Kernel
	 * Module Injection" tests them: traced, as generic events. */
	if (rd32(st + (size_t)SYS_init_module * SC_STRIDE) & SCF_USED ||
	    rd32(st + (size_t)SYS_finit_module * SC_STRIDE) & SCF_USED)
		bad("init_module/finit_module: expected no UF_USED in the consumer's table");
	if (!pdig_syscall_default(SYS_init_module) || !pdig_syscall_default(SYS_finit_module))
		bad("default set: init_module/finit_module must be present");
	if (pdig_syscall_default(PDIG_SYSCALL_MAX) || pdig_syscall_default(~0ull))
		bad("default set: out-of-range syscall number accepted");
}

static const void *sym(void *h, const char *name)
{
	const void *p = dlsym(h, name);
	if (!p) {
		CHECK_FAIL("symbol %s not found in libscap: %s", name, dlerror());
		exit(check_done("schema_conformance"));
	}
	return p;
}

int main(void)
{
	/* Override only so the negative test can point at a patched copy. */
	const char *path = getenv("PDIG_LIBSCAP") ? getenv("PDIG_LIBSCAP") : DEFAULT_LIBSCAP;
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		CHECK_FAIL("cannot load the consumer's libscap (%s): %s\n"
			   "      install libfalcosecurity0 (Debian bookworm) to run this test",
			   path, dlerror());
		return check_done("schema_conformance");
	}
	const uint8_t *ei = sym(h, "g_event_info");
	const uint8_t *st = sym(h, "g_syscall_table");
	const uint32_t *route = sym(h, "g_syscall_code_routing_table");
	const uint8_t *sd = sym(h, "g_syscall_info_table");

	check_events(ei);
	check_syscalls(st, route);
	check_sc_names(sd);
	check_default_set(ei, st);

	if (check_failures)
		printf("FAIL: %d mismatch(es) against %s\n", check_failures, path);
	else
		printf("OK: %d events, %d syscall slots, %d ppm_sc names and the default set match %s\n",
		       PDIG_EVENT_MAX, PDIG_SYSCALL_MAX, PDIG_SC_MAX, path);
	return check_done("schema_conformance");
}
