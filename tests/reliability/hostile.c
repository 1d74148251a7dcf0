/* A hostile tracee: calls every x86-64 syscall number 0..NR_LAST (a
 * superset of pdig's -a set) with bad pointers (NULL, 1, 0xffffffffffff,
 * the last bytes of a mapped page followed by an unmapped one), huge
 * lengths (SIZE_MAX, 1<<40), nonsense counts and bad fds.
 *
 * Containment: the process first enters new PID, IPC, mount and UTS
 * namespaces (root needed; exit 77 otherwise), so kill(-1), SysV objects,
 * mount() or sethostname() cannot reach outside. The namespace's init (A)
 * forks one child per syscall number; the child runs all argument
 * combinations for that number with a 20 ms interval timer (so blocking
 * calls end with EINTR) and exits; A kills it after 2 s if it hangs. A few
 * numbers are never called (below). Fork-like calls that succeed exit at
 * once in the new process.
 *
 * Usage: hostile [TIDFILE]  writes A's pid (as the tracer sees it) to
 * TIDFILE. Exit 0; prints how many children died or hung on stderr.
 * Every pointer argument points at memory without a single NUL byte (or
 * at nothing), so no path argument can ever name a real file. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "contain.h"

#define NR_LAST 462

/* Never called, even in a child: what a namespace cannot contain (the
 * clock, kernel modules, swap, accounting, I/O ports, the console), and
 * memory locking (with a sanitizer's shadow mappings around it can take
 * the machine's RAM). Everything else, exit/execve/rt_sigreturn included,
 * runs in a child that may die. */
static int never(long nr)
{
	switch (nr) {
	case SYS_reboot: case SYS_kexec_load: case SYS_kexec_file_load:
	case SYS_init_module: case SYS_finit_module: case SYS_delete_module:
	case SYS_swapon: case SYS_swapoff: case SYS_acct:
	case SYS_settimeofday: case SYS_clock_settime: case SYS_adjtimex:
	case SYS_clock_adjtime: case SYS_iopl: case SYS_ioperm: case SYS_vhangup:
	case SYS_mlock: case SYS_mlock2: case SYS_mlockall: case SYS_perf_event_open:
		return 1;
	}
	return 0;
}

/* Syscalls whose first argument is a pid: a pid that exists only inside
 * our PID namespace is fine, but keep them off pid 1 (ourselves). */
static int pid_first(long nr)
{
	switch (nr) {
	case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo: case SYS_ptrace: case SYS_process_vm_writev:
	case SYS_process_vm_readv: case SYS_pidfd_open: case SYS_pidfd_send_signal:
		return 1;
	}
	return 0;
}

static uint8_t *edge; /* last byte of a mapped page; the next is unmapped */

static uint64_t val(int k)
{
	switch (k % 14) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 0xffffffffffffull;
	case 3: return (uint64_t)(uintptr_t)(edge - 7); /* 8 bytes, then nothing */
	case 4: return (uint64_t)(uintptr_t)edge;       /* 1 byte, then nothing */
	case 5: return SIZE_MAX;
	case 6: return 1ull << 40;
	case 7: return (uint64_t)-1;
	case 8: return (uint64_t)-100;
	case 9: return 0x7fffffff;
	case 10: return 9999;                            /* not an open fd */
	case 11: return (uint64_t)(uintptr_t)(edge - 4095); /* a page of 'Z' */
	case 12: return 0x80000000;
	default: return (uint64_t)-2;
	}
}

static void on_alarm(int sig) { (void)sig; }

static void run_one(long nr)
{
	/* Blocking calls come back with EINTR at the next tick. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	int fork_like = nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3;
	for (int c = 0; c < 40; c++) {
		uint64_t a[6];
		for (int i = 0; i < 6; i++)
			a[i] = val(c < 14 ? c : c * 5 + i * 3 + c / 7);
		/* pid_t is 32 bits: 0xffffffffffff is -1 too. 0 would be our
		 * process group, -1 everyone in the namespace, 1 is A. */
		if (pid_first(nr) && (int32_t)a[0] >= -1 && (int32_t)a[0] <= 1)
			a[0] = 0x3ffffff0; /* no such pid */
		if (nr == SYS_syslog) /* only the reading actions, never clear/console */
			a[0] = c % 2 ? 3 : 10;
		if (nr == SYS_bpf) /* map create/lookup: garbage attrs fail */
			a[0] = c % 2;
		if (nr == SYS_clone) /* no CLONE_VM without a stack: both would share one */
			a[0] &= ~(uint64_t)(CLONE_VM | CLONE_VFORK);
		long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (fork_like && r == 0)
			_exit(0);
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	pid_t a = contain_enter(0);
	if (a == -1) {
		fprintf(stderr, "hostile: unshare: %s (needs root)\n", strerror(errno));
		return 77;
	}
	if (a < 0)
		return 1;
	if (a > 0) {
		if (argc > 1) {
			FILE *f = fopen(argv[1], "w");
			if (f) {
				fprintf(f, "%d\n", (int)a);
				fclose(f);
			}
		}
		return contain_wait_init(a);
	}
	/* A: init of the new PID namespace (contain.h) */
	long ps = sysconf(_SC_PAGESIZE);
	uint8_t *m = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m + ps, ps) < 0)
		return 1;
	memset(m, 'Z', ps); /* no NUL anywhere: every string runs into the hole */
	edge = m + ps - 1;
	int died = 0, hung = 0, ran = 0;
	for (long nr = 0; nr <= NR_LAST; nr++) {
		if (never(nr))
			continue;
		pid_t p = fork();
		if (p < 0)
			return 1;
		if (p == 0)
			run_one(nr);
		ran++;
		/* 2 s, then whatever CLONE_PARENT & co. left behind is reaped too */
		switch (contain_reap(p, 400)) {
		case CONTAIN_HUNG:
			hung++;
			fprintf(stderr, "hostile: syscall %ld hung, killed\n", nr);
			break;
		case CONTAIN_DIED:
			died++;
			break;
		default:
			break;
		}
	}
	fprintf(stderr, "hostile: %d syscall numbers, %d children died by a signal/status, %d hung\n",
		ran, died, hung);
	return 0;
}
