/* own_cpu OUT CMD ARGS...: runs CMD and writes to OUT the CPU seconds CMD's
 * own process used (all its threads, not its children: /proc/PID/stat
 * utime+stime, read while it is a zombie, before it is reaped) and the wall
 * seconds it ran: "cpu=S wall=S". Exits with CMD's status. pdig's rusage
 * from its parent would include the traced program, which pdig reaps. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	double t0 = mono();
	pid_t pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	siginfo_t si;
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		return 1;
	double wall = mono() - t0;
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = 0;
	/* fields after the command name, which may hold spaces: utime, stime are 14, 15 */
	char *p = strrchr(buf, ')');
	unsigned long long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 1;
	int status;
	waitpid(pid, &status, 0);
	FILE *o = fopen(argv[1], "w");
	if (!o)
		return 1;
	long hz = sysconf(_SC_CLK_TCK);
	fprintf(o, "cpu=%.3f wall=%.3f\n", (double)(ut + st) / (double)hz, wall);
	fclose(o);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
