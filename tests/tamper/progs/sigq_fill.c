/* Fills its user's pending-signal queue, then needs pdig's tracer threads
 * to signal each other:
 *   sigq_fill kills ROUNDS SIG...   group signals (kill(0, SIG)), each
 *                                   ROUNDS times, SIG ignored here
 *   sigq_fill handover THREADS PROCS  threads and processes made one at a
 *                                   time, so pdig hands some to a tracer
 *                                   thread asleep in its wait
 * A real-time signal sent by tgkill or sigqueue is refused with EAGAIN
 * once the receiver's user has RLIMIT_SIGPENDING signals pending, and the
 * pending count is per user: blocking one real-time signal and queueing it
 * to itself until EAGAIN, this program (pdig's uid) makes every real-time
 * signal pdig's threads send each other fail, for as long as it lives
 * (tests/tamper/test_sigq_fill.sh). The threads and children all stay
 * alive until the last is made, so the first tracer thread keeps more
 * than the second and hands some over; a thread asleep for 40 s keeps
 * the second one in its wait, where only a signal reaches it.
 *
 * Prints "queued=N probe=E" (N signals queued, E what a real-time tgkill
 * to itself got then: EAGAIN proves the queue full), then for kills
 * "kills=K of T refused=R slowest_us=U" (U: the slowest kill() call), for
 * handover "threads=T procs=P opens=O" (each thread and child opened
 * /etc/hostname OPENS times) and "tracers=N" (distinct TracerPids seen). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include "tracer_pid.h"


#define OPENS 3
#define TRACERS_MAX 64

static long tracers[TRACERS_MAX];
static int ntracers;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void note_tracer(void)
{
	long t = tracer_pid();
	pthread_mutex_lock(&lock);
	int i = 0;
	while (i < ntracers && tracers[i] != t)
		i++;
	if (i == ntracers && ntracers < TRACERS_MAX)
		tracers[ntracers++] = t;
	pthread_mutex_unlock(&lock);
}

static void opens(void)
{
	for (int i = 0; i < OPENS; i++) {
		int fd = open("/etc/hostname", O_RDONLY);
		if (fd >= 0)
			close(fd);
	}
}

/* Queue the blocked signal to itself until the user's limit says no. */
static void fill(void)
{
	int sig = SIGRTMIN + 10, probe_sig = SIGRTMIN + 11;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigaddset(&s, probe_sig);
	sigprocmask(SIG_BLOCK, &s, NULL);
	long queued = 0;
	union sigval v = { 0 };
	while (queued < 1000000 && sigqueue(getpid(), sig, v) == 0)
		queued++;
	int probe = syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), probe_sig) == 0 ? 0 : errno;
	printf("queued=%ld probe=%s\n", queued, probe == EAGAIN ? "EAGAIN" : probe ? strerror(probe) : "OK");
	fflush(stdout);
}

static void *sleeper(void *arg)
{
	(void)arg;
	note_tracer();
	struct timespec ts = { 40, 0 };
	nanosleep(&ts, NULL); /* its tracer thread waits with nothing to report */
	return NULL;
}

static pthread_barrier_t all_made;

static void *worker(void *arg)
{
	(void)arg;
	note_tracer();
	opens();
	pthread_barrier_wait(&all_made);
	return NULL;
}

static int handover(int nthreads, int nprocs)
{
	pthread_t s, t[64];
	if (nthreads > 64 || pthread_create(&s, NULL, sleeper, NULL) != 0)
		return 1;
	pthread_detach(s);
	pthread_barrier_init(&all_made, NULL, (unsigned)nthreads + 1);
	int made = 0, forked = 0;
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return 1;
	pthread_barrier_wait(&all_made);
	for (int i = 0; i < nthreads; i++)
		made += pthread_join(t[i], NULL) == 0;
	/* the children wait for the pipe's end, so all are alive at once */
	int p[2];
	if (pipe(p) < 0)
		return 1;
	pid_t kids[64];
	int nkids = 0;
	for (int i = 0; i < nprocs && i < 64; i++) {
		pid_t c = fork();
		if (c == 0) {
			close(p[1]);
			opens();
			char b;
			while (read(p[0], &b, 1) > 0)
				;
			_exit(tracer_pid() > 0 ? 0 : 3);
		}
		if (c > 0)
			kids[nkids++] = c;
	}
	close(p[1]);
	for (int i = 0; i < nkids; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) == kids[i] && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			forked++;
	}
	printf("threads=%d procs=%d opens=%d\n", made, forked, OPENS);
	printf("tracers=%d\n", ntracers);
	return 0;
}

static int kills(int rounds, int argc, char **argv)
{
	int ok = 0, refused = 0, total = 0;
	uint64_t slowest = 0;
	for (int a = 0; a < argc; a++) {
		int sig = atoi(argv[a]);
		signal(sig, SIG_IGN);
		for (int i = 0; i < rounds; i++) {
			uint64_t t0 = now_us();
			int rc = kill(0, sig);
			uint64_t took = now_us() - t0;
			slowest = took > slowest ? took : slowest;
			total++;
			ok += rc == 0;
			refused += rc != 0 && errno == EPERM;
			usleep(2000);
		}
	}
	opens();
	printf("kills=%d of %d refused=%d slowest_us=%llu\n", ok, total, refused, (unsigned long long)slowest);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	fill();
	if (strcmp(argv[1], "kills") == 0)
		return kills(atoi(argv[2]), argc - 3, argv + 3);
	if (strcmp(argv[1], "handover") == 0 && argc >= 4)
		return handover(atoi(argv[2]), atoi(argv[3]));
	return 2;
}
