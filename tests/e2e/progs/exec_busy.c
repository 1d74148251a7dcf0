/* A non-leader thread execs while the leader and its siblings make
 * syscalls, ROUNDS times in a row (each new image does it again). The
 * exec kills the others, whatever stop they are in, and gives the
 * leader's tid to the thread that made it. Each image's syscalls carry its
 * round: fchdir(100000 + round), failing EBADF, so a consumer can tell an
 * old image's event from the new one's.
 * Usage: exec_busy ROUNDS THREADS */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define CALLS_BEFORE_EXEC 300 /* by every thread: all of them served by then */

static long round_no;
static int nthreads;
static char **args;
static int ready;

static void mark(void)
{
	syscall(SYS_fchdir, 100000 + round_no);
}

static void *busy(void *arg)
{
	long exec_it = (long)arg;
	for (int i = 0;; i++) {
		mark();
		if (i == CALLS_BEFORE_EXEC)
			__atomic_add_fetch(&ready, 1, __ATOMIC_RELAXED);
		if (exec_it && __atomic_load_n(&ready, __ATOMIC_RELAXED) >= nthreads + 1) {
			char r[32], n[32];
			snprintf(r, sizeof r, "%ld", round_no - 1);
			snprintf(n, sizeof n, "%d", nthreads);
			execl("/proc/self/exe", args[0], r, n, (char *)NULL);
			perror("exec_busy: execl");
			_exit(127);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: exec_busy ROUNDS THREADS\n");
		return 2;
	}
	args = argv;
	round_no = atol(argv[1]);
	nthreads = atoi(argv[2]);
	if (round_no <= 0) {
		printf("done\n");
		return 0;
	}
	for (long i = 0; i < nthreads; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, busy, (void *)(long)(i == nthreads - 1)) != 0)
			return 1;
	}
	busy(NULL);
	return 0;
}
