/* CPU placement. A ptrace stop is a round trip between tracee and tracer;
 * when they sit on different CPUs each leg is a cross-CPU wakeup, which on
 * VMs whose idle CPUs halt costs several times the stop itself. pdig
 * therefore moves itself to the CPU of the tracee it serves (within the
 * CPUs it was allowed to start with). The tracee is never pinned. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tracer_internal.h"

static bool enabled;
static cpu_set_t allowed;
static int current_cpu = -1;

void placement_init(bool on)
{
	enabled = on && sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) > 1;
}

/* The CPU a thread last ran on: field 39 of /proc/<tid>/stat. */
static int thread_cpu(pid_t tid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may hold spaces */
	if (!p)
		return -1;
	/* after ')': field 3 (state) onwards; the CPU is field 39 */
	int field = 2;
	for (; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	int cpu;
	return sscanf(p, "%d", &cpu) == 1 ? cpu : -1;
}

void placement_follow(struct thread *t)
{
	/* Sample each thread on its 16th stop and every 256 after: short-lived
	 * threads and children are not chased, busy ones are followed. */
	if (!enabled || (++t->stops & 255) != 16)
		return;
	int cpu = thread_cpu(t->tid);
	if (cpu < 0 || cpu == current_cpu || !CPU_ISSET(cpu, &allowed))
		return;
	cpu_set_t one;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof one, &one) == 0)
		current_cpu = cpu;
}
