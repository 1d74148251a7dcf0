/* The whole program ends while new threads and processes are on their way
 * between pdig's tracer threads (docs/scale.md "The park"): pdig must end
 * with it, with nothing left half done. The main thread makes threads and
 * processes as fast as it can; after DELAY_US one thread ends the group:
 * "kill" sends SIGKILL to its own process, "exit" calls exit_group(3),
 * "exec" runs /bin/true (which kills every other thread first).
 * Usage: park_kill kill|exit|exec DELAY_US */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *how;
static long delay_us;

static void *ender(void *arg)
{
	(void)arg;
	struct timespec ts = { delay_us / 1000000, (delay_us % 1000000) * 1000 };
	nanosleep(&ts, NULL);
	if (strcmp(how, "kill") == 0)
		kill(getpid(), SIGKILL);
	if (strcmp(how, "exec") == 0)
		execl("/bin/true", "true", (char *)NULL);
	syscall(SYS_exit_group, 3);
	return NULL;
}

static void *brief(void *arg)
{
	(void)arg;
	getppid();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: park_kill kill|exit|exec DELAY_US\n");
		return 2;
	}
	how = argv[1];
	delay_us = atol(argv[2]);
	pthread_t t;
	if (pthread_create(&t, NULL, ender, NULL) != 0)
		return 1;
	for (;;) {
		pthread_t b;
		if (pthread_create(&b, NULL, brief, NULL) == 0)
			pthread_detach(b);
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		/* reap what is done, without waiting */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
