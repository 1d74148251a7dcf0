/* wake_eintr SIG N [swap]: one thread opens+closes /etc/hostname N times
 * (events); another sends SIG and SIG+1 to its process group (kill(0, ..))
 * every 200 us; both are ignored here. Run under `setsid` so that pdig is
 * in the group. SIG = 38 is pdig's wake signal with glibc (SIGRTMIN+4), 39
 * with musl. With "swap" the main thread is the busy one. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static volatile int done;
static int n;
static int sig;
static void *killer(void *a)
{
	(void)a;
	long kills = 0;
	while (!done) {
		if (kill(0, sig) == 0 && kill(0, sig + 1) == 0)
			kills++;
		usleep(200);
	}
	return (void *)kills;
}
static void *busy(void *a)
{
	(void)a;
	for (int i = 0; i < n; i++) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
	done = 1;
	return NULL;
}
int main(int argc, char **argv)
{
	sig = argc > 1 ? atoi(argv[1]) : 38;
	n = argc > 2 ? atoi(argv[2]) : 20000;
	signal(sig, SIG_IGN);
	signal(sig + 1, SIG_IGN);
	pthread_t th;
	if (argc > 3) { /* swapped: the main thread is busy, the new one kills */
		pthread_create(&th, NULL, killer, NULL);
		busy(NULL);
		void *k;
		pthread_join(th, &k);
		fprintf(stderr, "opens=%d kills=%ld (swapped)\n", n, (long)k);
		return 0;
	}
	pthread_create(&th, NULL, busy, NULL);
	long kills = 0;
	while (!done) {
		if (kill(0, sig) == 0 && kill(0, sig + 1) == 0)
			kills++;
		usleep(200);
	}
	pthread_join(th, NULL);
	fprintf(stderr, "opens=%d kills=%ld\n", n, kills);
	return 0;
}
