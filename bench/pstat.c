/* pstat: resource use of one process itself, without its children.
 *
 *   pstat [-i MSEC] [--] CMD [ARGS...]
 *
 * Runs CMD, samples its VmHWM every MSEC ms (default 5), and when it has
 * exited but is not yet reaped (waitid WNOWAIT) reads its own CPU time from
 * /proc (stat utime/stime, schedstat run time in ns) and the CPU time of
 * the children it reaped (cutime/cstime). For pdig this separates the
 * tracer's cost from the tracee's. Prints to stderr one line:
 *   pstat: wall_ns=.. cpu_ns=.. utime_ms=.. stime_ms=.. child_utime_ms=..
 *          child_stime_ms=.. maxrss_kb=.. status=..
 * and exits with CMD's status. The CPU figures cover the main thread only
 * (pdig is single-threaded).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static long read_hwm_kb(pid_t pid)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long kb = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Fields 14..17 of /proc/PID/stat (after the parenthesised comm). */
static int read_times(pid_t pid, unsigned long long t[4])
{
	char path[64], buf[2048];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	/* after ") ": state(3) ppid(4) ... utime is field 14 */
	int field = 2;
	for (p++; *p && field < 14; p++)
		if (*p == ' ')
			field++;
	return sscanf(p, "%llu %llu %llu %llu", &t[0], &t[1], &t[2], &t[3]) == 4 ? 0 : -1;
}

static unsigned long long read_sched_ns(pid_t pid)
{
	char path[64];
	unsigned long long ns = 0;
	snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
	FILE *f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%llu", &ns) != 1)
			ns = 0;
		fclose(f);
	}
	return ns;
}

int main(int argc, char **argv)
{
	long interval_ms = 5;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "-i") && i + 1 < argc)
			interval_ms = strtol(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: pstat [-i MSEC] [--] CMD [ARGS...]\n");
			return 2;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "usage: pstat [-i MSEC] [--] CMD [ARGS...]\n");
		return 2;
	}
	uint64_t t0 = mono_ns();
	pid_t pid = fork();
	if (pid < 0) {
		perror("pstat: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[i], &argv[i]);
		perror(argv[i]);
		_exit(127);
	}
	long hwm = 0;
	struct timespec nap = { interval_ms / 1000, (interval_ms % 1000) * 1000000L };
	siginfo_t si;
	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0) {
			perror("pstat: waitid");
			return 1;
		}
		if (si.si_pid == pid)
			break;
		long kb = read_hwm_kb(pid);
		if (kb > hwm)
			hwm = kb;
		nanosleep(&nap, NULL);
	}
	uint64_t wall = mono_ns() - t0;
	unsigned long long t[4] = { 0, 0, 0, 0 };
	read_times(pid, t);
	unsigned long long cpu_ns = read_sched_ns(pid);
	int status = 0;
	waitpid(pid, &status, 0);
	double tick_ms = 1000.0 / (double)sysconf(_SC_CLK_TCK);
	fprintf(stderr, "pstat: wall_ns=%llu cpu_ns=%llu utime_ms=%.0f stime_ms=%.0f child_utime_ms=%.0f "
	        "child_stime_ms=%.0f maxrss_kb=%ld status=%d\n",
	        (unsigned long long)wall, cpu_ns, t[0] * tick_ms, t[1] * tick_ms, t[2] * tick_ms,
	        t[3] * tick_ms, hwm, status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
