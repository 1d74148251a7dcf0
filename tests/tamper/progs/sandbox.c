/* A tracee that installs a seccomp filter of its own (NO_NEW_PRIVS, no
 * capability) whose action outranks pdig's RET_TRACE, then makes the calls
 * it covers, printing NAME=OK / NAME=<errno name> / NAME=<value> lines:
 *   sandbox errno          ERRNO(EPERM) for unshare, mount, setns, bpf
 *                          (as Docker's default profile), via seccomp(2)
 *   sandbox errno-prctl    the same, installed with prctl(PR_SET_SECCOMP)
 *   sandbox notif FILE     USER_NOTIF for openat with a listener, a thread
 *                          answering CONTINUE; then opens FILE
 *   sandbox notif-nolistener  USER_NOTIF for openat, no listener (ENOSYS)
 *   sandbox trap           TRAP for unshare; prints the SIGSYS's syscall
 *   sandbox ret-a          a filter returning its accumulator
 *   sandbox undo           ERRNO(EPERM) for uname, then a filter of
 *                          RET_TRACE for it, as a container's payload
 *                          would try to undo its runtime's profile
 *   sandbox race N         N installs of an ERRNO filter for unshare,
 *                          each followed by an unshare ("call=I"), while
 *                          a thread keeps writing the filter's original
 *                          ERRNO back over pdig's rewrite
 * Then it opens /etc/hostname once (not covered by any filter above but
 * notif's), so the test can see that later events reach the consumer. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "report.h"

#define LOAD_ARCH BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch))
#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static long install(struct sock_filter *f, unsigned short n, unsigned flags, int via_prctl)
{
	struct sock_fprog prog = { n, f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (via_prctl)
		return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

/* A filter giving one x86-64 syscall the action, allowing the rest. */
static long install_one(int nr, unsigned action, unsigned flags)
{
	struct sock_filter f[] = {
		LOAD_ARCH,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		ALLOW,
		LOAD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		ALLOW,
	};
	return install(f, sizeof f / sizeof *f, flags, 0);
}

static void denied_calls(void)
{
	report("unshare", unshare(CLONE_NEWUTS));
	report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
	report("setns", setns(0, 0));
	report("bpf", syscall(SYS_bpf, 0, NULL, 0));
}

static int listener = -1;

/* The supervisor: lets every notified call run (CONTINUE). */
static void *supervise(void *arg)
{
	(void)arg;
	for (;;) {
		struct seccomp_notif req;
		struct seccomp_notif_resp resp;
		memset(&req, 0, sizeof req);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
			return NULL;
		memset(&resp, 0, sizeof resp);
		resp.id = req.id;
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* the race's filter, shared with the thread racing pdig's rewrite */
static struct sock_filter race_filter[] = {
	LOAD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	ALLOW,
};

static void *restore_errno(void *arg)
{
	(void)arg;
	for (;;)
		__atomic_store_n(&race_filter[2].k, SECCOMP_RET_ERRNO | EPERM, __ATOMIC_RELAXED);
	return NULL;
}

static volatile sig_atomic_t trapped_nr = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	trapped_nr = si->si_syscall;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *op = argv[1];
	if (!strcmp(op, "errno") || !strcmp(op, "errno-prctl")) {
		struct sock_filter f[] = {
			LOAD_ARCH,
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
			ALLOW,
			LOAD_NR,
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 4, 0),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mount, 3, 0),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setns, 2, 0),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_bpf, 1, 0),
			ALLOW,
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		};
		report("install", install(f, sizeof f / sizeof *f, 0, op[5] == '-'));
		/* the program's buffer is its own again after the install */
		printf("buffer=%s\n", f[9].k == (SECCOMP_RET_ERRNO | EPERM) ? "intact" : "changed");
		denied_calls();
	} else if (!strcmp(op, "notif") || !strcmp(op, "notif-nolistener")) {
		bool with_listener = !strcmp(op, "notif");
		long fd = install_one(SYS_openat, SECCOMP_RET_USER_NOTIF, with_listener ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
		report("install", fd);
		if (fd >= 0 && with_listener) {
			listener = (int)fd;
			pthread_t th;
			pthread_create(&th, NULL, supervise, NULL);
		}
		if (argc > 2)
			report("open", syscall(SYS_openat, AT_FDCWD, argv[2], O_RDONLY));
	} else if (!strcmp(op, "trap")) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_sigsys;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSYS, &sa, NULL);
		report("install", install_one(SYS_unshare, SECCOMP_RET_TRAP, 0));
		long rc = syscall(SYS_unshare, CLONE_NEWUTS);
		printf("trap=%d rc=%ld\n", (int)trapped_nr, rc);
	} else if (!strcmp(op, "race") && argc > 2) {
		pthread_t th;
		pthread_create(&th, NULL, restore_errno, NULL);
		for (int i = 0; i < atoi(argv[2]); i++) {
			if (install(race_filter, sizeof race_filter / sizeof *race_filter, 0, 0) < 0)
				break;
			printf("call=%d\n", i);
			fflush(stdout);
			syscall(SYS_unshare, CLONE_NEWUTS);
		}
	} else if (!strcmp(op, "undo")) {
		struct utsname u;
		report("install", install_one(SYS_uname, SECCOMP_RET_ERRNO | EPERM, 0));
		report("undo", install_one(SYS_uname, SECCOMP_RET_TRACE, 0));
		report("uname", uname(&u));
	} else if (!strcmp(op, "ret-a")) {
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_IMM, SECCOMP_RET_ALLOW),
			BPF_STMT(BPF_RET | BPF_A, 0),
		};
		report("install", install(f, sizeof f / sizeof *f, 0, 0));
	} else {
		return 2;
	}
	/* openat whatever the libc (musl's open makes the open syscall) */
	long fd = syscall(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY);
	if (fd >= 0)
		close((int)fd);
	return 0;
}
