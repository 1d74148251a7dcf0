/* CPU placement. A ptrace stop is a round trip between tracee and tracer;
 * when they sit on different CPUs each leg is a cross-CPU wakeup, which on
 * VMs whose idle CPUs halt costs several times the stop itself. pdig
 * therefore moves itself to the CPU of the tracee it serves (within the
 * CPUs it was allowed to start with). The tracee is never pinned. */
#include <sched.h>

#include "../procfs/procfs.h"
#include "tracer_internal.h"

static bool enabled;
static cpu_set_t allowed;
static int current_cpu = -1;

void placement_init(bool on)
{
	enabled = on && sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 1;
}

void placement_follow(struct thread *t)
{
	/* Sample each thread on its 16th stop and every 256 after (a pread of
	 * a kept fd): short-lived threads and children are not chased, busy
	 * ones are followed. */
	if (!enabled || (++t->stops & 255) != 16)
		return;
	int cpu = procfs_thread_cpu(t->tid);
	if (cpu < 0 || cpu == current_cpu || !CPU_ISSET(cpu, &allowed))
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof one, &one) == 0)
		current_cpu = cpu;
}
