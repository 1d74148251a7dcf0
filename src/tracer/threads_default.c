/* How many tracer threads serve a spawned program by default: the CPUs
 * pdig may use (docs/scale.md, "The default"). A tracer thread busy on
 * stops uses at most one CPU, so more threads than CPUs only queue for
 * them. "May use" is the CPUs in pdig's affinity mask (taskset, a
 * container's cpuset), lowered to the CPU quota of pdig's cgroup and its
 * ancestors where one is set and readable (cgroup v2 cpu.max, v1
 * cpu.cfs_quota_us: what a Fargate task or `docker --cpus` gets), rounded
 * up: 1.5 CPUs of quota can run two threads at once. At most
 * THREADS_DEFAULT_MAX: beyond that the shared lock, not the CPUs, caps
 * what more threads serve (README, "What 16 vCPUs would give"). */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tracer/tracer.h"

#define THREADS_DEFAULT_MAX 8

/* CPUs of quota in one cgroup directory, or 0 for none. */
static double quota_in(const char *dir, bool v2)
{
	char path[4400];
	long long quota = -1, period = 0;
	if (v2) {
		snprintf(path, sizeof path, "%s/cpu.max", dir);
		FILE *f = fopen(path, "re");
		if (!f)
			return 0;
		char q[32] = "";
		if (fscanf(f, "%31s %lld", q, &period) != 2 || sscanf(q, "%lld", &quota) != 1)
			quota = -1; /* "max": none */
		fclose(f);
	} else {
		snprintf(path, sizeof path, "%s/cpu.cfs_quota_us", dir);
		FILE *f = fopen(path, "re");
		if (!f)
			return 0;
		if (fscanf(f, "%lld", &quota) != 1)
			quota = -1;
		fclose(f);
		snprintf(path, sizeof path, "%s/cpu.cfs_period_us", dir);
		f = fopen(path, "re");
		if (f) {
			if (fscanf(f, "%lld", &period) != 1)
				period = 0;
			fclose(f);
		}
	}
	if (quota <= 0 || period <= 0)
		return 0;
	return (double)quota / (double)period;
}

/* The lowest quota on the way from pdig's cgroup (path, under root) up to
 * root, in CPUs; 0 for none. */
static double quota_upwards(const char *root, char *path, bool v2)
{
	double best = 0;
	for (;;) {
		char dir[4200];
		snprintf(dir, sizeof dir, "%s%s", root, path);
		double q = quota_in(dir, v2);
		if (q && (!best || q < best))
			best = q;
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			if (path[0] && path[1]) { /* "/x": root itself last */
				path[1] = '\0';
				continue;
			}
			return best;
		}
		*slash = '\0';
	}
}

/* pdig's CPU quota in CPUs (0: none found). cgroup v2's line is "0::PATH";
 * v1's cpu controller line "N:...cpu...:PATH". */
static double cgroup_quota(void)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return 0;
	char line[4096];
	double best = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2[1] != '/')
			continue;
		*c2 = '\0';
		const char *ctrls = c1 + 1;
		double q = 0;
		if (!*ctrls) {
			q = quota_upwards("/sys/fs/cgroup", c2 + 1, true);
		} else {
			bool cpu = false;
			char list[256];
			snprintf(list, sizeof list, "%s", ctrls);
			for (char *save, *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				cpu = cpu || strcmp(tok, "cpu") == 0;
			if (cpu) {
				char copy[4096];
				snprintf(copy, sizeof copy, "%s", c2 + 1);
				q = quota_upwards("/sys/fs/cgroup/cpu", c2 + 1, false);
				if (!q)
					q = quota_upwards("/sys/fs/cgroup/cpu,cpuacct", copy, false);
			}
		}
		if (q && (!best || q < best))
			best = q;
	}
	fclose(f);
	return best;
}

unsigned tracer_threads_default(char *why, size_t len)
{
	cpu_set_t set;
	unsigned cpus = 0;
	if (sched_getaffinity(0, sizeof set, &set) == 0)
		cpus = (unsigned)CPU_COUNT(&set);
	else /* more CPUs than a cpu_set_t holds: many */
		cpus = THREADS_DEFAULT_MAX;
	if (cpus < 1)
		cpus = 1;
	unsigned n = cpus;
	char from[64];
	snprintf(from, sizeof from, "%u CPU%s in affinity mask", cpus, cpus == 1 ? "" : "s");
	double quota = cgroup_quota();
	/* rounded up: 1.5 CPUs of quota run two threads at once */
	if (quota > 0 && quota < (double)n) {
		unsigned q = (unsigned)quota;
		n = (double)q < quota ? q + 1 : q;
		if (n < 1)
			n = 1;
		snprintf(from, sizeof from, "%g CPUs of cgroup quota", quota);
	}
	if (n > THREADS_DEFAULT_MAX) {
		n = THREADS_DEFAULT_MAX;
		snprintf(from + strlen(from), sizeof from - strlen(from), ", at most %d", THREADS_DEFAULT_MAX);
	}
	if (why)
		snprintf(why, len, "%s", from);
	return n;
}
