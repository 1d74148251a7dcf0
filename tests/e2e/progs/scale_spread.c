/* Tracees for the tracer-thread tests (test_scale_handover.sh): N threads
 * or processes made at once by the main thread, each making ITERS
 * open+close pairs on /dev/null once all exist, then printing its tid and
 * TracerPid (which pdig thread serves it). With "signals", the creator
 * sends each new thread or process SIGS queued real-time signals right
 * after making it (while pdig may be handing it over), and each sends
 * itself as many at its very start; every one must reach its handler
 * (2*SIGS). With "ptrace" (procs), the creator tries to seize each new
 * process at once (pdig refuses it: the process must stay pdig's).
 *
 *   scale_spread threads|procs N ITERS [signals SIGS | ptrace] */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tracer_pid.h"

static long iters, sigs;
static int go_pipe[2];
static pthread_barrier_t barrier;
static __thread volatile long got;

static void on_sig(int sig)
{
	(void)sig;
	got++;
}

static void work(void)
{
	pid_t tid = (pid_t)syscall(SYS_gettid);
	for (long i = 0; i < sigs; i++)
		syscall(SYS_tgkill, getpid(), tid, SIGRTMIN + 1);
	for (long i = 0; i < iters; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			perror("open");
			exit(1);
		}
		close(fd);
	}
	/* the creator's signals were sent before the barrier let us go; its
	 * queued ones are delivered before our own */
	printf("tid %d tracer %ld signals %ld\n", tid, tracer_pid(), (long)got);
	fflush(stdout);
}

static void *thread_main(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&barrier);
	work();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: scale_spread threads|procs N ITERS [signals SIGS | ptrace]\n");
		return 2;
	}
	int procs = strcmp(argv[1], "procs") == 0;
	int n = atoi(argv[2]);
	iters = atol(argv[3]);
	int try_ptrace = argc > 4 && strcmp(argv[4], "ptrace") == 0;
	if (argc > 5 && strcmp(argv[4], "signals") == 0)
		sigs = atol(argv[5]);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sa.sa_flags = SA_RESTART; /* the children block in read() */
	sigaction(SIGRTMIN + 1, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	int refused = 0;
	if (procs) {
		if (pipe(go_pipe) < 0)
			return 1;
		for (int i = 0; i < n; i++) {
			pid_t c = fork();
			if (c == 0) {
				char b;
				if (read(go_pipe[0], &b, 1) != 1)
					_exit(1);
				work();
				_exit(0);
			}
			for (long k = 0; k < sigs; k++)
				kill(c, SIGRTMIN + 1);
			if (try_ptrace)
				refused += ptrace(PTRACE_SEIZE, c, 0, 0) < 0;
		}
		close(go_pipe[0]);
		char go[256];
		memset(go, 'g', sizeof go);
		if (write(go_pipe[1], go, (size_t)n) != n)
			return 1;
		int bad = 0, st;
		pid_t c;
		while ((c = wait(&st)) > 0)
			if (!WIFEXITED(st) || WEXITSTATUS(st)) {
				bad++;
				printf("process %d: status %#x\n", (int)c, st);
			}
		if (try_ptrace)
			printf("ptrace refused %d of %d\n", refused, n);
		return bad != 0;
	}
	pthread_t *th = calloc((size_t)n, sizeof *th);
	pthread_barrier_init(&barrier, NULL, (unsigned)n + 1);
	for (int i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, thread_main, NULL) != 0)
			return 1;
		for (long k = 0; k < sigs; k++)
			pthread_kill(th[i], SIGRTMIN + 1); /* real-time: each one queued */
	}
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return 0;
}
