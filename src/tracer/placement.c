/* CPU placement. A ptrace stop is a round trip between tracee and tracer;
 * when they sit on different CPUs each leg is a cross-CPU wakeup, which on
 * VMs whose idle CPUs halt costs several times the stop itself. pdig
 * therefore moves itself to the CPU of the tracee it serves (within the
 * CPUs it was allowed to start with). The tracee is never pinned.
 *
 * Following alone does not keep them together: when pdig resumes the
 * tracee, pdig's CPU is busy (pdig is running) and the scheduler wakes the
 * tracee on an idle CPU instead. A CPU whose only runnable tasks are
 * SCHED_IDLE counts as idle for that choice, so pdig runs as SCHED_IDLE
 * (idle assist): the tracee then wakes on pdig's CPU and preempts it, and
 * pdig runs again once the tracee stops. This is for one traced thread at
 * a time: with several, they would crowd onto one CPU and a resumed one
 * would keep pdig from serving the others. The price is that pdig yields to
 * every other task on its CPU; so pdig watches its own run-queue delay and
 * goes back to SCHED_OTHER when it waits for the CPU (a busy neighbour, a
 * tracee thread computing on pdig's CPU), retrying later with backoff. It
 * is only used when pdig may return to SCHED_OTHER (CAP_SYS_NICE or a high
 * enough RLIMIT_NICE). */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi/time_ns.h"
#include "procfs/procfs.h"
#include "threads.h"
#include "tracer_internal.h"

#define CAP_SYS_NICE_BIT 23

#define WINDOW_STOPS 64
#define WINDOW_NS 10000000ull        /* look at the delay at least every 10 ms */
#define DELAY_LIMIT_NS 200000ull     /* mean run-queue wait per stop that means starving */
#define BACKOFF_MIN_NS 1000000000ull /* first retry after 1 s, doubling ... */
#define BACKOFF_MAX_NS 32000000000ull /* ... up to 32 s */
#define CALM_NS 10000000ull       /* solo this long before SCHED_IDLE again */

uint64_t tracer_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* Time pdig has spent runnable but waiting for a CPU (schedstat field 2). */
static int run_delay(const struct placement *p, uint64_t *ns)
{
	char buf[128];
	ssize_t n = pread(p->assist.schedstat_fd, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	unsigned long long exec_ns, delay_ns;
	if (sscanf(buf, "%llu %llu", &exec_ns, &delay_ns) != 2)
		return -1;
	*ns = delay_ns;
	return 0;
}

/* Leaving SCHED_IDLE needs CAP_SYS_NICE or an RLIMIT_NICE that allows our
 * nice value; without either pdig could not back off, so it never starts. */
static bool can_leave_idle(void)
{
	struct {
		uint32_t version;
		int pid;
	} hdr = { 0x20080522 /* _LINUX_CAPABILITY_VERSION_3 */, 0 };
	struct {
		uint32_t effective, permitted, inheritable;
	} data[2];
	if (syscall(SYS_capget, &hdr, data) == 0 && (data[0].effective & (1u << CAP_SYS_NICE_BIT)))
		return true;
	struct rlimit rl;
	errno = 0;
	int nice = getpriority(PRIO_PROCESS, 0);
	if (errno || getrlimit(RLIMIT_NICE, &rl))
		return false;
	return rl.rlim_cur == RLIM_INFINITY || (long long)rl.rlim_cur >= 20 - nice;
}

static bool set_policy(int policy)
{
	struct sched_param sp = { 0 };
	/* the raw call: this thread's policy (musl's wrapper is a stub) */
	return syscall(SYS_sched_setscheduler, 0, policy, &sp) == 0;
}

static void start_window(struct placement *p, uint64_t now)
{
	p->assist.stops = 0;
	p->assist.window_start = now;
	if (run_delay(p, &p->assist.window_delay))
		p->assist.usable = false;
}

void placement_init(struct placement *p, bool on)
{
	memset(p, 0, sizeof *p);
	p->current_cpu = -1;
	p->assist.schedstat_fd = -1;
	/* sampled even when pdig has one CPU: a tracee elsewhere makes it poll */
	p->sampling = on && sched_getaffinity(0, sizeof p->allowed, &p->allowed) == 0;
	p->enabled = p->sampling && CPU_COUNT(&p->allowed) > 1;
	if (!p->enabled || !can_leave_idle() || getenv("PDIG_NO_IDLE_ASSIST"))
		return;
	p->assist.schedstat_fd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
	if (p->assist.schedstat_fd < 0)
		return;
	/* SCHED_IDLE starts at the first wait: a policy set now would pass to
	 * the program pdig spawns (reset-on-fork resets only RT and negative
	 * nice, not SCHED_IDLE) */
	p->assist.usable = true;
	p->assist.backoff = BACKOFF_MIN_NS;
	p->assist.retry_at = 0;
}

void placement_close(struct placement *p)
{
	if (p->assist.schedstat_fd >= 0)
		close(p->assist.schedstat_fd);
	p->assist.schedstat_fd = -1;
	p->assist.usable = false;
}

void placement_calm(struct placement *p)
{
	if (p->assist.idle && set_policy(SCHED_OTHER))
		p->assist.idle = false;
	p->assist.usable = false; /* not again: the end is near */
	if (p->enabled && p->current_cpu >= 0 && sched_setaffinity(0, sizeof p->allowed, &p->allowed) == 0)
		p->current_cpu = -1;
	p->enabled = false; /* nor pinned again by a last stop */
}

void placement_tick(struct placement *p, size_t threads, bool verbose)
{
	if (!p->sampling)
		return;
	/* one thread to serve: keep it on pdig's CPU. Several: a resumed one
	 * would preempt pdig while others wait to be served, and all would
	 * crowd onto one CPU; be an ordinary task then. A program that keeps
	 * creating threads or children would make pdig switch at each one:
	 * one thread counts once it has been alone for a while. None counts
	 * as crowded: with several tracer threads (each counts its own), one
	 * that is handed short-lived children one at a time, with none in
	 * between, would otherwise call each a calm single thread. */
	bool solo = threads == 1;
	/* once calm, a solo stop needs no clock unless the assist runs */
	if (solo && p->calm_solo && !p->assist.usable)
		return;
	uint64_t now = tracer_mono_ns();
	if (!solo)
		p->crowded_at = now;
	p->calm_solo = solo && now - p->crowded_at >= CALM_NS;
	if (!p->assist.usable)
		return;
	p->assist.stops++;
	if (!p->assist.idle) {
		if (p->calm_solo && now >= p->assist.retry_at && set_policy(SCHED_IDLE)) {
			p->assist.idle = true;
			start_window(p, now);
		}
		return;
	}
	if (!solo) {
		if (set_policy(SCHED_OTHER))
			p->assist.idle = false;
		else
			p->assist.usable = false;
		return;
	}
	if (p->assist.stops < WINDOW_STOPS && now - p->assist.window_start < WINDOW_NS)
		return;
	uint64_t delay;
	if (run_delay(p, &delay)) {
		p->assist.usable = false;
		set_policy(SCHED_OTHER);
		return;
	}
	uint64_t per_stop = (delay - p->assist.window_delay) / (p->assist.stops ? p->assist.stops : 1);
	if (per_stop > DELAY_LIMIT_NS) {
		/* starving behind someone: be an ordinary task for a while */
		if (!set_policy(SCHED_OTHER)) {
			p->assist.usable = false; /* cannot happen after can_leave_idle */
			return;
		}
		p->assist.idle = false;
		p->assist.retry_at = now + p->assist.backoff;
		if (p->assist.backoff < BACKOFF_MAX_NS)
			p->assist.backoff *= 2;
		if (verbose)
			fprintf(stderr, "pdig: idle assist off for %llu ms (waited %llu us per stop for a CPU)\n",
			        (unsigned long long)((p->assist.retry_at - now) / 1000000),
			        (unsigned long long)(per_stop / 1000));
		return;
	}
	p->assist.backoff = BACKOFF_MIN_NS;
	p->assist.window_start = now;
	p->assist.window_delay = delay;
	p->assist.stops = 0;
}

bool placement_assisting(const struct placement *p)
{
	return p->assist.idle;
}

bool placement_poll_wanted(const struct placement *p)
{
	/* Apart: pdig cannot join the tracee's CPU. Following one thread
	 * without the assist (no CAP_SYS_NICE): the resumed tracee wakes on
	 * another CPU than busy pdig's anyway, so pdig keeps its own awake.
	 * Not with several: a polling pdig keeps them off its CPU. */
	return p->apart || (p->enabled && !p->assist.usable && p->calm_solo);
}

void placement_follow(struct placement *p, struct procfs *pf, struct thread *t)
{
	/* Sample each thread on its 16th stop and every 256 after (a pread of
	 * a kept fd): short-lived threads and children are not chased, busy
	 * ones are followed. One outside pdig's CPUs cannot be followed:
	 * noted for waiting.c. */
	if (!p->sampling || (++t->stops & 255) != 16)
		return;
	int cpu = procfs_thread_cpu(pf, t->tid);
	if (cpu < 0)
		return;
	p->apart = !CPU_ISSET(cpu, &p->allowed);
	if (!p->enabled || p->apart || cpu == p->current_cpu)
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof one, &one) == 0)
		p->current_cpu = cpu;
}
