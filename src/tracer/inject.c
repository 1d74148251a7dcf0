/* Injects pdig's seccomp filter into an attached process. At a
 * syscall-entry stop the thread's own syscall is swapped for
 * rt_sigprocmask(block all), then seccomp(2) with TSYNC (so every thread
 * gets the filter) is run, preceded by prctl(NO_NEW_PRIVS) if the kernel
 * asks for it, then the old mask is put back and the original syscall is
 * re-issued, now meeting the filter.
 * Blocking signals first matters: between two injected calls the thread
 * passes through user mode, where a pending signal would run its handler
 * and the handler's syscalls (or its rt_sigreturn) would be taken for
 * ours. Blocked, they stay pending and are delivered, unchanged, right
 * before the re-issued syscall, as if they had arrived just before it.
 * Returns 0 when the filter is in place, -1 if nothing was changed, 1 if it
 * failed after the thread was moved (it re-issues its syscall). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>

#include "abi/kernel_abi.h"
#include "tracer_internal.h"

#define SECCOMP_FILTER_FLAG_TSYNC 1
#define SYSCALL_INSN 0x050f /* 0f 05, little-endian */
#define KERNEL_SIGSET_SIZE 8

/* Reap every tracee that has died, without touching pending stops. The
 * deaths are queued for the main loop: handling one here would change the
 * thread table under the stop being handled. */
static void reap_other_deaths(struct tracer *tr)
{
	for (;;) {
		siginfo_t si;
		memset(&si, 0, sizeof si);
		if (!core_death_room(tr) || waitid(P_ALL, 0, &si, WEXITED | WNOHANG | __WALL) < 0 || si.si_pid == 0)
			return;
		int status = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8
		           : si.si_code == CLD_DUMPED ? (si.si_status & 0x7f) | 0x80
		                                      : si.si_status & 0x7f;
		core_death_later(tr, si.si_pid, status);
	}
}

static void wakeup(int sig) { (void)sig; }

/* A 50 ms SIGALRM tick while injecting (on) or none (off). */
static void arm_wakeups(bool on)
{
	/* the handler is the process's (so is the timer): a second tracer
	 * thread injecting at the same time would need a timer of its own
	 * (timer_create with SIGEV_THREAD_ID) */
	static bool installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = wakeup; /* no SA_RESTART: waitpid returns EINTR */
		sigemptyset(&sa.sa_mask);
		guard_mask_keep_out(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		installed = true;
	}
	struct itimerval it = { { 0, on ? 50000 : 0 }, { 0, on ? 50000 : 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Resume with PTRACE_SYSCALL and wait for this thread's next syscall stop.
 * Signals are blocked meanwhile, so other stops are event stops (seccomp,
 * group-stop) or SIGKILL/SIGSTOP, which cannot be blocked; they are let
 * through. */
static int step_to_syscall_stop(struct tracer *tr, pid_t tid)
{
	if (!core_death_room(tr) || ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
		return -1;
	for (;;) {
		int status;
		/* room for its own death, which this wait may reap */
		if (!core_death_room(tr))
			return -1;
		/* SIGALRM (arm_wakeups) breaks this wait every 50 ms */
		pid_t r = waitpid(tid, &status, __WALL);
		if (r < 0) {
			if (errno != EINTR)
				return -1;
			/* Meanwhile other threads may have died (a SIGKILL to the
			 * process): reap them, or a dead leader is never reported
			 * and this wait never ends. Their stops stay queued. Also
			 * pdig's SIGINT handler lands here: finish first. */
			reap_other_deaths(tr);
			continue;
		}
		if (!WIFSTOPPED(status)) {
			core_death_later(tr, tid, status); /* it died */
			return -1;
		}
		if (WSTOPSIG(status) == (SIGTRAP | 0x80))
			return 0;
		int sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
		if (ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)sig) < 0)
			return -1;
	}
}

/* From an exit stop, run one more syscall; returns its result. */
static long run_again(struct tracer *tr, pid_t tid, const struct user_regs_struct *base, long nr, long a0,
                      long a1, long a2, long a3)
{
	struct user_regs_struct r = *base;
	r.rip -= 2; /* back onto the syscall instruction */
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	r.rdx = (unsigned long)a2;
	r.r10 = (unsigned long)a3;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) < 0 || step_to_syscall_stop(tr, tid) < 0 ||
	    step_to_syscall_stop(tr, tid) < 0 || ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -ESRCH;
	return (long)r.rax;
}

static int poke(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { (void *)addr, len };
	if (process_vm_writev(tid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	for (size_t off = 0; off < len; off += sizeof(long)) {
		long word = 0;
		size_t n = len - off < sizeof word ? len - off : sizeof word;
		if (n < sizeof word) {
			errno = 0;
			word = ptrace(PTRACE_PEEKDATA, tid, (void *)(addr + off), 0);
			if (errno)
				return -1;
		}
		memcpy(&word, (const char *)src + off, n);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(addr + off), (void *)word) < 0)
			return -1;
	}
	return 0;
}

/* Is this a native syscall-entry stop at a 2-byte `syscall` instruction?
 * Only then can the call be rewound (rip - 2) and re-issued. */
static bool native_entry(pid_t tid, uint64_t rip)
{
	struct pdig_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0 ||
	    info.op != PDIG_SYSCALL_INFO_ENTRY || info.arch != PDIG_AUDIT_ARCH_X86_64)
		return false;
	errno = 0;
	long w = ptrace(PTRACE_PEEKDATA, tid, (void *)(rip - 8), 0);
	if (!errno)
		return ((unsigned long)w >> 48) == SYSCALL_INSN;
	errno = 0; /* rip - 8 may be in an unmapped page before the code */
	w = ptrace(PTRACE_PEEKDATA, tid, (void *)(rip - 2), 0);
	return !errno && (w & 0xffff) == SYSCALL_INSN;
}

static void mark_filtered(struct thread *t, void *arg)
{
	pid_t pid = *(pid_t *)arg;
	if (t->pid == pid)
		t->seccomp = true;
}

/* Scratch space below the stack pointer, past the 128-byte red zone; the
 * kernel copies what it reads, so it is free again after the calls. */
struct scratch {
	uint64_t hdr, all, old, prog;
};

static int write_scratch(pid_t tid, uint64_t rsp, const struct sock_filter *insns, int n, struct scratch *s)
{
	size_t plen = (size_t)n * sizeof *insns;
	s->hdr = (rsp - 256 - plen - 64) & ~15ull;
	s->all = s->hdr + 16;
	s->old = s->hdr + 24;
	s->prog = s->hdr + 64;
	struct { uint16_t len; uint16_t pad[3]; uint64_t filter; } hdr = { (uint16_t)n, {0}, s->prog };
	uint64_t all = ~0ull;
	return poke(tid, s->prog, insns, plen) < 0 || poke(tid, s->hdr, &hdr, sizeof hdr) < 0 ||
	       poke(tid, s->all, &all, sizeof all) < 0 ? -1 : 0;
}

static int inject(struct tracer *tr, struct thread *t)
{
	const pid_t tid = t->tid, pid = t->pid;
	struct sock_filter insns[SECCOMP_MAX_INSNS];
	int n = seccomp_build(&tr->set, insns, sizeof insns / sizeof *insns);
	if (n <= 0)
		return -1;
	struct user_regs_struct saved;
	struct scratch s;
	if (ptrace(PTRACE_GETREGS, tid, 0, &saved) < 0 || !native_entry(tid, saved.rip) ||
	    write_scratch(tid, saved.rsp, insns, n, &s) < 0)
		return -1;

	/* The syscall at this entry stop becomes "block every signal". */
	struct user_regs_struct r = saved;
	r.orig_rax = SYS_rt_sigprocmask;
	r.rdi = SIG_SETMASK;
	r.rsi = s.all;
	r.rdx = s.old;
	r.r10 = KERNEL_SIGSET_SIZE;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) < 0 || step_to_syscall_stop(tr, tid) < 0 ||
	    ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return 1; /* it died, or we lost it: nothing to put back */
	long res = (long)r.rax;
	bool masked = res == 0;
	if (masked) {
		res = run_again(tr, tid, &r, SYS_seccomp, PDIG_SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC,
		                (long)s.hdr, 0);
		if (res == -EACCES) {
			run_again(tr, tid, &r, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0);
			res = run_again(tr, tid, &r, SYS_seccomp, PDIG_SECCOMP_SET_MODE_FILTER,
			                SECCOMP_FILTER_FLAG_TSYNC, (long)s.hdr, 0);
		}
		long back = run_again(tr, tid, &r, SYS_rt_sigprocmask, SIG_SETMASK, (long)s.old, 0,
		                      KERNEL_SIGSET_SIZE);
		if (back != 0)
			fprintf(stderr, "pdig: %d: could not restore the signal mask of thread %d (%s)\n", pid,
			        tid, strerror(back < 0 ? (int)-back : EINVAL));
	}
	/* Re-issue the thread's own syscall: it now meets the filter. */
	struct user_regs_struct again = saved;
	again.rip -= 2;
	again.rax = saved.orig_rax;
	if (ptrace(PTRACE_SETREGS, tid, 0, &again) < 0)
		return 1;
	if (res != 0) {
		fprintf(stderr, "pdig: %d: could not inject the seccomp filter (%s); tracing every "
		                "syscall instead\n", pid,
		        res < 0 ? strerror((int)-res) : masked ? "threads out of sync" : "signal mask");
		tr->inject_seccomp = false;
		return 1;
	}
	threads_each(&tr->threads, mark_filtered, (pid_t *)&pid);
	tracer_process.filter_injected = 1;
	return 0;
}

int inject_seccomp(struct tracer *tr, struct thread *t)
{
	arm_wakeups(true);
	int r = inject(tr, t);
	arm_wakeups(false);
	return r;
}
