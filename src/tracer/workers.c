/* Several tracer threads ("workers"), docs/scale.md.
 *
 * ptrace binds a tracee to the thread that attached it, and an
 * auto-attached child to its creator's tracer thread. So each worker runs
 * the stop loop on its own tracees (waitpid with __WNOTHREAD: another
 * worker's reports are not its to reap), and a new thread is spread at its
 * first stop: the worker that got it parks it in the kernel (park.c: a
 * vfork-style clone, detached at its vfork stop, so it waits for a helper
 * thread of pdig's and never reaches user mode meanwhile) and posts it to
 * a less busy worker, which seizes and interrupts it, has the helper ended
 * and, at the parked thread's stop, puts its registers and signal mask
 * back. A seize that fails kills it.
 *
 * Everything shared (the thread table, procfs and its caches, the kept
 * strings, the event buffer, the sinks behind the output) sits in struct
 * tracer under one lock, held while one report is handled; waitpid and a
 * stop's last resume are made outside it. Each worker has its own
 * placement, polling and counters. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "abi/kernel_abi.h"
#include "lockprof.h"
#include "prelock.h"
#include "procfs/procfs.h"
#include "seize.h"
#include "tracer_internal.h"

#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif

/* pidfd_open's flag for a thread's pidfd (Linux 6.9) is O_EXCL */
#define PIDFD_THREAD_O_EXCL O_EXCL

/* A pidfd naming the thread itself, opened while it is still traced (so
 * still the thread pdig knows): the taker checks after its seize that the
 * tid still names it, and kills through it, never a reused tid. Without
 * PIDFD_THREAD (before 6.9) only a process leader has one; -1 then. */
static int thread_pidfd(pid_t tid)
{
	int fd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD_O_EXCL);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_pidfd_open, tid, 0); /* a leader only */
	return fd;
}

int workers_thread_pidfd(pid_t tid)
{
	return thread_pidfd(tid);
}

/* The signal that wakes a worker out of waitpid: no SA_RESTART, no-op. */
#define WAKE_SIGNAL (SIGRTMIN + 4)
#define KICK_AGAIN_NS 200000 /* a wake lost between the inbox check and waitpid is sent again */

/* A tracee on its way from one worker to another, or (report) a stop of
 * one that another worker's wait reported. */
struct handover {
	pid_t tid;
	bool report;                 /* status is a stop to handle, nothing to seize */
	bool release;                /* tid is seized by its taker: end its park's helper */
	unsigned giver;              /* the worker that parked it (and holds its helper) */
	int status;
	bool exit_stops;             /* PTRACE_O_TRACEEXIT was set on it */
	int pidfd;                   /* the thread itself while parked, or -1 */
	struct user_regs_struct regs; /* as at its first stop */
	uint64_t sigmask;            /* its own mask, all blocked while parked */
};

/* Signal the thread through its pidfd if it has one (0 checks it lives). */
static int signal_parked(const struct handover *h, int sig)
{
	if (h->pidfd >= 0)
		return (int)syscall(SYS_pidfd_send_signal, h->pidfd, sig, NULL, 0);
	return sig ? kill(h->tid, sig) : 0;
}

#define INBOX_MAX 64
#define SEIZE_REAP_NS 5000000L /* serve_seizes: how often a worker waiting to be asked reaps */

struct worker {
	unsigned index;
	pid_t ktid;
	pthread_t thread;
	struct placement placement;
	struct waiting waiting;
	/* under wlock */
	struct handover inbox[INBOX_MAX];
	unsigned ninbox;
	uint64_t posted, taken;      /* handovers posted to it, and taken by it */
	bool idle;                   /* waitpid said ECHILD, nothing in its inbox (also read without wlock: workers_alone) */
	pthread_cond_t cond;         /* inbox or the end, for an idle worker; acks; seize asks and answers */
	/* attach mode, while worker 0 scans /proc: one thread to seize, asked
	 * by worker 0 and answered by this worker (under wlock) */
	struct { bool asked, answered; pid_t pid, tid; int rc, err; } ask;
	bool out;                    /* its thread has left its loop and let go of its tracees */
	/* its own */
	uint64_t served, handed_in, handed_out, handover_failed;
	uint64_t stale_reports;      /* forwarded reports dropped (take_report) */
	uint64_t lock_held_ns, lock_taken;
	uint64_t out_ns, in_ns;      /* time spent handing over, and taking over */
};

static struct {
	unsigned n;
	struct worker *w[WORKERS_MAX];
	pthread_mutex_t wlock;       /* inboxes, idle flags, done */
	bool done;
	bool scanning;               /* attach mode: worker 0 is still seizing (workers_scan_done) */
	unsigned started;            /* workers whose thread runs (worker 0 included) */
	bool follow_cpu;             /* placement and polling asked for (not --no-follow-cpu) */
	struct tracer *tr;
} workers = { .n = 1, .started = 1, .wlock = PTHREAD_MUTEX_INITIALIZER };

static pthread_mutex_t core_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread struct worker *self;
/* the stop's last resume, made once the lock is let go */
static __thread struct { bool deferring, pending; pid_t tid; int request, sig; } later;
static __thread uint64_t locked_at;
/* a handover this worker posted and must see taken */
static __thread struct { struct worker *to; uint64_t seq; } posted;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

unsigned workers_count(void) { return workers.n; }

size_t workers_threads_count(struct tracer *tr)
{
	/* the table is the core lock's: with several workers another may
	 * change its count meanwhile */
	if (workers.n < 2)
		return threads_count(&tr->threads);
	pthread_mutex_lock(&core_mutex);
	size_t n = threads_count(&tr->threads);
	pthread_mutex_unlock(&core_mutex);
	return n;
}
size_t workers_own_threads(struct tracer *tr)
{
	/* with one worker the table's count, as before; with several the
	 * calling worker's own (kept by the table, read without the lock):
	 * placement's "serves a single thread" is per tracer thread */
	if (workers.n < 2 || !self)
		return threads_count(&tr->threads);
	if (tr->attach_mode) {
		/* Attach mode spreads a process's threads over the workers at
		 * the seize, one or two each, whatever they do: counted per
		 * worker, each thread of a 2-thread program was its worker's
		 * only one, and both workers went SCHED_IDLE pinned next to a
		 * thread that computes (0.6-0.9 s per stop, attach tests
		 * flaked). Solo only when the whole program is one thread; a
		 * worker with none of it counts none (crowded, not solo). */
		if (!threads_owned(&tr->threads, (uint8_t)self->index))
			return 0;
		size_t all = 0;
		for (unsigned i = 0; i < workers.n; i++)
			all += threads_owned(&tr->threads, (uint8_t)i);
		return all;
	}
	return threads_owned(&tr->threads, (uint8_t)self->index);
}
bool workers_alone(struct tracer *tr)
{
	(void)tr;
	/* Alone only while every other worker is idle: its own wait said
	 * ECHILD (the kernel's word: no tracee at all, also none the table
	 * does not hold yet, such as a child auto-attached before its
	 * creator's event, and no child) and nothing is in its inbox. The
	 * table's counts cannot tell that: they miss what is not tabled yet.
	 * An idle worker gets a tracee only by a handover, posted by a worker
	 * with tracees while it handles a stop (post() ends the idle state
	 * before it lets go of wlock), not while it waits. So while the
	 * caller is the only one not idle, it stays so until its wait
	 * returns, and a death it reaps directly cannot free a tid that
	 * another worker's tracee takes before the table hears of it. */
	for (unsigned i = 0; i < workers.n; i++)
		if (workers.w[i] != self && !__atomic_load_n(&workers.w[i]->idle, __ATOMIC_ACQUIRE))
			return false;
	return true;
}
unsigned worker_self(void) { return self ? self->index : 0; }
struct placement *core_placement(struct tracer *tr) { return self && self->index ? &self->placement : &tr->placement; }
struct waiting *core_waiting(struct tracer *tr) { return self && self->index ? &self->waiting : &tr->waiting; }
int core_wait_flags(void) { return workers.n > 1 ? __WALL | __WNOTHREAD : __WALL; }

void core_lock(void)
{
	pthread_mutex_lock(&core_mutex);
	if (workers.n > 1) {
		later.deferring = true;
		locked_at = mono_ns();
	}
}

void core_unlock(void)
{
	if (workers.n > 1 && self) {
		self->lock_held_ns += mono_ns() - locked_at;
		self->lock_taken++;
	}
	later.deferring = false;
	pthread_mutex_unlock(&core_mutex);
}

/* core_resume's way, deferred while the lock is held: one pending resume
 * at a time (a second one sends the first). */
bool core_resume_deferred(pid_t tid, int request, int sig)
{
	if (!later.deferring)
		return false;
	core_resume_flush();
	later.pending = true;
	later.tid = tid;
	later.request = request;
	later.sig = sig;
	return true;
}

void core_resume_flush(void)
{
	if (!later.pending)
		return;
	later.pending = false;
	ptrace(later.request, later.tid, 0, (void *)(long)later.sig);
}

static void wake_handler(int sig)
{
	(void)sig;
}

/* A worker's kernel tid, written by its own thread once it runs and read
 * by the others to signal it: atomic (C11: no data race). */
static pid_t ktid_of(const struct worker *w)
{
	return __atomic_load_n(&w->ktid, __ATOMIC_ACQUIRE);
}

pid_t workers_ktid(unsigned i)
{
	return i < workers.n && workers.w[i] ? ktid_of(workers.w[i]) : 0;
}

int workers_wake_signal(void)
{
	return WAKE_SIGNAL;
}

static uint64_t signals_sent, signals_fallen_back; /* atomic */

/* A real-time signal sent by tgkill is refused (EAGAIN) while the user's
 * pending signals are at RLIMIT_SIGPENDING, a per-user count a tracee of
 * pdig's uid can fill (block one and queue it to itself); a standard one
 * never is (the kernel marks it pending, only its siginfo is lost). A
 * wake lost so left a handover waiting forever (pdig hung), a guard
 * request lost refused the tracee's group signal after a second
 * (tamper_test_sigq_fill). So a refused one goes as the guard's fallback
 * signal, whose handler does both jobs (guard_mask.c). false with errno
 * ESRCH: that thread has ended. */
bool workers_signal(pid_t ktid, int sig)
{
	__atomic_add_fetch(&signals_sent, 1, __ATOMIC_RELAXED);
	if (syscall(SYS_tgkill, getpid(), ktid, sig) == 0)
		return true;
	if (errno != EAGAIN)
		return false;
	__atomic_add_fetch(&signals_fallen_back, 1, __ATOMIC_RELAXED);
	return syscall(SYS_tgkill, getpid(), ktid, guard_mask_fallback_signal()) == 0;
}

static void wake(const struct worker *w)
{
	pid_t k = ktid_of(w);
	if (k)
		workers_signal(k, WAKE_SIGNAL);
}

static void kick(struct worker *w)
{
	pthread_cond_signal(&w->cond);
	wake(w);
}

static struct worker *worker_new(unsigned index)
{
	struct worker *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->index = index;
	pthread_cond_init(&w->cond, NULL);
	return w;
}

void workers_setup(struct tracer *tr, unsigned n, bool follow_cpu)
{
	workers.follow_cpu = follow_cpu;
	if (n < 1)
		n = 1;
	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	workers.tr = tr;
	for (unsigned i = 0; i < n; i++) {
		workers.w[i] = worker_new(i);
		if (!workers.w[i]) {
			n = i;
			break;
		}
	}
	workers.n = n ? n : 1;
	if (workers.n > 1) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = wake_handler; /* no SA_RESTART: waitpid returns EINTR */
		sigemptyset(&sa.sa_mask);
		guard_mask_keep_out(&sa.sa_mask);
		sigaction(WAKE_SIGNAL, &sa, NULL);
		guard_mask_setup();
	}
	self = workers.w[0];
	if (self)
		__atomic_store_n(&self->ktid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
}

void workers_served(void)
{
	if (self)
		self->served++;
}

/* The absolute time ns from now, as pthread_cond_timedwait takes it. */
static struct timespec wait_until(long ns)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ns;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

bool workers_done(void)
{
	if (workers.n < 2)
		return false;
	pthread_mutex_lock(&workers.wlock);
	bool d = workers.done;
	pthread_mutex_unlock(&workers.wlock);
	return d;
}

void workers_leave(void)
{
	if (workers.n < 2)
		return;
	pthread_mutex_lock(&workers.wlock);
	workers.done = true;
	for (unsigned i = 0; i < workers.n; i++)
		if (workers.w[i] != self)
			kick(workers.w[i]);
	pthread_mutex_unlock(&workers.wlock);
}

/* The least busy worker by traced threads, counted in the table. */
struct load {
	unsigned count[WORKERS_MAX];
};

static void count_owner(struct thread *t, void *arg)
{
	struct load *l = arg;
	if (t->owner < WORKERS_MAX)
		l->count[t->owner]++;
}

static struct worker *least_busy(struct tracer *tr)
{
	struct load l;
	memset(&l, 0, sizeof l);
	threads_each(&tr->threads, count_owner, &l);
	park_load(l.count, self->index); /* on their way, not yet marked */
	unsigned me = self->index, best = me;
	for (unsigned i = 0; i < workers.n; i++)
		if (l.count[i] < l.count[best])
			best = i;
	/* moving must make things more even (the new one counts as ours) */
	return l.count[best] + 1 < l.count[me] ? workers.w[best] : NULL;
}

static void post(struct worker *to, const struct handover *h);

bool handover_try(struct tracer *tr, struct thread *t)
{
	if (workers.n < 2 || !self || tr->attach_mode || !t->seccomp || t->state != TS_RUNNING || t->exit_deferred)
		return false;
	struct worker *to = least_busy(tr);
	if (!to)
		return false;
	/* posters hold the core lock: room seen now is room when posting
	 * (the count is read under wlock: the taker empties it without the
	 * core lock) */
	pthread_mutex_lock(&workers.wlock);
	bool room = to->ninbox < INBOX_MAX;
	pthread_mutex_unlock(&workers.wlock);
	/* parked from here on (park.c), posted at its vfork stop */
	return room && park_start(tr, t, to->index);
}

bool workers_give(struct tracer *tr, struct thread *t, unsigned to, const struct user_regs_struct *regs,
                  uint64_t sigmask, uint64_t t0)
{
	(void)tr;
	struct handover h = { .tid = t->tid, .exit_stops = t->exit_stops, .giver = self->index,
	                      .regs = *regs, .sigmask = sigmask };
	h.pidfd = thread_pidfd(t->tid);
	if (ptrace(PTRACE_DETACH, t->tid, 0, 0) < 0) {
		if (h.pidfd >= 0)
			close(h.pidfd);
		return false;
	}
	/* detached: from now it waits in the kernel, to be seized by `to` */
	threads_set_owner(&tr->threads, t, (uint8_t)to);
	post(workers.w[to], &h);
	self->handed_out++;
	self->out_ns += mono_ns() - t0;
	return true;
}

void workers_took(uint64_t t0)
{
	self->handed_in++;
	self->in_ns += mono_ns() - t0;
}

/* The giver ends the parked thread's helper: the thread wakes, and traps
 * into this worker's interrupt. Seen taken, as a handover is: a wake lost
 * on the giver would leave the thread parked. */
static void release_helper(struct tracer *tr, const struct handover *h)
{
	if (h->giver >= workers.n)
		return;
	post(workers.w[h->giver], &(struct handover){ .tid = h->tid, .release = true, .pidfd = -1 });
	workers_after_stop(tr);
}

/* A death the worker takes in for a tracee it could not seize. */
static void lost_in_handover(struct tracer *tr, pid_t tid)
{
	core_lock();
	core_on_death(tr, tid, SIGKILL); /* as the kernel reports a SIGKILLed task */
	core_unlock();
	core_resume_flush();
}

static void close_pidfd(const struct handover *h)
{
	if (h->pidfd >= 0)
		close(h->pidfd);
}

/* Seize a parked tracee and interrupt it; its helper is ended then, and
 * its stop comes to this worker's loop (park.c puts it back as it was). */
static void take(struct tracer *tr, const struct handover *h)
{
	uint64_t t0 = mono_ns();
	unsigned long opts = tracer_options(tr) | (h->exit_stops ? PTRACE_O_TRACEEXIT : 0);
	/* without PTRACE_O_TRACEVFORKDONE until that stop: the interrupt's
	 * stop then comes once the clone has returned, where the registers
	 * put back are not overwritten by its return value */
	if (seize_bounded(tr, h->tid, opts & ~(unsigned long)PTRACE_O_TRACEVFORKDONE) < 0) {
		/* gone (killed while parked), someone else's now (EPERM), or
		 * held off by an exec in its process for seconds (ETIMEDOUT):
		 * it ran nothing; fail closed (through the pidfd: the tid may
		 * name another task by now) */
		if (errno != ESRCH)
			signal_parked(h, SIGKILL); /* any thread: the whole process */
		self->handover_failed++;
		release_helper(tr, h);
		lost_in_handover(tr, h->tid);
		close_pidfd(h);
		return;
	}
	/* the tid seized is the parked thread only if its pidfd still names a
	 * live task: else the thread died and the tid was reused, and the
	 * task seized is not pdig's to keep */
	bool same = signal_parked(h, 0) == 0;
	if (same && park_taking(h->tid, opts, &h->regs, h->sigmask, t0)) {
		close_pidfd(h);
		ptrace(PTRACE_INTERRUPT, h->tid, 0, 0);
		release_helper(tr, h);
		return;
	}
	self->handover_failed++;
	release_helper(tr, h);
	if (same) {
		/* no memory to follow it: fail closed; it dies in its wait
		 * and its death comes to this worker, its tracer now */
		signal_parked(h, SIGKILL);
		close_pidfd(h);
		return;
	}
	close_pidfd(h);
	ptrace(PTRACE_INTERRUPT, h->tid, 0, 0);
	int status;
	pid_t r;
	while ((r = waitpid(h->tid, &status, __WALL | __WNOTHREAD)) < 0 && errno == EINTR)
		;
	if (r > 0 && WIFSTOPPED(status))
		ptrace(PTRACE_DETACH, h->tid, 0, 0);
	lost_in_handover(tr, h->tid);
}

/* A stop another worker's wait took: handled here, where ptrace works.
 * The report names a tid, and an exec from a non-leader thread gives the
 * leader's tid to the thread that made it, whose tracer may be this
 * worker: a stop of the old leader that its tracer (or pdig's real-parent
 * wait) took just before would be served here as the new image's, and
 * the new image resumed from a stop this worker has not seen, of another
 * kind. So the report is handled only if the tracee is in a stop of its
 * kind; else it was the old task's (gone: nothing to resume), and the
 * tracee's own stop comes to this worker as any does. */
static void take_report(struct tracer *tr, const struct handover *h)
{
	prelock_info(h->tid, h->status, false); /* read once: the handler takes it from there */
	if (!prelock_stop_is(h->tid, h->status)) {
		prelock_forget();
		self->stale_reports++;
		return;
	}
	self->served++;
	core_lock();
	core_on_stop(tr, h->tid, h->status);
	core_unlock();
	prelock_forget();
	core_resume_flush();
}

static void post(struct worker *to, const struct handover *h)
{
	pthread_mutex_lock(&workers.wlock);
	to->inbox[to->ninbox++] = *h;
	__atomic_store_n(&to->idle, false, __ATOMIC_RELEASE);
	posted.to = to;
	posted.seq = ++to->posted;
	kick(to);
	pthread_mutex_unlock(&workers.wlock);
}

/* The worker whose thread traces tid (TracerPid), or NULL. */
static struct worker *tracing_worker(pid_t tid)
{
	int64_t tracer = procfs_status_field(tid, "TracerPid");
	for (unsigned i = 0; tracer > 0 && i < workers.n; i++)
		if (ktid_of(workers.w[i]) == tracer)
			return workers.w[i];
	return NULL;
}

bool workers_forward(struct tracer *tr, pid_t tid, int status)
{
	if (workers.n < 2 || !self)
		return false;
	struct thread *t = threads_find(&tr->threads, tid);
	/* a new thread's first stop comes to its creator's tracer: here */
	if (!t || !t->attached || t->owner >= workers.n)
		return false;
	struct worker *to = workers.w[t->owner];
	if (status >> 16 == PTRACE_EVENT_EXEC) {
		/* exec from a thread: the leader's tid now names the thread
		 * that made it, whose tracer may not be the leader's; the
		 * table is renamed only once the event is handled */
		unsigned long msg;
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0)
			to = self;
		else if (errno == ESRCH)
			to = tracing_worker(tid);
	}
	if (!to || to == self)
		return false;
	pthread_mutex_lock(&workers.wlock);
	bool room = to->ninbox < INBOX_MAX;
	pthread_mutex_unlock(&workers.wlock);
	if (!room)
		return false; /* (cannot be: a worker holds few) */
	post(to, &(struct handover){ .tid = tid, .report = true, .status = status, .pidfd = -1 });
	return true;
}

bool workers_inbox(struct tracer *tr)
{
	if (workers.n < 2 || !self)
		return false;
	/* One at a time, with one on the stack: serving one can come back
	 * here (take -> release_helper -> workers_after_stop, which serves the
	 * inbox while it waits for the giver), and a copy of the whole inbox
	 * per level (16 KiB) overran a 128 KiB musl thread stack in a few
	 * levels while another worker sat in a bounded seize. */
	bool any = false;
	for (;;) {
		struct handover h;
		pthread_mutex_lock(&workers.wlock);
		bool got = self->ninbox > 0;
		if (got) {
			h = self->inbox[0];
			self->ninbox--;
			memmove(self->inbox, self->inbox + 1, self->ninbox * sizeof *self->inbox);
			if (self->taken < self->posted)
				self->taken++; /* the ack of this one (posted in order) */
			pthread_cond_broadcast(&self->cond);
		}
		pthread_mutex_unlock(&workers.wlock);
		if (!got)
			return any;
		any = true;
		if (h.release)
			park_release(h.tid);
		else if (h.report)
			take_report(tr, &h);
		else
			take(tr, &h);
	}
}

unsigned workers_take_reports(pid_t *tids, int *statuses, unsigned max)
{
	if (workers.n < 2 || !self)
		return 0;
	unsigned got = 0;
	pthread_mutex_lock(&workers.wlock);
	unsigned keep = 0;
	for (unsigned i = 0; i < self->ninbox; i++) {
		const struct handover *h = &self->inbox[i];
		if (h->report && got < max) {
			tids[got] = h->tid;
			statuses[got++] = h->status;
		} else {
			self->inbox[keep++] = *h;
		}
	}
	self->ninbox = keep;
	self->taken = self->posted; /* nobody waits on this worker's ack at the end */
	pthread_cond_broadcast(&self->cond); /* the acks */
	pthread_mutex_unlock(&workers.wlock);
	return got;
}

void workers_after_stop(struct tracer *tr)
{
	if (!posted.to)
		return;
	struct worker *to = posted.to;
	uint64_t seq = posted.seq;
	posted.to = NULL;
	for (;;) {
		pthread_mutex_lock(&workers.wlock);
		bool taken = to->taken >= seq || workers.done;
		if (!taken) {
			struct timespec ts = wait_until(KICK_AGAIN_NS);
			pthread_cond_timedwait(&to->cond, &workers.wlock, &ts);
			taken = to->taken >= seq || workers.done;
			if (!taken)
				kick(to);
		}
		pthread_mutex_unlock(&workers.wlock);
		if (taken)
			return;
		/* one handing to us meanwhile must not wait on us */
		workers_inbox(tr);
	}
}

void workers_poke(void)
{
	if (workers.n < 2)
		return;
	for (unsigned i = 0; i < workers.n; i++)
		if (workers.w[i] != self)
			wake(workers.w[i]);
}

bool workers_idle(struct tracer *tr)
{
	if (workers.n < 2 || !self)
		return false;
	pthread_mutex_lock(&workers.wlock);
	__atomic_store_n(&self->idle, self->ninbox == 0, __ATOMIC_RELEASE);
	/* one still waiting may only wait for a child that is gone */
	for (unsigned i = 0; i < workers.n; i++)
		if (!workers.w[i]->idle)
			wake(workers.w[i]);
	bool all = true;
	for (unsigned i = 0; i < workers.n; i++)
		all = all && workers.w[i]->idle;
	if (all && !workers.done) {
		/* nobody traces anything and nothing is on its way: the end */
		workers.done = true;
		for (unsigned i = 0; i < workers.n; i++)
			if (workers.w[i] != self)
				kick(workers.w[i]);
	}
	while (!workers.done && self->ninbox == 0) {
		if (!tr->attach_mode || self->index != 0) {
			pthread_cond_wait(&self->cond, &workers.wlock);
			continue;
		}
		/* attach mode: the detach request is a signal to worker 0,
		 * which no condition variable hears; an idle worker 0 (its
		 * tracees gone, -P descendants on others) looks every 20 ms */
		if (tracer_process.detach_requested)
			break;
		struct timespec ts = wait_until(20000000);
		pthread_cond_timedwait(&self->cond, &workers.wlock, &ts);
	}
	bool more = !workers.done || self->ninbox;
	__atomic_store_n(&self->idle, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&workers.wlock);
	return more;
}

/* Attach mode (attach.c): ptrace binds a tracee to the thread that seized
 * it, so each thread of the target is seized by the worker that is to
 * serve it; nothing is handed over later (a running thread cannot be: it
 * would need a detach, and run untraced until the next seize). Worker 0
 * scans /proc and asks; until the scan has settled the others only seize
 * (serve_seizes), so no event goes out before every attached thread has
 * been described, and no worker is idle meanwhile: none of them can end
 * the trace (all idle) while a seize is on its way, and none gets a
 * tracee while idle (workers_alone's premise). */
static void serve_seizes(struct tracer *tr, struct worker *w)
{
	pthread_mutex_lock(&workers.wlock);
	for (;;) {
		if (w->ask.asked && !w->ask.answered) {
			pid_t pid = w->ask.pid, tid = w->ask.tid;
			pthread_mutex_unlock(&workers.wlock);
			int rc = attach_seize_thread(tr, pid, tid);
			int err = errno;
			pthread_mutex_lock(&workers.wlock);
			w->ask.rc = rc;
			w->ask.err = err;
			w->ask.answered = true;
			pthread_cond_broadcast(&w->cond);
			continue;
		}
		if (!workers.scanning || workers.done)
			break;
		/* every 5 ms its own dead tracees are reaped: an exec in a
		 * process it traces waits for them, and worker 0's seizes of
		 * that process with it (seize.c) */
		struct timespec ts = wait_until(SEIZE_REAP_NS);
		if (pthread_cond_timedwait(&w->cond, &workers.wlock, &ts) == ETIMEDOUT) {
			pthread_mutex_unlock(&workers.wlock);
			seize_reap_own_deaths(tr);
			pthread_mutex_lock(&workers.wlock);
		}
	}
	pthread_mutex_unlock(&workers.wlock);
}

/* The worker with the fewest threads seizes tid; the leader of the
 * process pdig was pointed at goes to worker 0, whose signal handler
 * interrupts it to end a wait at a detach (attach.c). The counts are
 * exact: worker 0 waits for each answer, and no tracee is served yet. */
int workers_seize(struct tracer *tr, pid_t pid, pid_t tid)
{
	if (workers.n < 2 || !self || self->index != 0)
		return attach_seize_thread(tr, pid, tid);
	unsigned best = 0;
	if (tid != tracer_process.main_pid)
		for (unsigned i = 1; i < workers.started; i++)
			if (threads_owned(&tr->threads, (uint8_t)i) < threads_owned(&tr->threads, (uint8_t)best))
				best = i;
	if (best == 0)
		return attach_seize_thread(tr, pid, tid);
	struct worker *w = workers.w[best];
	pthread_mutex_lock(&workers.wlock);
	w->ask.asked = true;
	w->ask.answered = false;
	w->ask.pid = pid;
	w->ask.tid = tid;
	pthread_cond_broadcast(&w->cond);
	while (!w->ask.answered)
		pthread_cond_wait(&w->cond, &workers.wlock);
	w->ask.asked = false;
	int rc = w->ask.rc;
	errno = w->ask.err;
	pthread_mutex_unlock(&workers.wlock);
	return rc;
}

void workers_scan_done(void)
{
	if (workers.n < 2)
		return;
	pthread_mutex_lock(&workers.wlock);
	workers.scanning = false;
	for (unsigned i = 1; i < workers.n; i++)
		pthread_cond_broadcast(&workers.w[i]->cond);
	pthread_mutex_unlock(&workers.wlock);
}

/* The mask of every worker but 0, for its life (apply in guard_mask.c
 * unblocks only what it blocked itself). */
static void fixed_mask(sigset_t *all)
{
	/* signals sent to pdig (forwarded ones, the ending ones, a tracee's
	 * group signal that guard_group.c takes back) are worker 0's: its
	 * handlers and its mask decide, as with one thread */
	sigfillset(all);
	sigdelset(all, WAKE_SIGNAL);
	sigdelset(all, guard_mask_signal()); /* the guard's requests (guard_mask.c) */
	sigdelset(all, guard_mask_fallback_signal()); /* either, when the queue is full */
	/* Each stop of a tracee sends its tracer thread's process a SIGCHLD.
	 * pdig leaves it at its default (ignored), so the kernel drops it at
	 * once, unless the tracer thread blocks it: then it is queued for the
	 * process and wakes worker 0 from its wait for nothing, once per stop
	 * of every other worker's tracees (measured: about a third more CPU per
	 * stop with two workers, docs/scale.md). */
	sigdelset(all, SIGCHLD);
	/* faults stay deliverable: a blocked one kills (the ring's SIGBUS
	 * guard, src/ring/fault_guard.c, catches a truncated ring) */
	static const int faults[] = { SIGBUS, SIGSEGV, SIGFPE, SIGILL, SIGTRAP, SIGSYS };
	for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
		sigdelset(all, faults[i]);
}

uint64_t workers_left_open(void)
{
	sigset_t all;
	fixed_mask(&all);
	uint64_t open = 0;
	for (int sig = 1; sig <= 64 && sig < NSIG; sig++)
		if (sigismember(&all, sig) != 1)
			open |= 1ull << (sig - 1);
	return open;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct tracer *tr = workers.tr;
	self = w;
	sigset_t all;
	fixed_mask(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	/* known to the others once its mask is set: the guard asks it then */
	__atomic_store_n(&w->ktid, (pid_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	seize_thread_setup(); /* before it has tracees that could fill the signal queue */
	placement_init(&w->placement, workers.follow_cpu);
	waiting_init(&w->waiting, workers.follow_cpu);
	serve_seizes(tr, w);
	core_loop(tr);
	if (tr->attach_mode) {
		/* only this thread may let go of its tracees (a thread that
		 * exits detaches them too, but without their pending signals) */
		if (tracer_process.detach_requested && !tracer_process.keep)
			attach_detach(tr);
	} else if (tracer_process.end_signal) {
		ending_finish(tr, false);
	}
	placement_close(&w->placement);
	park_thread_end();
	pthread_mutex_lock(&workers.wlock);
	w->out = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&workers.wlock);
	return NULL;
}

void workers_start(struct tracer *tr, bool seizing)
{
	(void)tr;
	if (workers.n < 2)
		return;
	/* set before the threads exist: each reads it first thing */
	workers.scanning = seizing;
	unsigned started = 1;
	for (unsigned i = 1; i < workers.n; i++) {
		if (pthread_create(&workers.w[i]->thread, NULL, worker_main, workers.w[i]) != 0)
			break;
		started++;
	}
	workers.started = started;
	/* each one running with its mask set before any tracee is served
	 * (the guard's requests reach only a running worker) */
	for (unsigned i = 1; i < started; i++)
		while (!ktid_of(workers.w[i]))
			sched_yield();
	if (started < workers.n) {
		fprintf(stderr, "pdig: could start only %u of %u tracer threads\n", started, workers.n);
		/* the rest never take a tracee: they count as idle */
		for (unsigned i = started; i < workers.n; i++)
			__atomic_store_n(&workers.w[i]->idle, true, __ATOMIC_RELEASE);
	}
}

/* Has every other worker left its loop and let go of its tracees? */
static bool all_out(void)
{
	pthread_mutex_lock(&workers.wlock);
	bool out = true;
	for (unsigned i = 1; i < workers.started; i++)
		out = out && workers.w[i]->out;
	pthread_mutex_unlock(&workers.wlock);
	return out;
}

void workers_end(struct tracer *tr)
{
	if (workers.n < 2)
		return;
	/* Every 20 ms until each is out: a wake that lands between a
	 * worker's look at the end and its waitpid is lost, and that worker
	 * would sleep until a stop of its own, forever for an idle tree
	 * (a detach must not hang on it). */
	for (;;) {
		workers_leave();
		if (all_out())
			break;
		nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	}
	for (unsigned i = 1; i < workers.started; i++)
		pthread_join(workers.w[i]->thread, NULL);
	park_thread_end();
	if (workers.n > 1 && tr->verbose) {
		uint64_t total = 0, held = 0, taken = 0, outs = 0, ins = 0, out_ns = 0, in_ns = 0;
		for (unsigned i = 0; i < workers.n; i++) {
			struct worker *w = workers.w[i];
			fprintf(stderr, "pdig: tracer thread %u: %llu stops served, handovers %llu in, %llu out, %llu failed; "
			                "%llu stale reports dropped\n",
			        i, (unsigned long long)w->served, (unsigned long long)w->handed_in,
			        (unsigned long long)w->handed_out, (unsigned long long)w->handover_failed,
			        (unsigned long long)w->stale_reports);
			total += w->served;
			held += w->lock_held_ns;
			taken += w->lock_taken;
			outs += w->handed_out;
			ins += w->handed_in;
			out_ns += w->out_ns;
			in_ns += w->in_ns;
		}
		fprintf(stderr, "pdig: %u tracer threads served %llu stops; the shared state's lock was held %.2f us "
		                "per stop; a handover took %.1f us to give, %.1f us to take\n",
		        workers.n, (unsigned long long)total, taken ? (double)held / (double)taken / 1000.0 : 0.0,
		        outs ? (double)out_ns / (double)outs / 1000.0 : 0.0, ins ? (double)in_ns / (double)ins / 1000.0 : 0.0);
		park_report();
		seize_report(tr->verbose);
		lp_report(held, taken);
		guard_mask_report(signals_sent, signals_fallen_back);
	}
	if (tr->verbose)
		guard_group_report();
	if (workers.n > 1) {
		/* the polling figures of every worker, reported as one (each
		 * polls for its own tracees, waiting.c) */
		for (unsigned i = 1; i < workers.n; i++) {
			const struct waiting *w = &workers.w[i]->waiting;
			tr->waiting.total_polls += w->total_polls;
			tr->waiting.total_hits += w->total_hits;
			tr->waiting.total_preempted += w->total_preempted;
			tr->waiting.pauses += w->pauses;
		}
		core_report(tr);
	}
}

void workers_run(struct tracer *tr)
{
	workers_start(tr, false);
	core_loop(tr);
	if (tracer_process.end_signal)
		ending_finish(tr, true);
	workers_end(tr);
}
