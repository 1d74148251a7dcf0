/* A non-leader thread execs this program again and again while the leader
 * makes short-lived threads and opens a file, and a sibling spins in
 * syscalls: each execve kills the other threads (de_thread) with the
 * process's cred_guard_mutex held, which a PTRACE_SEIZE of any of its
 * threads must take (docs/scale.md "A seize waits for an exec").
 * Usage: exec_loop ROUNDS [MAX_DELAY_US]
 *   ROUNDS   execs still to make (the last image exits 0); -1: forever
 *   MAX_DELAY_US  each image execs after a random 0..MAX_DELAY_US (500)
 * The pid stays the same across the execs (the exec'ing thread takes the
 * leader's). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long rounds, max_delay_us = 500;
static char self_path[] = "/proc/self/exe";

static void *spinner(void *arg)
{
	(void)arg;
	for (;;)
		syscall(SYS_getppid);
	return NULL;
}

static void *brief(void *arg)
{
	(void)arg;
	syscall(SYS_getppid);
	return NULL;
}

static void *execer(void *arg)
{
	(void)arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long us = max_delay_us > 0 ? (now.tv_nsec / 1000 + getpid()) % (max_delay_us + 1) : 0;
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
	if (rounds == 0)
		syscall(SYS_exit_group, 0);
	char next[24], delay[24];
	snprintf(next, sizeof next, "%ld", rounds < 0 ? -1 : rounds - 1);
	snprintf(delay, sizeof delay, "%ld", max_delay_us);
	char *argv[] = { "exec_loop", next, delay, NULL };
	execv(self_path, argv);
	syscall(SYS_exit_group, 127); /* the exec failed */
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: exec_loop ROUNDS [MAX_DELAY_US]\n");
		return 2;
	}
	rounds = atol(argv[1]);
	if (argc > 2)
		max_delay_us = atol(argv[2]);
	pthread_t t;
	if (pthread_create(&t, NULL, spinner, NULL) != 0 || pthread_create(&t, NULL, execer, NULL) != 0)
		return 1;
	for (;;) {
		pthread_t b;
		if (pthread_create(&b, NULL, brief, NULL) == 0)
			pthread_detach(b);
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			close(fd);
	}
}
