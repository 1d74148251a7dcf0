/* A syscall-heavy program with an exact account of what it made, for
 * pdig --max-cpu (tests/avail). Phase 1 loops for SECS seconds (timed by
 * the vDSO clock, no syscall): per round a sendto+recvfrom pair on a
 * socketpair and an openat+close of /dev/null; every 64th round also an
 * open+close of /etc/passwd (a sensitive file) and a socket+close; every
 * 1024th a fork whose child exits at once. Then a quiet pause, a marker
 * (an open of /etc/pdig-avail-phase2, which fails) and phase 2: ROUNDS2
 * rounds of the same pair and open+close, to be traced in full. Prints
 * the count of each syscall made, per phase, on stdout.
 * Phase 1 is paced at RATE rounds a second (0: as fast as it can), as a
 * service serving a given load is: then what pdig saves per syscall is
 * CPU saved, where a program looping flat out would only run faster.
 * Phase 2 is paced at RATE2, a light load that fits the budget.
 * Usage: avail_load SECS PAUSE_MS ROUNDS2 RATE RATE2 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct counts {
	unsigned long sendto, recvfrom, openat, close, socket, clone;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* fork as one clone syscall: glibc's fork is clone, musl's is fork; the
 * count must not depend on the libc. The child only exits. */
static pid_t fork_raw(void)
{
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

static void round_of(int sv[2], unsigned long i, struct counts *c)
{
	char b = 'x';
	sendto(sv[0], &b, 1, 0, NULL, 0);
	recvfrom(sv[1], &b, 1, 0, NULL, NULL);
	int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY);
	close(fd);
	c->sendto++, c->recvfrom++, c->openat++, c->close++;
	if (i % 64 == 63) {
		fd = openat(AT_FDCWD, "/etc/passwd", O_RDONLY);
		close(fd);
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		close(fd);
		c->openat++, c->socket++, c->close += 2;
	}
	if (i % 1024 == 1023) {
		pid_t p = fork_raw();
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
		c->clone++;
	}
}

/* Round i of a loop started at start, at rate rounds a second (0: flat
 * out): ahead of the pace by a millisecond or more, sleep it off. */
static void pace(double start, unsigned long i, double rate)
{
	double ahead = rate > 0 ? start + (double)i / rate - now() : 0;
	if (ahead >= 0.001)
		nanosleep(&(struct timespec){ (time_t)ahead, (long)((ahead - (time_t)ahead) * 1e9) }, NULL);
}

static void print(const char *phase, const struct counts *c)
{
	printf("%s sendto=%lu recvfrom=%lu openat=%lu close=%lu socket=%lu clone=%lu\n", phase, c->sendto,
	       c->recvfrom, c->openat, c->close, c->socket, c->clone);
}

int main(int argc, char **argv)
{
	if (argc != 6)
		return 2;
	double rate = atof(argv[4]), rate2 = atof(argv[5]);
	double secs = atof(argv[1]);
	long pause_ms = atol(argv[2]), rounds2 = atol(argv[3]);
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 1;
	struct counts one = { 0 }, two = { 0 };
	double start = now(), end = start + secs;
	for (unsigned long i = 0; now() < end; i++) {
		pace(start, i, rate);
		round_of(sv, i, &one);
	}
	nanosleep(&(struct timespec){ pause_ms / 1000, (pause_ms % 1000) * 1000000 }, NULL);
	openat(AT_FDCWD, "/etc/pdig-avail-phase2", O_RDONLY);
	start = now();
	for (long i = 0; i < rounds2; i++) {
		/* a light load even on a busy machine: a round run late is not
		 * made up for in a burst (a burst of rounds in one 50 ms window
		 * would be over a small budget) */
		if (rate2 > 0 && now() - (start + (double)i / rate2) > 0.01)
			start = now() - (double)i / rate2;
		pace(start, (unsigned long)i, rate2);
		round_of(sv, (unsigned long)i, &two);
	}
	print("phase1", &one);
	print("phase2", &two);
	fflush(stdout);
	return 0;
}
