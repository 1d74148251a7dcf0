/* Group signals, back to back, from another tracer thread than pdig's main
 * one, while pdig gets the same signal from outside:
 *   group_loop SIG SECONDS
 * ignores SIG and forks a child, which makes a process group of its own
 * and starts a thread; child and thread send SIG to that group (kill(0,
 * SIG)) as fast as they can for SECONDS, then sleep 20 s. pdig is not in
 * the group, but its guard blocks SIG for every group call all the same
 * (the caller's group could change under it): so an outside SIG that
 * comes meanwhile is pending alone, never merged into a tracee's copy
 * (a standard signal is pending once). The parent exits once both run, so
 * the traced program is gone and one SIGTERM to pdig ends the trace. Under pdig
 * --threads 2 the child is handed to the second tracer thread (the first
 * has the parent), and so stays its thread (one more there is not "two
 * more"): pdig's guard blocks SIG nearly all the time, and the calls end
 * on tracer thread 1 (tests/tamper/test_group_requeue.sh).
 * Prints "child=T thread=T pgid=G" (each T a TracerPid) once both run. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int sig;
static double seconds;

static long tracer_pid(void)
{
	FILE *f = fopen("/proc/thread-self/status", "r");
	char line[256];
	long t = -1;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "TracerPid: %ld", &t) == 1)
			break;
	if (f)
		fclose(f);
	return t;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static volatile long thread_tracer;
static volatile int go;

static void loop(void)
{
	while (!go)
		usleep(1000);
	double end = now() + seconds;
	while (now() < end)
		kill(0, sig);
}

static void *second(void *arg)
{
	(void)arg;
	thread_tracer = tracer_pid();
	loop();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	sig = atoi(argv[1]);
	seconds = atof(argv[2]);
	signal(sig, SIG_IGN);
	int p[2];
	if (pipe(p) < 0)
		return 2;
	pid_t child = fork();
	if (child < 0)
		return 2;
	if (child > 0) {
		/* the parent: gone once the child's thread runs */
		char c;
		close(p[1]);
		return read(p[0], &c, 1) == 1 ? 0 : 1;
	}
	close(p[0]);
	if (setpgid(0, 0) < 0)
		return 1;
	pthread_t th;
	if (pthread_create(&th, NULL, second, NULL) != 0)
		return 1;
	while (!thread_tracer)
		usleep(1000);
	printf("child=%ld thread=%ld pgid=%d\n", tracer_pid(), (long)thread_tracer, (int)getpgrp());
	fflush(stdout);
	if (write(p[1], "x", 1) != 1)
		return 1;
	go = 1;
	loop();
	pthread_join(th, NULL);
	sleep(20);
	return 0;
}
