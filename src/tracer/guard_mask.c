/* The signals the guard blocks in every pdig thread (guard_group.c).
 *
 * A signal sent to pdig's process goes to any of its threads that does not
 * block it, and a thread's mask is its own: with several tracer threads,
 * blocking a signal only in the worker that handles a tracee's group call
 * left it deliverable to the others (worker 0 receives pdig's signals; the
 * rest leave the faults and their wake signal open), and pdig ended on its
 * tracee's `kill 0`. So the guard names a set, and every worker blocks it
 * before the call runs: the calling worker in itself, each other one in its
 * handler of SYNC_SIGNAL, which edits the mask the kernel restores when the
 * handler returns (uc_sigmask) and acknowledges the generation of the set
 * it applied. A worker blocked in waitpid, in a futex or on a CPU runs the
 * handler at once (SA_RESTART: its call goes on). The set is changed only
 * under the core lock, so one thread at a time asks.
 *
 * Each thread unblocks only what it blocked for the guard (`added`): a
 * worker other than 0 blocks most signals for good (workers.c), and must
 * not start taking them when a group call ends.
 *
 * The request is a real-time signal, which a full pending-signal queue
 * refuses (EAGAIN: the count is per user, and a tracee of pdig's uid can
 * fill it); it then goes as FALLBACK_SIGNAL, a standard signal, which the
 * kernel always marks pending (workers_signal). The same handler runs for
 * both: it reads the set and generation when it runs, so a request merged
 * into one already pending is applied as well. FALLBACK_SIGNAL also wakes a
 * worker (no SA_RESTART: its waitpid returns EINTR), the job of the wake
 * signal it stands in for; for a guard request the EINTR is harmless.
 * A worker that has not acked is asked again every ACK_RESEND_NS. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "abi/time_ns.h"
#include "tracer_internal.h"

#define SYNC_SIGNAL (SIGRTMIN + 5)
#define ACK_WAIT_NS 1000000000ull /* a worker that takes longer: the call is refused */
#define ACK_POLL_NS 20000          /* between looks at the acknowledgements */
#define ACK_RESEND_NS 5000000      /* a worker still not acked is asked again */
/* Default action: ignored, so one sent to pdig from outside (or by a
 * tracee, guard.c lets it through) changed nothing before and, running
 * this handler, changes nothing now. */
#define FALLBACK_SIGNAL SIGURG /* named in guard_mask_report */

static uint64_t wanted;               /* the set (bit sig-1), atomic */
static uint64_t generation;           /* bumped with each change of wanted, atomic */
static uint64_t acked[WORKERS_MAX];   /* per worker: the generation it applied, atomic */
static __thread uint64_t added;       /* what this thread blocked for the guard */
static struct {
	uint64_t waits, refused, longest_ns; /* under the core lock */
} stats;

static uint64_t bit(int sig)
{
	return sig >= 1 && sig <= 64 ? 1ull << (sig - 1) : 0;
}

/* Make mask block `want` and nothing more of what this thread added.
 * Pure bit work on a sigset: fine in a signal handler. */
static void apply(sigset_t *mask, uint64_t want)
{
	for (int sig = 1; sig <= 64; sig++) {
		uint64_t b = bit(sig);
		if ((want & b) && !(added & b) && sigismember(mask, sig) == 0 && sigaddset(mask, sig) == 0)
			added |= b;
		else if (!(want & b) && (added & b)) {
			sigdelset(mask, sig);
			added &= ~b;
		}
	}
}

static void on_sync(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	int saved = errno;
	ucontext_t *uc = ucv;
	uint64_t gen = __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
	uint64_t want = __atomic_load_n(&wanted, __ATOMIC_ACQUIRE);
	/* The handler runs with the mask it interrupted (plus SYNC_SIGNAL);
	 * uc_sigmask only takes effect at its return. Once acked, the tracee's
	 * group call may run at once, and its signal must not find this thread
	 * open in between (a preempted handler let one through under load and
	 * its default action ended pdig): so block it now as well. */
	sigset_t now;
	sigemptyset(&now);
	for (int s = 1; s <= 64; s++)
		if ((want & bit(s)) && sigismember(&uc->uc_sigmask, s) == 0)
			sigaddset(&now, s);
	pthread_sigmask(SIG_BLOCK, &now, NULL);
	apply(&uc->uc_sigmask, want);
	__atomic_store_n(&acked[worker_self()], gen, __ATOMIC_RELEASE);
	errno = saved;
}

void guard_mask_setup(void)
{
	/* never one inside the other: both edit this thread's `added` */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, FALLBACK_SIGNAL);
	/* not inside the wake handler either (see guard_mask_keep_out) */
	sigaddset(&sa.sa_mask, workers_wake_signal());
	sa.sa_sigaction = on_sync;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SYNC_SIGNAL, &sa, NULL);
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SYNC_SIGNAL);
	sigaddset(&sa.sa_mask, workers_wake_signal());
	sa.sa_flags = SA_SIGINFO; /* also a wake: waitpid must return EINTR */
	sigaction(FALLBACK_SIGNAL, &sa, NULL);
}

/* on_sync edits its own frame's saved mask: run nested inside another
 * handler, that edit (and its in-handler block) is undone when the outer
 * handler returns, yet it has acked, and the guarded signal gets in. So
 * every other pdig handler holds both request signals off while it runs. */
void guard_mask_keep_out(sigset_t *mask)
{
	sigaddset(mask, SYNC_SIGNAL);
	sigaddset(mask, FALLBACK_SIGNAL);
}

void guard_handler_keep_out(sigset_t *mask)
{
	guard_mask_keep_out(mask);
}

int guard_mask_signal(void)
{
	return SYNC_SIGNAL;
}

int guard_mask_fallback_signal(void)
{
	return FALLBACK_SIGNAL;
}

void guard_mask_report(uint64_t sent, uint64_t fallen_back)
{
	fprintf(stderr, "pdig: signals between tracer threads: %llu sent, %llu as SIGURG (the real-time queue was full)\n",
	        (unsigned long long)sent, (unsigned long long)fallen_back);
	if (stats.waits)
		fprintf(stderr, "pdig: guard: %llu group signals blocked in every tracer thread, longest wait %llu us, "
		                "%llu refused (a tracer thread too slow)\n",
		        (unsigned long long)stats.waits, (unsigned long long)(stats.longest_ns / 1000),
		        (unsigned long long)stats.refused);
}

/* Every other worker has applied generation gen (or is gone), or blocks
 * all of want anyway. A worker other than 0 blocks for good every signal
 * but its wake, the guard's requests, SIGCHLD and the faults (workers.c):
 * for a set of such signals (a group SIGTERM, SIGINT, SIGUSR1...) only
 * worker 0 has to act, and the call need not wait for a worker that is
 * slow to get a CPU (one that shares it with a busy program). It is
 * asked all the same: it applies the set when it runs, and so unblocks in
 * time what it blocked for an earlier set. */
static bool others_acked(uint64_t gen, uint64_t want, bool ask)
{
	bool all = true;
	unsigned me = worker_self();
	bool closed = !(want & workers_left_open());
	for (unsigned i = 0; i < workers_count(); i++) {
		if (i == me || __atomic_load_n(&acked[i], __ATOMIC_ACQUIRE) >= gen)
			continue;
		pid_t k = workers_ktid(i);
		if (!k)
			continue; /* never started */
		if (ask && !workers_signal(k, SYNC_SIGNAL) && errno == ESRCH) {
			__atomic_store_n(&acked[i], gen, __ATOMIC_RELEASE); /* its thread has ended */
			continue;
		}
		if (i != 0 && closed)
			continue;
		all = false;
	}
	return all;
}

bool guard_mask_set(uint64_t want, bool wait)
{
	/* the set before its generation: a handler that sees the new
	 * generation sees the new set */
	__atomic_store_n(&wanted, want, __ATOMIC_RELEASE);
	uint64_t gen = __atomic_add_fetch(&generation, 1, __ATOMIC_ACQ_REL);
	/* a request another worker sent earlier may still come: not while
	 * this thread edits its own mask and `added` (it runs once this is
	 * done, and applies the same set) */
	sigset_t sync, now;
	sigemptyset(&sync);
	sigaddset(&sync, SYNC_SIGNAL);
	sigaddset(&sync, FALLBACK_SIGNAL);
	pthread_sigmask(SIG_BLOCK, &sync, &now);
	apply(&now, want);
	pthread_sigmask(SIG_SETMASK, &now, NULL);
	pthread_sigmask(SIG_BLOCK, NULL, &now);
	__atomic_store_n(&acked[worker_self()], gen, __ATOMIC_RELEASE);
	/* a signal libc keeps for itself is left out of a mask (glibc), or
	 * refused (musl): it cannot be guarded */
	for (int sig = 1; sig <= 64; sig++)
		if ((want & bit(sig)) && sigismember(&now, sig) != 1)
			return false;
	if (workers_count() < 2)
		return true;
	bool all = others_acked(gen, want, true);
	if (!wait)
		return true;
	/* Bounded, and short: a request always gets through, so this is the
	 * time the others take to run a handler (they get a CPU) */
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC), t = t0, asked = t0;
	while (!all && t - t0 < ACK_WAIT_NS) {
		struct timespec ts = { 0, ACK_POLL_NS };
		nanosleep(&ts, NULL);
		t = clock_ns(CLOCK_MONOTONIC);
		bool ask = t - asked >= ACK_RESEND_NS;
		if (ask)
			asked = t;
		all = others_acked(gen, want, ask);
	}
	stats.waits++;
	stats.refused += !all;
	if (t - t0 > stats.longest_ns)
		stats.longest_ns = t - t0;
	return all;
}
