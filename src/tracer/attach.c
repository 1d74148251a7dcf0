/* Attach mode: -p PID (every thread of a process), -P PID (the process and
 * all its descendants), -S (inject the seccomp filter), and a clean detach
 * on SIGINT/SIGTERM/SIGHUP that leaves the tracees running. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs/procfs.h"
#include "abi/kernel_abi.h"
#include "tracer/tracer.h"
#include "seize.h"
#include "tracer_internal.h"

static pid_t status_field(pid_t pid, const char *key)
{
	return (pid_t)procfs_status_field(pid, key);
}

static bool is_self_or_ancestor(pid_t pid)
{
	for (pid_t p = getpid(), hops = 0; p > 0 && hops < 4096; hops++) {
		if (p == pid)
			return true;
		p = status_field(p, "PPid");
	}
	return false;
}

static void tick_handler(int sig)
{
	(void)sig;
}

/* SIGALRM every 20 ms (on) or none (off: it must not outlive the trace,
 * an interval timer survives the keeper's exec and would kill it). */
static void detach_tick(bool on)
{
	struct itimerval it = { { 0, on ? 20000 : 0 }, { 0, on ? 20000 : 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void detach_request(int sig)
{
	(void)sig;
	tracer_process.stop_signals++;
	/* before the filter is in, detaching is harmless; after, a keeper
	 * takes over (keeper.c) when pdig could split at start */
	if (tracer_process.filter_injected && !tracer_process.split && tracer_process.stop_signals == 1) {
		static const char msg[] =
			"pdig: the seccomp filter cannot be removed: if pdig detached now, the traced "
			"syscalls would fail with ENOSYS. Tracing goes on until the process exits; "
			"send the signal again to detach anyway.\n";
		ssize_t r = write(2, msg, sizeof msg - 1);
		(void)r;
		return;
	}
	tracer_process.detach_requested = 1;
	/* If the signal landed between the loop's check and its waitpid,
	 * waitpid would sleep until the next tracee stop, forever for an idle
	 * process: make a stop happen now. */
	int saved = errno;
	if (tracer_process.main_pid > 0)
		ptrace(PTRACE_INTERRUPT, tracer_process.main_pid, 0, 0);
	/* With several tracer threads the leader may be another's by now (an
	 * exec from a thread it did not trace): a 20 ms tick ends worker 0's
	 * wait whatever it waits for (the others block SIGALRM). */
	if (workers_count() > 1)
		detach_tick(true);
	errno = saved;
}

static void install_detach_handler(void)
{
	if (workers_count() > 1) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = tick_handler; /* no SA_RESTART: waitpid returns EINTR */
		sigemptyset(&sa.sa_mask);
		guard_mask_keep_out(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
	}
	tracer_on_ending(detach_request);
	tracer_unblock_ending();
}

/* Seize one thread and stop it, so it can be resumed in tracing mode. The
 * only place attach mode seizes: on the tracer thread that is to serve
 * the thread (ptrace binds it to the seizer; workers_seize picks it). The
 * table is read and written under the core lock; worker 0, which asked,
 * waits meanwhile and serves no stop, as no worker does yet. */
static int seize_thread(struct tracer *tr, pid_t pid, pid_t tid)
{
	core_lock();
	bool known = threads_find(&tr->threads, tid) != NULL;
	core_unlock();
	if (known)
		return 0;
	if (seize_bounded(tr, tid, tracer_options(tr)) < 0)
		return -1;
	core_lock();
	struct thread *t = threads_get(&tr->threads, tid);
	if (t) {
		t->pid = pid;
		t->attached = true;
		threads_set_owner(&tr->threads, t, (uint8_t)worker_self());
	}
	core_unlock();
	ptrace(PTRACE_INTERRUPT, tid, 0, 0);
	return 0;
}

int attach_seize_thread(struct tracer *tr, pid_t pid, pid_t tid)
{
	return seize_thread(tr, pid, tid);
}

/* A thread listed in /proc/PID/task whose seize said ESRCH has exited
 * (not a zombie leader, which stays listed and would say so each pass). */
static bool gone(pid_t pid, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d", pid, tid);
	return access(path, F_OK) != 0;
}

#define SETTLE_MS 200

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

struct settling {
	struct timespec t0;
	pid_t pid; /* the process being seized */
};

/* Waits until t has stopped (or died), without taking the stop: the main
 * loop still gets it (WNOWAIT). Gives up at SETTLE_MS after t0. Only the
 * threads of the process being seized: a thread of an earlier one that
 * never stops (a vfork parent) would cost every later process the wait
 * (with -P, 30 processes took 6 s instead of 0.13). */
static void await_stop(struct thread *t, void *arg)
{
	const struct settling *st = arg;
	const struct timespec *t0 = &st->t0;
	if (t->pid != st->pid)
		return;
	for (;;) {
		siginfo_t si;
		si.si_pid = 0;
		if (waitid(P_PID, (id_t)t->tid, &si, WSTOPPED | WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 || si.si_pid)
			return;
		if (ms_since(t0) >= SETTLE_MS)
			return;
		nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
	}
}

/* A thread seized in the middle of a clone can still make a child the
 * kernel does not trace: the kernel decides at the clone's start, and the
 * child shows in /proc/PID/task only once it is made, possibly after the
 * pass that found no new thread (tests/tamper/test_attach_spawner.sh saw
 * a missed thread 1 round in 20). A seized thread reports its interrupt
 * stop only on its way out of the kernel, so once every one has stopped,
 * one more pass sees every such child. A thread that does not stop within
 * SETTLE_MS (one sleeping uninterruptibly: a vfork parent waiting for its
 * child) is making no child. */
static void settle(struct tracer *tr, pid_t pid)
{
	struct settling st = { .pid = pid };
	clock_gettime(CLOCK_MONOTONIC, &st.t0);
	threads_each(&tr->threads, await_stop, &st);
}

#define LEADERLESS_PASSES 20 /* 1 ms apart */

/* Seize every thread of pid; rescan /proc/pid/task until a pass made once
 * every seized thread has stopped finds no new thread, since threads may
 * be created while we attach (those created by an already-seized thread
 * are followed by the kernel). */
static int seize_process(struct tracer *tr, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	bool settled = false;
	int leaderless = 0;
	for (int pass = 0; pass < 1000; pass++) {
		DIR *d = opendir(path);
		if (!d)
			return pass ? 0 : -1;
		int fresh = 0, err = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			pid_t tid = (pid_t)atoi(e->d_name);
			if (threads_find(&tr->threads, tid))
				continue;
			/* The first pass spreads the threads over the workers;
			 * a thread found later is one made while pdig attached,
			 * racing it: seized here, with no round trip to another
			 * worker, as fast as one tracer thread did. */
			int r = pass == 0 ? workers_seize(tr, pid, tid) : seize_thread(tr, pid, tid);
			if (r < 0) {
				if (errno != ESRCH && errno != EINTR) /* EINTR: told to detach meanwhile */
					err = errno;
				else if (gone(pid, tid))
					fresh++; /* it may have made a child first, untraced: look again */
				continue;
			}
			fresh++;
		}
		closedir(d);
		/* a live thread whose seize an exec held off for seconds would
		 * run untraced: the attach fails, and says so, rather than
		 * report the process attached */
		if (err == ETIMEDOUT || (err && !threads_find(&tr->threads, pid))) {
			errno = err;
			return -1;
		}
		/* a leader skipped as dying (seize.c): a zombie process (a
		 * forked child not reaped yet) stays one, a leader an exec is
		 * replacing names the new image within milliseconds */
		if (!threads_find(&tr->threads, pid)) {
			if (++leaderless > LEADERLESS_PASSES) {
				errno = ESRCH;
				return -1;
			}
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			continue;
		}
		if (!fresh && settled)
			return 0;
		if (!fresh) {
			settle(tr, pid);
			settled = true;
		} else {
			settled = false;
		}
	}
	return 0;
}

/* Descendants of root, found by scanning /proc/<pid>/stat for ppids. */
static int seize_descendants(struct tracer *tr, pid_t root)
{
	int total = 0;
	for (int pass = 0; pass < 100; pass++) {
		DIR *d = opendir("/proc");
		if (!d)
			return total;
		int fresh = 0;
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!isdigit((unsigned char)e->d_name[0]))
				continue;
			pid_t pid = (pid_t)atoi(e->d_name);
			if (threads_find(&tr->threads, pid) || pid == getpid())
				continue;
			/* is an ancestor of pid already traced, up to root? */
			pid_t p = status_field(pid, "PPid");
			for (int hops = 0; p > 1 && hops < 4096; hops++) {
				if (p == root || threads_find(&tr->threads, p))
					break;
				p = status_field(p, "PPid");
			}
			if (p > 1 && (p == root || threads_find(&tr->threads, p)) && seize_process(tr, pid) == 0)
				fresh++;
		}
		closedir(d);
		total += fresh;
		if (!fresh)
			break;
	}
	return total;
}

static void explain_attach_error(pid_t pid, int err)
{
	if (err == ESRCH) {
		fprintf(stderr, "pdig: %d: no such process\n", pid);
	} else if (err == EPERM) {
		pid_t tracer_pid = status_field(pid, "TracerPid");
		if (tracer_pid > 0)
			fprintf(stderr, "pdig: %d: already traced by process %d\n", pid, tracer_pid);
		else
			fprintf(stderr, "pdig: %d: not permitted to trace it: it must run as your user "
			                "and be dumpable, or pdig needs CAP_SYS_PTRACE (also required by "
			                "kernel.yama.ptrace_scope >= 1 for non-descendants)\n", pid);
	} else if (err == ETIMEDOUT) {
		fprintf(stderr, "pdig: %d: cannot attach: an exec in the process held off the seize of one "
		                "of its threads for 3 s; try again\n", pid);
	} else {
		fprintf(stderr, "pdig: %d: cannot attach: %s\n", pid, strerror(err));
	}
}

static void interrupt_own(struct thread *t, void *arg)
{
	(void)arg;
	/* another tracer thread's tracee answers ESRCH: it interrupts its own */
	if (t->owner == worker_self())
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
}

static uint64_t detach_deadline; /* one for every tracer thread: 5 s in all */
static int detach_late;          /* said once */

/* A stop of one of the calling thread's tracees, in the detach: let it go
 * with the signal it was stopped for, if it was on its way in. */
static void detach_stopped(struct tracer *tr, pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	/* a signal caught on its way in is handed back, not lost */
	int pass = event == 0 && sig != (SIGTRAP | 0x80) ? sig : 0;
	core_lock();
	core_flush_held_exit(tr, tid);
	core_unlock();
	if (ptrace(PTRACE_DETACH, tid, 0, (void *)(long)pass) < 0)
		return; /* not in that stop (a stale report): its own comes */
	core_lock();
	threads_remove(&tr->threads, tid);
	core_unlock();
}

/* The calling tracer thread stops each of its tracees and detaches it
 * with its pending signal, if any. Runs until it has no tracee left
 * (ECHILD) rather than until the table is empty: children auto-attached
 * at a fork that the loop did not see yet are tracees too, and their
 * first stop still comes. A stop another worker's wait took and posted
 * here is served first: dropped, that thread would stay in its stop until
 * the kernel detaches it as this thread exits, its signal lost. */
void attach_detach(struct tracer *tr)
{
	placement_calm(core_placement(tr));
	uint64_t deadline = tracer_mono_ns() + 5000000000ull, none = 0;
	__atomic_compare_exchange_n(&detach_deadline, &none, deadline, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	deadline = __atomic_load_n(&detach_deadline, __ATOMIC_ACQUIRE);
	core_lock();
	threads_each(&tr->threads, interrupt_own, NULL);
	core_unlock();
	while (tracer_mono_ns() < deadline) {
		pid_t tids[64];
		int statuses[64];
		unsigned n = workers_take_reports(tids, statuses, 64);
		for (unsigned i = 0; i < n; i++) {
			/* a signal-delivery stop still in place hands its signal
			 * back; a report that names another stop now is stale
			 * (docs/scale.md, "A report names a tid"): no signal */
			int st = statuses[i], sig = WSTOPSIG(st);
			siginfo_t si;
			if (st >> 16 == 0 && sig != (SIGTRAP | 0x80) &&
			    (ptrace(PTRACE_GETSIGINFO, tids[i], 0, &si) < 0 || si.si_signo != sig))
				st = (SIGTRAP | 0x80) << 8 | 0x7f;
			detach_stopped(tr, tids[i], st);
		}
		int status;
		pid_t tid = waitpid(-1, &status, core_wait_flags() | WNOHANG);
		if (tid < 0 && errno == EINTR)
			continue;
		if (tid < 0 && errno == ECHILD)
			return; /* nothing traced any more (table entries left are stale) */
		if (tid <= 0) {
			struct timespec ts = { 0, 1000000 };
			nanosleep(&ts, NULL);
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			core_lock();
			core_on_death(tr, tid, status);
			core_unlock();
			core_resume_flush();
			continue;
		}
		detach_stopped(tr, tid, status);
	}
	/* e.g. a vfork parent waiting for its child: released as pdig exits */
	if (!__atomic_exchange_n(&detach_late, 1, __ATOMIC_ACQ_REL))
		fprintf(stderr, "pdig: some threads did not stop for the detach in 5 s; they are let go as pdig exits\n");
}

static void describe_thread(struct thread *t, void *arg)
{
	const struct tracer_output *out = arg;
	out->describe_process(out->ctx, t->tid);
}

/* No event will introduce the attached threads (no clone, no execve), so
 * sinks that keep state (capture file, text) are told about each of them
 * now, before the first event. */
static void describe_attached(struct tracer *tr)
{
	threads_each(&tr->threads, describe_thread, &tr->out);
}

/* Checks, seizes, traces; the tracer is the caller's to free. */
static int attach_with(struct tracer *tr, pid_t pid, bool tree)
{
	/* kill(0) only tells whether pid exists: EPERM from it does not mean
	 * ptrace is refused (CAP_SYS_PTRACE without CAP_KILL); seizing tells. */
	if (pid <= 0 || (kill(pid, 0) < 0 && errno == ESRCH)) {
		explain_attach_error(pid, ESRCH);
		return 1;
	}
	if (is_self_or_ancestor(pid)) {
		fprintf(stderr, "pdig: %d: cannot trace pdig itself or one of its ancestors\n", pid);
		return 1;
	}
	if (status_field(pid, "Tgid") != pid) {
		fprintf(stderr, "pdig: %d: is a thread, not a process; use its process id %d\n", pid,
		        status_field(pid, "Tgid"));
		return 1;
	}
	install_detach_handler();
	signal(SIGPIPE, SIG_IGN);
	/* the other tracer threads seize what worker 0's scan finds */
	workers_start(tr, true);
	if (seize_process(tr, pid) < 0) {
		int err = errno;
		workers_scan_done();
		workers_end(tr); /* a thread seized meanwhile is let go as its tracer ends */
		explain_attach_error(pid, err);
		return 1;
	}
	if (tree)
		seize_descendants(tr, pid);
	core_lock();
	describe_attached(tr);
	size_t attached = threads_count(&tr->threads);
	core_unlock();
	if (tr->verbose)
		fprintf(stderr, "pdig: attached to %zu threads\n", attached);
	/* every thread described: the workers may serve stops */
	workers_scan_done();
	core_loop(tr);
	if (tracer_process.detach_requested) {
		/* decided now, not in the handler: the filter may have gone in
		 * after the signal came */
		tracer_process.keep = tracer_process.split && tracer_process.filter_injected;
		if (!tracer_process.keep)
			attach_detach(tr);
	}
	workers_end(tr); /* each other tracer thread lets go of its own */
	if (workers_count() > 1)
		detach_tick(false);
	if (tracer_process.detach_requested && tracer_process.main_status < 0)
		return 0;
	return core_exit_code(tracer_process.main_status);
}

int tracer_attach(pid_t pid, bool tree, bool seccomp, const struct tracer_opts *o)
{
	struct tracer *tr = core_new(o, true);
	if (!tr)
		return 1;
	/* -S stays on one tracer thread (main.c refuses more): its keeper
	 * re-executes pdig, and an exec ends every other thread, whose
	 * tracees would keep the filter with no tracer (ENOSYS for life) */
	if (!seccomp && o->threads > 1)
		workers_setup(tr, o->threads, !o->no_follow_cpu);
	tr->inject_seccomp = seccomp;
	tracer_process.main_pid = pid;
	int rc = attach_with(tr, pid, tree);
	core_free(tr);
	return rc;
}
