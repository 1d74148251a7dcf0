/* A container's main program, for the PID 1 tests: logs each forwarded
 * signal, leaves an orphan that exits (a zombie unless init reaps it),
 * counts zombies in its PID namespace, and shuts down gracefully on
 * SIGTERM with exit status 0 (or exits 5 after 10 s without one). */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got[65], term;

static void on_sig(int sig)
{
	got[sig]++;
	if (sig == SIGTERM)
		term = 1;
}

static int count_zombies(void)
{
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char path[300], buf[512];
		snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof buf, f)) {
			char *p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'Z')
				n++;
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

int main(int argc, char **argv)
{
	const char *log = argc > 1 ? argv[1] : "/dev/null";
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM };
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
		signal(sigs[i], on_sig);
	/* an orphan: the middle process exits at once, the grandchild later */
	pid_t middle = fork();
	if (middle == 0) {
		if (fork() == 0) {
			usleep(100000);
			_exit(0);
		}
		_exit(0);
	}
	waitpid(middle, NULL, 0); /* our own child; the grandchild is the orphan */
	FILE *f = fopen(log, "w");
	fprintf(f, "ready %d\n", getpid());
	fflush(f);
	for (int i = 0; i < 1000 && !term; i++)
		usleep(10000);
	fprintf(f, "zombies %d\n", count_zombies());
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
		fprintf(f, "sig %d %d\n", sigs[i], (int)got[sigs[i]]);
	fprintf(f, "%s\n", term ? "graceful" : "timeout");
	fclose(f);
	return term ? 0 : 5;
}
