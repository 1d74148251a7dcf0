/* The lock profile (lockprof.h): per tracer thread sums, each written only
 * by its own thread and read once all have stopped. */
#include "lockprof.h"

#ifdef PDIG_LOCK_PROFILE
#include <stdio.h>
#include <time.h>

#include "tracer_internal.h"

static uint64_t sums[WORKERS_MAX][LP_COUNT];

uint64_t lp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void lp_add(enum lp_phase p, uint64_t since)
{
	sums[worker_self()][p] += lp_now() - since;
}

void lp_report(uint64_t held_ns, uint64_t stops)
{
	static const char *const names[LP_COUNT] = { "take", "ptrace", "procfs", "encode", "memory", "sinks", "handover" };
	uint64_t total[LP_COUNT] = { 0 };
	for (unsigned w = 0; w < WORKERS_MAX; w++)
		for (int p = 0; p < LP_COUNT; p++)
			total[p] += sums[w][p];
	if (!stops)
		return;
	/* memory is mostly inside encode: not counted twice in the rest */
	uint64_t known = total[LP_TAKE] + total[LP_PTRACE] + total[LP_PROCFS] + total[LP_ENCODE] + total[LP_SINK] +
	                 total[LP_HANDOVER];
	fprintf(stderr, "pdig: lock profile, us per stop: held %.3f =", (double)held_ns / (double)stops / 1000.0);
	for (int p = 0; p < LP_COUNT; p++)
		if (p != LP_MEM)
			fprintf(stderr, " %s %.3f +", names[p], (double)total[p] / (double)stops / 1000.0);
	fprintf(stderr, " rest %.3f (tracee memory %.3f, mostly in encode)\n",
	        held_ns > known ? (double)(held_ns - known) / (double)stops / 1000.0 : 0.0,
	        (double)total[LP_MEM] / (double)stops / 1000.0);
}
#endif
