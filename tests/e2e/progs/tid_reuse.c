/* Tracee for test_scale_order.sh: a tid that dies on one pdig tracer
 * thread while a new thread or process that another one serves is being
 * made, so that the new one gets the dead one's tid the moment it is free.
 * Each round: the kernel's next pid is set to the tid of the one alive
 * (via /proc/sys/kernel/ns_last_pid: root or CAP_CHECKPOINT_RESTORE), it
 * (which made PAIRS open+close pairs on /dev/null and waits) is told to
 * exit, and the next one is made at once: it gets that tid if the old one
 * was reaped by then, else the next free one. A process's pid is free
 * only once its parent reaped it: in procs mode the old one is reaped
 * first, then its pid asked for. Prints "round I tid T" per
 * round, then "reused R of N" (rounds that got the dying one's tid), or
 * "ns_last_pid: unavailable" once if the next pid cannot be set.
 *
 *   tid_reuse threads|procs ROUNDS PAIRS */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static long pairs;

/* one thread or process of a round: told to go through a pipe */
struct one {
	pid_t tid;
	int go[2];    /* main writes a byte: it works and exits */
	int ready[2]; /* a thread writes its tid here once it runs */
	pthread_t th;
};

/* its events first, then its exit, as soon as it is told */
static void work_then_exit_when_told(int go)
{
	for (long i = 0; i < pairs; i++) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	char c;
	while (read(go, &c, 1) < 0)
		;
}

static void *thread_main(void *arg)
{
	struct one *o = arg;
	/* read before it says it runs: main reuses *o for the next one then */
	int go = o->go[0], ready = o->ready[1];
	pid_t tid = (pid_t)syscall(SYS_gettid);
	if (write(ready, &tid, sizeof tid) != sizeof tid)
		abort();
	work_then_exit_when_told(go);
	return NULL;
}

static int procs;

static int make(struct one *o)
{
	if (pipe2(o->go, O_CLOEXEC) < 0)
		return -1;
	if (procs) {
		pid_t p = fork();
		if (p < 0)
			return -1;
		if (p == 0) {
			work_then_exit_when_told(o->go[0]);
			_exit(0);
		}
		o->tid = p;
		return 0;
	}
	if (pipe2(o->ready, O_CLOEXEC) < 0 || pthread_create(&o->th, NULL, thread_main, o) != 0)
		return -1;
	while (read(o->ready[0], &o->tid, sizeof o->tid) != sizeof o->tid)
		;
	return 0;
}

static void release(struct one *o)
{
	if (write(o->go[1], "x", 1) != 1)
		abort();
}

static void reap(struct one *o)
{
	if (procs) {
		waitpid(o->tid, NULL, 0);
	} else {
		pthread_join(o->th, NULL);
		close(o->ready[0]);
		close(o->ready[1]);
	}
	close(o->go[0]);
	close(o->go[1]);
}

/* The next pid the kernel gives is tid (false if it cannot be asked). */
static int ask_for(pid_t tid)
{
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	if (fd < 0)
		return 0;
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d", (int)tid - 1);
	int ok = write(fd, buf, (size_t)n) == n;
	close(fd);
	return ok;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: tid_reuse threads|procs ROUNDS PAIRS\n");
		return 2;
	}
	procs = !strcmp(argv[1], "procs");
	long rounds = atol(argv[2]);
	pairs = atol(argv[3]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct one a, b;
	if (make(&a) < 0)
		return 1;
	long reused = 0;
	int can_ask = 1;
	for (long i = 0; i < rounds; i++) {
		/* a process's pid is free once its parent (this one) reaped it:
		 * then its reuse is asked for */
		if (procs) {
			release(&a);
			reap(&a);
		}
		if (can_ask && !ask_for(a.tid)) {
			can_ask = 0;
			printf("ns_last_pid: unavailable\n");
		}
		if (!procs)
			release(&a);
		/* a thread's tid is free once pdig reaped it: made while it
		 * exits, the new one gets it if that was in time */
		if (make(&b) < 0)
			return 1;
		printf("round %ld tid %d\n", i, (int)b.tid);
		if (b.tid == a.tid)
			reused++;
		if (!procs)
			reap(&a);
		a = b;
	}
	release(&a);
	reap(&a);
	printf("reused %ld of %ld\n", reused, rounds);
	return 0;
}
