/* The filter pdig installs, run by the kernel itself: with no tracer
 * attached, a syscall the filter sends to the tracer (RET_TRACE) fails with
 * ENOSYS and is not executed, and an allowed one runs. So a child that
 * installs the filter and makes calls tells which of them would stop. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "tracer/seccomp.h"

enum call {
	C_GETPID,
	C_GETRLIMIT,      /* prlimit64(0, NOFILE, NULL, &old): what glibc's getrlimit does */
	C_PRLIMIT_SET,    /* prlimit64(0, NOFILE, &cur, NULL) */
	C_PRLIMIT_SET_HI, /* a new-limit pointer whose low 32 bits are zero */
	C_SETRLIMIT,
	C_OPENAT,
	C_CHDIR,
	C_STAT,
	C_IO_URING_SETUP,
	C_OPENAT_WRITE,   /* openat(O_WRONLY) of a missing file: may change pdig's files */
	C_OPENAT_TRUNC,   /* O_RDONLY | O_TRUNC: truncates as well */
	C_KILL,           /* kill(0 = nobody, 0): may target pdig */
	C_PRCTL,          /* prctl(PR_GET_DUMPABLE): may be PR_SET_SECCOMP */
	C_SECCOMP,        /* seccomp(GET_ACTION_AVAIL): may install a filter */
	C_CALLS
};
static const char *const names[C_CALLS] = { "getpid", "prlimit64 get", "prlimit64 set",
	                                     "prlimit64 set (pointer 2^32)", "setrlimit", "openat",
	                                     "chdir", "stat", "io_uring_setup", "openat for writing",
	                                     "openat with O_TRUNC", "kill", "prctl", "seccomp" };

static long make_call(enum call c)
{
	struct rlimit cur, old;
	getrlimit(RLIMIT_NOFILE, &cur); /* before the filter is in, by the caller */
	switch (c) {
	case C_GETPID: return syscall(SYS_getpid);
	case C_GETRLIMIT: return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &old);
	case C_PRLIMIT_SET: return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &cur, NULL);
	case C_PRLIMIT_SET_HI: return syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, (void *)(1ull << 32), NULL);
	case C_SETRLIMIT: return syscall(SYS_setrlimit, RLIMIT_NOFILE, &cur);
	case C_OPENAT: return syscall(SYS_openat, -100, "/", 0);
	case C_CHDIR: return syscall(SYS_chdir, "/");
	case C_STAT: {
		char buf[256];
		return syscall(SYS_newfstatat, -100, "/", buf, 0);
	}
	case C_IO_URING_SETUP: return syscall(425, 0, NULL); /* EINVAL when it runs */
	case C_OPENAT_WRITE: return syscall(SYS_openat, -100, "/nonexistent/x", O_WRONLY);
	case C_OPENAT_TRUNC: return syscall(SYS_openat, -100, "/nonexistent/x", O_RDONLY | O_TRUNC);
	case C_KILL: return syscall(SYS_kill, getpid(), 0);
	case C_PRCTL: return syscall(SYS_prctl, PR_GET_DUMPABLE, 0, 0, 0, 0);
	case C_SECCOMP: {
		unsigned action = 0x7fff0000u; /* SECCOMP_RET_ALLOW */
		return syscall(SYS_seccomp, 2 /* SECCOMP_GET_ACTION_AVAIL */, 0, &action);
	}
	default: return -1;
	}
}

/* The child's answer, in memory shared with it: under a filter that
 * traces every syscall (-a), even exit_group fails with ENOSYS, so the
 * exit status cannot carry it. */
static volatile int *answer;

/* Would call c stop under the filter built from set? */
static bool stops(const struct syscall_set *set, enum call c)
{
	*answer = -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };
		setrlimit(RLIMIT_CORE, &nocore);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || seccomp_install(set))
			_exit(2);
		errno = 0;
		long r = make_call(c);
		*answer = r < 0 && errno == ENOSYS ? 1 : 0;
		/* libc's _exit may retry SYS_exit forever (musl) when both are
		 * traced: make the call once, then die without a syscall (no
		 * core: RLIMIT_CORE was set to 0 before the filter) */
		syscall(SYS_exit_group, 0);
		__builtin_trap();
	}
	int status = 0;
	waitpid(pid, &status, 0);
	if (!CHECK_MSG(*answer >= 0, "the child could not install the filter (status %#x)", status))
		return false;
	return *answer == 1;
}

static void expect(const struct syscall_set *set, const char *setname, enum call c, bool want)
{
	bool got = stops(set, c);
	if (CHECK_MSG(got == want, "%s: %s %s, expected it to %s", setname, names[c], got ? "stops" : "runs",
		      want ? "stop" : "run"))
		printf("ok: %s: %s %s\n", setname, names[c], got ? "stops" : "runs");
}

int main(void)
{
	answer = mmap(NULL, sizeof *answer, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (answer == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	struct syscall_set def;
	syscall_set_init(&def, false);
	/* the default set: openat traced; chdir, setrlimit and prlimit64 with
	 * a new limit watched (they make cached state stale); stat, getpid
	 * and prlimit64 without a new limit run untouched */
	expect(&def, "default", C_GETPID, false);
	expect(&def, "default", C_STAT, false);
	expect(&def, "default", C_GETRLIMIT, false);
	expect(&def, "default", C_OPENAT, true);
	expect(&def, "default", C_CHDIR, true);
	expect(&def, "default", C_SETRLIMIT, true);
	expect(&def, "default", C_PRLIMIT_SET, true);
	expect(&def, "default", C_PRLIMIT_SET_HI, true);

	/* prlimit64 traced: every call stops, with or without a new limit */
	struct syscall_set traced = def;
	traced.on[SYS_prlimit64] = 1;
	expect(&traced, "prlimit64 traced", C_GETRLIMIT, true);
	expect(&traced, "prlimit64 traced", C_PRLIMIT_SET, true);
	expect(&traced, "prlimit64 traced", C_GETPID, false);

	/* nothing traced: only the always-stopping calls */
	struct syscall_set none;
	memset(&none, 0, sizeof none);
	expect(&none, "none", C_OPENAT, false);
	expect(&none, "none", C_GETRLIMIT, false);
	expect(&none, "none", C_PRLIMIT_SET, true);
	expect(&none, "none", C_CHDIR, true);
	/* io_uring_setup: the kernel may add worker threads to the caller's
	 * process without a clone, which procfs must hear of */
	expect(&none, "none", C_IO_URING_SETUP, true);
	/* the guard's calls (guard.c): opens that could change a file, and
	 * signals, whatever is traced; read-only opens above run */
	expect(&none, "none", C_OPENAT_WRITE, true);
	expect(&none, "none", C_OPENAT_TRUNC, true);
	expect(&none, "none", C_KILL, true);
	/* and the calls that install a filter of the program's own
	 * (guard_seccomp.c) */
	expect(&none, "none", C_PRCTL, true);
	expect(&none, "none", C_SECCOMP, true);

	/* every syscall (-a): the filter still fits its jumps, and getpid,
	 * reported by the driver as a generic event, stops too */
	struct syscall_set all;
	syscall_set_init(&all, true);
	expect(&all, "all", C_GETRLIMIT, true);
	expect(&all, "all", C_GETPID, true);
	expect(&all, "all", C_STAT, true);

	/* the worst case for the filter's size: every other number traced */
	struct syscall_set alternate;
	memset(&alternate, 0, sizeof alternate);
	for (int nr = 1; nr < PDIG_SYSCALL_MAX; nr += 2)
		alternate.on[nr] = 1;
	expect(&alternate, "odd numbers", C_GETPID, true);     /* 39 */
	expect(&alternate, "odd numbers", C_OPENAT, true);     /* 257 */
	expect(&alternate, "odd numbers", C_STAT, false);      /* newfstatat, 262 */
	expect(&alternate, "odd numbers", C_GETRLIMIT, false); /* prlimit64, 302 */

	/* runs next to each other, and the gaps between them */
	struct syscall_set runs;
	memset(&runs, 0, sizeof runs);
	for (int nr = SYS_getpid; nr <= SYS_openat; nr++)
		runs.on[nr] = 1;
	expect(&runs, "getpid..openat", C_GETPID, true);
	expect(&runs, "getpid..openat", C_OPENAT, true);
	expect(&runs, "getpid..openat", C_STAT, false);

	return check_done("seccomp_filter");
}
