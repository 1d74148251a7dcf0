/* Injects pdig's seccomp filter into an attached process: at a
 * syscall-entry stop the thread's own syscall is swapped for seccomp(2)
 * (with TSYNC, so every thread gets it), then the original syscall is
 * re-issued. If the process lacks CAP_SYS_ADMIN, prctl(NO_NEW_PRIVS) is
 * injected first, as the kernel requires.
 * Returns 0 when the filter is in place, -1 if nothing was changed, 1 if it
 * failed after the thread was moved (it re-issues its syscall). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "kernel_abi.h"
#include "tracer_internal.h"

#define SECCOMP_FILTER_FLAG_TSYNC 1

/* Resume with PTRACE_SYSCALL and wait for this thread's next syscall stop. */
static int step_to_syscall_stop(pid_t tid)
{
	if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
		return -1;
	for (;;) {
		int status;
		if (waitpid(tid, &status, __WALL) < 0)
			return -1;
		if (!WIFSTOPPED(status))
			return -1; /* it died */
		if (WSTOPSIG(status) == (SIGTRAP | 0x80))
			return 0;
		/* anything else (a signal) is put back and we go on */
		int sig = (status >> 16) == 0 ? WSTOPSIG(status) : 0;
		if (ptrace(PTRACE_SYSCALL, tid, 0, (void *)(long)sig) < 0)
			return -1;
	}
}

/* From an exit stop, run one more syscall; returns its result. */
static long run_again(pid_t tid, const struct user_regs_struct *base, long nr, long a0, long a1, long a2)
{
	struct user_regs_struct r = *base;
	r.rip -= 2; /* back onto the syscall instruction */
	r.rax = (unsigned long)nr;
	r.rdi = (unsigned long)a0;
	r.rsi = (unsigned long)a1;
	r.rdx = (unsigned long)a2;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) < 0 || step_to_syscall_stop(tid) < 0 ||
	    step_to_syscall_stop(tid) < 0 || ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
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

static void mark_filtered(struct thread *t, void *arg)
{
	pid_t pid = *(pid_t *)arg;
	if (t->pid == pid)
		t->seccomp = true;
}

int inject_seccomp(struct thread *t)
{
	struct sock_filter insns[8 + 2 * PDIG_SYSCALL_MAX];
	int n = seccomp_build(&tracer.set, insns, sizeof insns / sizeof *insns);
	if (n <= 0)
		return -1;
	struct user_regs_struct saved;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &saved) < 0)
		return -1;
	/* The program and its header go below the stack pointer, past the red
	 * zone; the kernel copies them, so the scratch space is free after. */
	uint64_t prog_addr = (saved.rsp - 256 - (uint64_t)n * sizeof *insns) & ~15ull;
	uint64_t hdr_addr = prog_addr - 32;
	struct { uint16_t len; uint16_t pad[3]; uint64_t filter; } hdr = { (uint16_t)n, {0}, prog_addr };
	if (poke(t->tid, prog_addr, insns, (size_t)n * sizeof *insns) < 0 ||
	    poke(t->tid, hdr_addr, &hdr, sizeof hdr) < 0)
		return -1;

	/* Swap the syscall at this entry stop for a harmless getpid, so every
	 * injected call below is issued the same way, from an exit stop. */
	struct user_regs_struct r = saved;
	r.orig_rax = SYS_getpid;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &r) < 0 || step_to_syscall_stop(t->tid) < 0 ||
	    ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0)
		return -1;
	long res = run_again(t->tid, &r, SYS_seccomp, PDIG_SECCOMP_SET_MODE_FILTER,
	                     SECCOMP_FILTER_FLAG_TSYNC, (long)hdr_addr);
	if (res == -EACCES) {
		run_again(t->tid, &r, SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0);
		res = run_again(t->tid, &r, SYS_seccomp, PDIG_SECCOMP_SET_MODE_FILTER,
		                SECCOMP_FILTER_FLAG_TSYNC, (long)hdr_addr);
	}
	/* Re-issue the thread's own syscall: it now meets the filter. */
	struct user_regs_struct back = saved;
	back.rip -= 2;
	back.rax = saved.orig_rax;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &back) < 0)
		return -1;
	if (res != 0) {
		fprintf(stderr, "pdig: %d: could not inject the seccomp filter (%s); tracing every "
		                "syscall instead\n", t->pid, res < 0 ? strerror((int)-res) : "threads out of sync");
		tracer.inject_seccomp = false;
		return 1;
	}
	threads_each(mark_filtered, &t->pid);
	return 0;
}
