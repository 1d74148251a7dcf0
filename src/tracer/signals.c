/* Signals as the kernel driver reports them.
 *
 * Under ptrace every signal reaches the tracer, even one the program
 * ignores, which the kernel would have discarded when it was sent. Such a
 * signal still interrupts a blocking call, which returns a restart errno
 * and is restarted once the signal is found to be ignored. The driver
 * never sees any of it, so a syscall exit with a restart errno waits here
 * until the signal that caused it is known:
 *   - one the kernel discards: the exit and the restarted entry are not
 *     reported; the restarted call's exit is the call's exit;
 *   - any other: the exit is reported as the driver reports it (the
 *     syscall tracepoint sees the restart errno), then the signal.
 *
 * The driver's signaldeliver comes from the kernel's signal_deliver
 * tracepoint: for each signal taken from the queue, and for the SIGKILL
 * that ends each thread of a process in a group exit (exit_group, a fatal
 * signal, exec in another thread), which has no sender. ptrace shows the
 * first as signal-delivery stops and the second only as the thread's
 * PTRACE_EVENT_EXIT stop, where the syscall it was blocked in is also
 * ended: the driver reports that syscall's exit with the errno it
 * returned, which is in the registers at that stop. */
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

#include "budget.h"
#include "procfs/procfs.h"
#include "tracer_internal.h"

/* The restart errnos (kernel-internal, never seen by the program when the
 * call is restarted). */
enum {
	RESTARTSYS = 512,
	RESTARTNOINTR = 513,
	RESTARTNOHAND = 514,
	RESTART_RESTARTBLOCK = 516, /* restarted as restart_syscall */
};

/* The kernel's own signal numbering: 32..64 are real-time. */
#define KERNEL_SIGRTMIN 32
#define KERNEL_NSIG 64

/* x86 code segments: which syscall numbering the registers use */
#define CS_64BIT 0x33
#define CS_32BIT 0x23
#define X32_SYSCALL_BIT 0x40000000ull
#define IA32_EXIT 1
#define IA32_EXIT_GROUP 252

static uint64_t bit(int sig)
{
	return sig >= 1 && sig <= KERNEL_NSIG ? 1ull << (sig - 1) : 0;
}

#define SIGS_DEFAULT_IGNORED (bit(SIGCHLD) | bit(SIGCONT) | bit(SIGURG) | bit(SIGWINCH))
#define SIGS_DEFAULT_STOP (bit(SIGSTOP) | bit(SIGTSTP) | bit(SIGTTIN) | bit(SIGTTOU))
#define SIGS_DEFAULT_CORE                                                                          \
	(bit(SIGQUIT) | bit(SIGILL) | bit(SIGTRAP) | bit(SIGABRT) | bit(SIGBUS) | bit(SIGFPE) |    \
	 bit(SIGSEGV) | bit(SIGXCPU) | bit(SIGXFSZ) | bit(SIGSYS))

bool sig_defers_exit(int64_t ret)
{
	return ret == -RESTARTSYS || ret == -RESTARTNOINTR || ret == -RESTARTNOHAND || ret == -RESTART_RESTARTBLOCK;
}

void sig_flush_exit(struct tracer *tr, struct thread *t, bool want)
{
	if (!t->exit_deferred)
		return;
	t->exit_deferred = false;
	t->restart_hidden = false;
	if (want)
		core_emit_exit(tr, t, t->deferred_ret);
	else
		core_skip_exit(tr, t);
	t->state = TS_RUNNING;
}

bool sig_absorb_restart(struct tracer *tr, struct thread *t, uint64_t nr, bool want)
{
	if (t->in_restart)
		return true; /* the seccomp stop after the restart's entry stop */
	if (!t->exit_deferred)
		return false;
	bool same = nr == t->nr || (t->deferred_ret == -RESTART_RESTARTBLOCK && nr == SYS_restart_syscall);
	if (t->restart_hidden && same) {
		t->exit_deferred = false;
		t->restart_hidden = false;
		t->in_restart = true;
		return true;
	}
	/* restarted for another reason (a freezer, a stop): the driver sees
	 * that exit and the new entry too */
	sig_flush_exit(tr, t, want);
	return false;
}

/* The sender the driver names (it reads the siginfo for these only). */
static int64_t sender_as_driver(int sig, const siginfo_t *si)
{
	switch (sig) {
	case SIGTERM:
	case SIGHUP:
	case SIGINT:
	case SIGTSTP:
	case SIGQUIT:
		/* sent by a process (kill, sigqueue, tkill), not by the kernel */
		return si->si_code <= 0 ? si->si_pid : 0;
	case SIGCHLD:
		return si->si_pid;
	default:
		return sig >= KERNEL_SIGRTMIN ? si->si_pid : 0;
	}
}

static void emit_delivery(struct tracer *tr, pid_t tid, int64_t spid, int sig)
{
	uint64_t ts = core_now_ns();
	for (const struct pdig_schema *s = core_schema_next(tr, NULL); s; s = core_schema_next(tr, s))
		core_emit(tr, s, encode_signaldeliver(s, ts, tid, spid, sig, tr->event_buf, sizeof tr->event_buf));
}

/* A signal taken from the queue, as the driver would report it. */
static void report_delivery(struct tracer *tr, struct thread *t, int sig, bool caught)
{
	uint64_t b = bit(sig);
	/* A default action that ends the process and dumps no core: the kernel
	 * turns it into a group exit when it is sent (unless the process is
	 * traced), so each thread takes a SIGKILL instead, reported at its
	 * exit stop. */
	if (!caught && !(b & (SIGS_DEFAULT_STOP | SIGS_DEFAULT_CORE)))
		return;
	siginfo_t si;
	int64_t spid = ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) == 0 ? sender_as_driver(sig, &si) : 0;
	emit_delivery(tr, t->tid, spid, sig);
	if (!caught && (b & SIGS_DEFAULT_CORE))
		t->fatal_reported = true;
}

void sig_on_delivery_stop(struct tracer *tr, struct thread *t, int sig, bool want)
{
	/* the dispositions are read only when an event may follow */
	if (want || t->exit_deferred) {
		uint64_t ignored = 0, caught = 0, b = bit(sig);
		bool known = procfs_signal_dispositions(tr->procfs, t->tid, sig, &ignored, &caught) == 0;
		bool handled = !known || (caught & b);
		if (!handled && ((ignored & b) || (b & SIGS_DEFAULT_IGNORED))) {
			/* the kernel would have discarded it when it was sent */
			if (t->exit_deferred)
				t->restart_hidden = true;
			budget_on_discarded_signal(t);
		} else {
			sig_flush_exit(tr, t, want);
			/* a call the program's own filter trapped: its exit first,
			 * as the driver's sys_exit comes before the signal */
			if (want && sig == SIGSYS)
				guard_seccomp_trapped(tr, t);
			if (want)
				report_delivery(tr, t, sig, handled);
		}
	}
	/* PTRACE_SYSCALL while the exit waits: the restart's entry must stop
	 * even where the filter would let it through (restart_syscall) */
	core_resume(t->tid, t->state == TS_IN_SYSCALL || !t->seccomp ? PTRACE_SYSCALL : PTRACE_CONT, sig);
}

/* Did the thread end by its own exit or exit_group (no SIGKILL then)? */
static bool own_exit(const struct thread *t, const struct user_regs_struct *r)
{
	if (t->state == TS_IN_SYSCALL && (t->nr == SYS_exit || t->nr == SYS_exit_group))
		return true;
	if (!r)
		return true; /* unknown: claim no signal */
	uint64_t nr = r->orig_rax;
	if (r->cs == CS_32BIT)
		return nr == IA32_EXIT || nr == IA32_EXIT_GROUP;
	nr &= ~X32_SYSCALL_BIT;
	return nr == SYS_exit || nr == SYS_exit_group;
}

void sig_on_exit_stop(struct tracer *tr, struct thread *t, bool want)
{
	struct user_regs_struct regs;
	bool have_regs = ptrace(PTRACE_GETREGS, t->tid, 0, &regs) == 0;
	bool own = own_exit(t, have_regs ? &regs : NULL);
	guard_call_over(t->tid, false); /* its call is over */
	/* a syscall cut short: its exit, with what it returned */
	if (t->state == TS_IN_SYSCALL && !t->silent && !(t->nr == SYS_exit || t->nr == SYS_exit_group)) {
		if (t->exit_deferred)
			sig_flush_exit(tr, t, want);
		else if (want && have_regs)
			core_emit_exit(tr, t, (int64_t)regs.rax);
		else
			core_skip_exit(tr, t);
	}
	t->exit_deferred = t->restart_hidden = t->in_restart = t->silent = false;
	t->state = TS_RUNNING;
	if (want && !own && !t->fatal_reported)
		emit_delivery(tr, t->tid, 0, SIGKILL);
}
