/* A pthread_create in one thread and a fork in another, at the same moment,
 * round after round: under a tracer the new thread's or child's first stop
 * often comes before its creator's clone event, and the creator must then
 * be found among two threads in clone calls. Each new thread prints
 * "thread TID", each child "child PID" (write(2): no stdio buffers cross a
 * fork). Usage: clone_race [ROUNDS] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t go;
static int rounds = 50;

static void say(const char *what, long id)
{
	char line[64];
	int n = snprintf(line, sizeof line, "%s %ld\n", what, id);
	if (write(1, line, (size_t)n) < 0)
		_exit(3);
}

static void *new_thread(void *arg)
{
	(void)arg;
	say("thread", syscall(SYS_gettid));
	return NULL;
}

static void *spawner(void *arg)
{
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		pthread_barrier_wait(&go);
		pthread_t t;
		if (pthread_create(&t, NULL, new_thread, NULL) == 0)
			pthread_join(t, NULL);
	}
	return NULL;
}

static void *forker(void *arg)
{
	(void)arg;
	for (int i = 0; i < rounds; i++) {
		pthread_barrier_wait(&go);
		pid_t p = fork();
		if (p == 0) {
			say("child", getpid());
			_exit(0);
		}
		if (p > 0)
			waitpid(p, NULL, 0);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = atoi(argv[1]);
	pthread_barrier_init(&go, NULL, 2);
	pthread_t a, b;
	pthread_create(&a, NULL, spawner, NULL);
	pthread_create(&b, NULL, forker, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
