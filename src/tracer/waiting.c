/* Waiting for the next tracee stop.
 *
 * When pdig and the tracee it serves run on different CPUs, each stop is a
 * round trip of two cross-CPU wakeups, and on VMs whose idle vCPUs halt,
 * waking a halted vCPU costs more than the stop itself. Where pdig can, it
 * joins the tracee's CPU (placement.c). Where it cannot (its own CPU mask
 * excludes the tracee's: pinned apart; or, without the idle assist, the
 * one thread it follows wakes elsewhere anyway), it polls for a few tens
 * of microseconds before blocking, which keeps its CPU awake for the stop
 * that usually follows within them (the tracee's next syscall). It does
 * not poll when it could share the tracee's CPU: a busy pdig CPU is one
 * the scheduler will not wake the tracee on.
 *
 * Polling only pays while it catches stops and pdig keeps its CPU: each
 * window of polls is judged, and if fewer than half caught a stop, or pdig
 * was preempted (an involuntary context switch: a busy neighbour, or the
 * tracee on pdig's CPU after all) more than once per four polls, pdig
 * blocks straight away for a while (10 ms, doubling up to 10 s), then tries
 * again. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tracer_internal.h"

#define POLL_NS 40000ull            /* the round trip across CPUs here is ~25 µs */
#define WINDOW_POLLS 16
#define BACKOFF_MIN_NS 10000000ull     /* 10 ms, doubling ... */
#define BACKOFF_MAX_NS 10240000000ull  /* ... up to 10 s */

void waiting_init(struct waiting *w, bool on)
{
	memset(w, 0, sizeof *w);
	w->usable = on && !getenv("PDIG_NO_POLL");
	w->on = w->usable;
	w->backoff = BACKOFF_MIN_NS;
}

/* this thread's involuntary context switches so far */
static long preemptions(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nivcsw : 0;
}

static void judge(struct waiting *w, bool hit, uint64_t now)
{
	if (w->polls == 0)
		w->preempted_before = preemptions();
	w->polls++;
	w->hits += hit;
	w->total_polls++;
	w->total_hits += hit;
	if (w->polls < WINDOW_POLLS)
		return;
	long preempted = preemptions() - w->preempted_before;
	if (w->hits * 2 < w->polls || preempted * 4 > (long)w->polls) {
		w->on = false;
		w->pauses++;
		w->retry_at = now + w->backoff;
		if (w->backoff < BACKOFF_MAX_NS)
			w->backoff *= 2;
	} else {
		w->backoff = BACKOFF_MIN_NS;
	}
	w->total_preempted += (uint64_t)preempted;
	w->polls = w->hits = 0;
}

/* waitpid(-1); with several workers only a look (WNOWAIT, w->looked):
 * the report is taken under the core lock (core_loop), so that a thread's
 * death and the reuse of its tid by a new thread, reported to another
 * worker, reach the table and the events in the kernel's order. Not while
 * no other worker traces anything: no other can see a new thread then
 * (workers_alone), and the look would only cost a syscall per stop. */
static pid_t wait_any(struct tracer *tr, struct waiting *w, int *status, int flags)
{
	w->looked = (flags & __WNOTHREAD) && !workers_alone(tr);
	if (!w->looked)
		return waitpid(-1, status, flags);
	siginfo_t si;
	si.si_pid = 0;
	if (waitid(P_ALL, 0, &si, WEXITED | WSTOPPED | WNOWAIT | flags) < 0)
		return -1;
	*status = 0;
	return si.si_pid;
}

pid_t tracer_wait(struct tracer *tr, int *status)
{
	struct waiting *w = core_waiting(tr);
	struct placement *p = core_placement(tr);
	int flags = core_wait_flags();
	if (w->usable && placement_poll_wanted(p) && !placement_assisting(p)) {
		uint64_t now = tracer_mono_ns();
		if (!w->on && now >= w->retry_at)
			w->on = true;
		if (w->on) {
			uint64_t deadline = now + POLL_NS;
			for (;;) {
				pid_t tid = wait_any(tr, w, status, flags | WNOHANG);
				if (tid != 0) {
					if (tid > 0)
						judge(w, true, now);
					return tid;
				}
				if (tracer_process.detach_requested) {
					errno = EINTR;
					return -1;
				}
				now = tracer_mono_ns();
				if (now >= deadline)
					break;
			}
			judge(w, false, now);
		}
	}
	return wait_any(tr, w, status, flags);
}

void waiting_report(const struct waiting *w, bool verbose)
{
	if (verbose && w->total_polls)
		fprintf(stderr, "pdig: polling for stops: %llu of %llu polls caught a stop, %llu preemptions, paused %llu times\n",
		        (unsigned long long)w->total_hits, (unsigned long long)w->total_polls,
		        (unsigned long long)w->total_preempted, (unsigned long long)w->pauses);
}
