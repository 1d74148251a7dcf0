/* Process syscalls with known arguments: execve/execveat (success in a
 * child, ENOENT in the parent), clone, fork, vfork, clone3, setpgid,
 * setsid, ptrace, bpf, seccomp, userfaultfd and the rlimit calls.
 * Prints "key value..." lines for the test script.
 * Re-executed as "sc_proc execd ..." it just exits 3. */
#ifndef _GNU_SOURCE /* CMake may already define it */
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* The errno name for the test script. strerrorname_np is glibc's; a musl
 * build names the errors bpf and userfaultfd can give here. */
static const char *errno_name(int e)
{
#ifdef __GLIBC__
	return strerrorname_np(e);
#else
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	default: return "E(unnamed here)";
	}
#endif
}

static int reap(pid_t p)
{
	int st;
	if (waitpid(p, &st, __WALL) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static char stack[64 * 1024];
static int clone_child(void *arg) { return 7; }

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "execd") == 0)
		return 3;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("pid %d\n", getpid());

	/* execve: a failure in place, a success in a child */
	char *eargv[] = { "sc-missing", "arg-one", "arg two", NULL };
	char *eenv[] = { "SC_ENV=fail", NULL };
	syscall(SYS_execve, "/nonexistent/sc-missing", eargv, eenv);
	/* exec the real path: via /proc/self/exe the comm would become "exe" */
	static char self[4096];
	if (readlink("/proc/self/exe", self, sizeof self - 1) < 0)
		return 1;
	char *xargv[] = { self, "execd", "x1", NULL };
	char *xenv[] = { "SC_ENV=ok", NULL };
	pid_t p = syscall(SYS_fork);
	if (p == 0) {
		syscall(SYS_execve, self, xargv, xenv);
		_exit(100);
	}
	printf("fork %d rc %d\n", p, reap(p));
	syscall(SYS_execveat, AT_FDCWD, "/nonexistent/sc-at", eargv, eenv, AT_SYMLINK_NOFOLLOW);
	p = vfork();
	if (p == 0) {
		syscall(SYS_execveat, AT_FDCWD, self, xargv, xenv, 0);
		_exit(101);
	}
	printf("vfork %d rc %d\n", p, reap(p));

	/* clone with a shared address space; clone3 like fork */
	p = clone(clone_child, stack + sizeof stack, CLONE_VM | CLONE_FS | CLONE_FILES | SIGCHLD, NULL);
	printf("clone %d rc %d\n", p, reap(p));
	errno = 0;
	syscall(SYS_clone, CLONE_THREAD, 0, 0, 0, 0); /* EINVAL: THREAD needs SIGHAND */
	printf("clonefail %s\n", strerror(errno));
	struct clone_args ca = { .flags = CLONE_FS | CLONE_PARENT_SETTID, .exit_signal = SIGCHLD };
	int ptid = 0;
	ca.parent_tid = (uintptr_t)&ptid;
	p = syscall(SYS_clone3, &ca, sizeof ca);
	if (p == 0)
		_exit(9);
	printf("clone3 %d rc %d\n", p, reap(p));
	struct clone_args bad = { .flags = CLONE_THREAD, .exit_signal = SIGCHLD };
	syscall(SYS_clone3, &bad, sizeof bad);         /* EINVAL */

	/* process groups and sessions */
	setpgid(0, 0);                                   /* leader of own group */
	setpgid(0, 999999);                              /* EPERM: no such group */
	setsid();                                        /* EPERM: a group leader */
	p = syscall(SYS_fork);
	if (p == 0)
		_exit(setsid() > 0 ? 0 : 1);
	printf("setsid %d rc %d\n", p, reap(p));

	/* ptrace: pdig already traces us, and our child */
	ptrace(PTRACE_TRACEME, 0, 0, 0);                 /* EPERM */
	ptrace(PTRACE_PEEKDATA, 1, (void *)0x1000, 0);   /* ESRCH: not our tracee */

	/* bpf: an unknown command, and an array map */
	union bpf_attr at;
	memset(&at, 0, sizeof at);
	syscall(SYS_bpf, 1000, &at, sizeof at);          /* EINVAL */
	at.map_type = BPF_MAP_TYPE_ARRAY;
	at.key_size = 4;
	at.value_size = 4;
	at.max_entries = 1;
	int mfd = syscall(SYS_bpf, BPF_MAP_CREATE, &at, sizeof at);
	printf("bpfmap %d %s\n", mfd, mfd < 0 ? errno_name(errno) : "ok");
	if (mfd >= 0)
		close(mfd);

	/* seccomp: query an action */
	uint32_t act = SECCOMP_RET_KILL_PROCESS;
	syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);
	act = 0x7ffe0000;                                /* not an action */
	syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &act);

	/* userfaultfd */
	int ufd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	printf("uffd %d %s\n", ufd, ufd < 0 ? errno_name(errno) : "ok");
	syscall(SYS_userfaultfd, 0x40000000);            /* EINVAL */

	/* resource limits, as raw syscalls (glibc maps them to prlimit64) */
	struct rlimit rl;
	syscall(SYS_getrlimit, RLIMIT_NOFILE, &rl);
	printf("nofile %lld %lld\n", (long long)rl.rlim_cur, (long long)rl.rlim_max);
	syscall(SYS_getrlimit, 999, &rl);                /* EINVAL */
	struct rlimit core = { 1024, 4096 };
	syscall(SYS_setrlimit, RLIMIT_CORE, &core);
	struct rlimit inv = { 20, 10 };
	syscall(SYS_setrlimit, RLIMIT_CORE, &inv);       /* EINVAL: cur > max */
	struct rlimit nl = { 512, rl.rlim_max }, old;
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &nl, &old);
	old.rlim_cur = 77;                               /* the driver reads old even on failure */
	old.rlim_max = 88;
	syscall(SYS_prlimit64, 999999, RLIMIT_NOFILE, NULL, &old); /* ESRCH */
	return 0;
}
