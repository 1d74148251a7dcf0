/* A group signal sent while the sender's tracer thread is busy:
 *   group_far SIG group|pgid ROUNDS
 * ignores SIG, starts a thread that loops open+close on /dev/null (a
 * tracee of the same tracer thread, which it keeps busy), then sends SIG
 * ROUNDS times to its process group (kill(0, SIG), or kill(-PGID, SIG)),
 * 2 ms apart. pdig leads the group (the test starts it with setsid), so
 * each signal reaches pdig too: the guard must keep it from pdig's every
 * thread, whichever of them serves this one (tests/tamper/test_group_kill.sh).
 * Prints "tracer=T pgid=G kills=K" (T: this thread's TracerPid). */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include "tracer_pid.h"

static volatile int stop;

static void *busy(void *arg)
{
	(void)arg;
	while (!stop) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	int sig = atoi(argv[1]);
	int by_pgid = strcmp(argv[2], "pgid") == 0;
	int rounds = atoi(argv[3]);
	signal(sig, SIG_IGN);
	pthread_t th;
	if (pthread_create(&th, NULL, busy, NULL) != 0)
		return 1;
	int kills = 0;
	for (int i = 0; i < rounds; i++) {
		if (kill(by_pgid ? -getpgrp() : 0, sig) == 0)
			kills++;
		usleep(2000);
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("tracer=%ld pgid=%d kills=%d\n", tracer_pid(), (int)getpgrp(), kills);
	return 0;
}
