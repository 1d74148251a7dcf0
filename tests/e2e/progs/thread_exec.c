/* A non-leader thread calls execve; the process continues as argv[1]. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static char **args;

static void *run(void *arg)
{
	(void)arg;
	execv(args[1], args + 1);
	perror("execv");
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	args = argv;
	printf("pid %d\n", getpid());
	fflush(stdout);
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	for (;;)
		pause();
}
