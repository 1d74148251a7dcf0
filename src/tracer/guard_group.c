/* Group signals from a tracee (kill(0, sig), kill(-pgid, sig), kill(-1,
 * sig), pidfd_send_signal with PIDFD_SIGNAL_PROCESS_GROUP): they reach
 * every process they name, as without pdig, but not pdig.
 *
 * A spawned program starts in pdig's process group, so a script's
 * `trap 'kill 0' EXIT` signals pdig too. Refusing the call (EPERM) breaks
 * the script; delivering the signal to the others only would mean pdig
 * sending it in the caller's name. So the call runs, and pdig takes its
 * own copy out of the way: at the call's entry stop pdig blocks the
 * signal in itself, and at the call's exit (or the caller's death) it
 * takes every pending instance of it with a zero-timeout sigtimedwait:
 * one a tracee sent (si_pid names a process with such a call in flight)
 * is dropped; any other (a terminal's ^C, kill(1) from outside, pdig's
 * own timer) is queued again to pdig (requeue: its siginfo unchanged from
 * worker 0, as SI_QUEUE from another), then the signal is unblocked. pdig's dispositions stay as they are. This is done
 * for every group call of a catchable signal, whether or not it looks
 * like reaching pdig at the entry: the caller's group may change between
 * the check and the call (setpgid from another thread).
 *
 * With several tracer threads the signal must be blocked in every one of
 * them, whichever worker handles the call: guard_mask.c does that. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "tracer_internal.h"

#define IN_FLIGHT_MAX 64
#define KEPT_MAX 8
/* si_value of a copy the kernel had sent (a terminal's ^C or hang-up),
 * queued again as SI_QUEUE by a worker that may not impersonate the kernel
 * (requeue): ending.c must still not forward it to the program, which got
 * the terminal's own copy */
#define FROM_KERNEL_MARK 0x70646b72 /* "pdkr" */

static struct {
	uint64_t requeued;  /* outside copies queued again to pdig */
	uint64_t as_queued; /* ... of which as SI_QUEUE (another worker than 0) */
	uint64_t as_kill;   /* ... of which with a plain kill (siginfo lost) */
	uint64_t beyond;    /* outside copies past KEPT_MAX in one call: dropped */
} requeue_stats; /* under the core lock */

static struct {
	pid_t tid, pid; /* the calling thread and its process */
	int sig;
} in_flight[IN_FLIGHT_MAX];
static int n_in_flight;

static int find(pid_t tid)
{
	for (int i = 0; i < n_in_flight; i++)
		if (in_flight[i].tid == tid)
			return i;
	return -1;
}

/* Every signal a group call in flight sends, as a mask (bit sig-1). */
static uint64_t in_flight_set(void)
{
	uint64_t set = 0;
	for (int i = 0; i < n_in_flight; i++)
		set |= 1ull << (in_flight[i].sig - 1);
	return set;
}

/* Sent by a process (not the kernel) with a group call in flight? */
static bool from_tracee(const siginfo_t *si)
{
	if (si->si_code > 0)
		return false;
	for (int i = 0; i < n_in_flight; i++)
		if (in_flight[i].pid == si->si_pid)
			return true;
	return false;
}

/* false for a signal libc keeps for itself (musl refuses to add it) */
static bool only(int sig, sigset_t *s)
{
	sigemptyset(s);
	return sigaddset(s, sig) == 0;
}

bool guard_group_begin(pid_t tid, pid_t pid, int sig)
{
	if (sig <= 0 || sig > 64 || sig >= NSIG || sig == SIGKILL || sig == SIGSTOP)
		return false;
	guard_group_end(tid); /* a stale one (its thread vanished in an exec) */
	/* pdig's own wake-up signals (several workers) have handlers that do
	 * nothing harmful when a tracee sends them: the call just runs (and
	 * blocking one in the workers would keep the next request out)
	 * (SIGURG, the fallback request, never gets here: harmless_signal) */
	if (workers_count() > 1 && (sig == workers_wake_signal() || sig == guard_mask_signal()))
		return true;
	if (n_in_flight == IN_FLIGHT_MAX)
		return false;
	/* a signal libc keeps for itself (glibc's sigprocmask leaves it out)
	 * cannot be blocked: refused instead where it reaches pdig; so is one
	 * a worker did not block in time */
	sigset_t s;
	if (!only(sig, &s))
		return false;
	in_flight[n_in_flight++] = (typeof(in_flight[0])){ tid, pid, sig };
	if (!guard_mask_set(in_flight_set(), true)) {
		n_in_flight--;
		guard_mask_set(in_flight_set(), false);
		return false;
	}
	return true;
}

bool guard_group_follows(pid_t tid)
{
	return n_in_flight && find(tid) >= 0;
}

/* Queue a kept copy again to pdig's main thread (worker 0, which takes
 * pdig's signals). The kernel lets a thread queue any si_code only to
 * itself: to another thread, a code >= 0 (kill's SI_USER, the kernel's
 * own) or SI_TKILL is refused with EPERM (do_rt_tgsigqueueinfo: no one
 * impersonates kill, tgkill or the kernel). So a worker other than 0 sends
 * it as SI_QUEUE with the sender's pid and uid kept: the handler sees who
 * sent it, and a kernel's copy keeps that mark (guard_group_from_kernel).
 * Handing the copy to worker 0 instead would keep the code, but worker 0
 * may be busy or asleep in a wait, and the ending must not wait for it.
 * If that fails too (a real-time signal with the user's queue full:
 * EAGAIN), a plain kill: the kernel marks a SI_USER signal pending even
 * then, only its siginfo is lost. So an operator's SIGTERM always arrives. */
static void requeue(int sig, const siginfo_t *kept)
{
	pid_t me = getpid();
	requeue_stats.requeued++;
	siginfo_t si = *kept;
	if (syscall(SYS_rt_tgsigqueueinfo, me, me, sig, &si) == 0)
		return;
	if (errno == EPERM) {
		if (si.si_code > 0) {
			/* the kernel's own (POLL_* of a file's owner, SI_KERNEL):
			 * no sender, and si_pid may hold other fields (si_band) */
			si.si_pid = me;
			si.si_uid = getuid();
			si.si_value.sival_int = si.si_code == SI_KERNEL ? FROM_KERNEL_MARK : 0;
		}
		si.si_code = SI_QUEUE;
		if (syscall(SYS_rt_tgsigqueueinfo, me, me, sig, &si) == 0) {
			requeue_stats.as_queued++;
			return;
		}
	}
	requeue_stats.as_kill++;
	kill(me, sig);
}

/* A same-uid process outside the tracees may forge the mark (si_pid is
 * its to choose with rt_sigqueueinfo): pdig then just does not forward
 * that signal to the program, which it could have sent there itself. */
bool guard_group_from_kernel(const siginfo_t *si)
{
	return si->si_code == SI_KERNEL ||
	       (si->si_code == SI_QUEUE && si->si_pid == getpid() && si->si_value.sival_int == FROM_KERNEL_MARK);
}

void guard_group_report(void)
{
	if (requeue_stats.requeued)
		fprintf(stderr, "pdig: guard: %llu signals from outside taken back and queued again to pdig, %llu as "
		                "SI_QUEUE (from another tracer thread than the main one), %llu with a plain kill; "
		                "%llu more copies of a queued signal dropped (past %d in one call)\n",
		        (unsigned long long)requeue_stats.requeued, (unsigned long long)requeue_stats.as_queued,
		        (unsigned long long)requeue_stats.as_kill, (unsigned long long)requeue_stats.beyond, KEPT_MAX);
}

void guard_group_end(pid_t tid)
{
	int i = n_in_flight ? find(tid) : -1;
	if (i < 0)
		return;
	int sig = in_flight[i].sig;
	sigset_t s;
	only(sig, &s); /* it was blocked, so it can be named */
	siginfo_t si, kept[KEPT_MAX];
	int nkept = 0;
	static const struct timespec now = { 0, 0 };
	/* (standard signals are pending once at most; real-time ones queue:
	 * past KEPT_MAX outside copies in one call, the rest are counted and
	 * dropped, with their si_value: the kept ones still bring the signal
	 * to pdig. Queued again inside this loop, a copy for worker 0 would be
	 * taken back at once when worker 0 runs it) */
	while (sigtimedwait(&s, &si, &now) == sig) {
		if (from_tracee(&si))
			continue;
		if (nkept < KEPT_MAX)
			kept[nkept++] = si;
		else
			requeue_stats.beyond++;
	}
	in_flight[i] = in_flight[--n_in_flight];
	for (int k = 0; k < nkept; k++)
		requeue(sig, &kept[k]);
	guard_mask_set(in_flight_set(), false);
}
