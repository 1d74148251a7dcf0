/* Test subject for attach mode: two threads (main, worker) each open and
 * close their own file in a loop with short sleeps. State the tests read
 * lives in a shared mapping of DIR/state, so reading it costs the looper no
 * syscall (and keeps working after a -S detach, when traced syscalls fail).
 *   DIR/ids    "pid main_tid worker_tid\n", written once at start
 *   DIR/state  struct looper_state below
 *   DIR/log.txt  opened before anything else and kept open; the main
 *              thread writes "tick\n" to it every round
 * Writing a non-zero exit code into state.quit makes it exit with it.
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct looper_state {
	volatile uint64_t ticks;        /* 0: main thread rounds */
	volatile uint64_t usr1;         /* 8: SIGUSR1 received */
	volatile uint64_t other;        /* 16: any other signal received */
	volatile uint32_t lastsig;      /* 24: the last such other signal */
	volatile uint32_t quit;         /* 28: set by the test: exit code */
	volatile uint64_t worker_ticks; /* 32: worker thread rounds */
};

static struct looper_state *st;
static char main_path[512], worker_path[512];
static pid_t worker_tid;

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		__atomic_add_fetch(&st->usr1, 1, __ATOMIC_SEQ_CST);
	} else {
		__atomic_add_fetch(&st->other, 1, __ATOMIC_SEQ_CST);
		st->lastsig = (uint32_t)sig;
	}
}

static void nap(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	nanosleep(&ts, NULL); /* EINTR is fine: it is only pacing */
}

static void touch(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

static void *worker(void *arg)
{
	(void)arg;
	__atomic_store_n(&worker_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	for (;;) {
		touch(worker_path);
		st->worker_ticks++;
		nap();
	}
	return NULL;
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char path[512], tmp[512];
	snprintf(path, sizeof path, "%s/log.txt", dir);
	int logfd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	snprintf(path, sizeof path, "%s/state", dir);
	int sfd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (logfd < 0 || sfd < 0 || ftruncate(sfd, 4096) < 0)
		return 100;
	st = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (st == MAP_FAILED)
		return 101;
	snprintf(main_path, sizeof main_path, "%s/main.txt", dir);
	snprintf(worker_path, sizeof worker_path, "%s/worker.txt", dir);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);

	pthread_t th;
	if (pthread_create(&th, NULL, worker, NULL))
		return 102;
	while (!__atomic_load_n(&worker_tid, __ATOMIC_SEQ_CST))
		nap();
	snprintf(tmp, sizeof tmp, "%s/ids.tmp", dir);
	snprintf(path, sizeof path, "%s/ids", dir);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return 103;
	fprintf(f, "%d %ld %d\n", getpid(), (long)syscall(SYS_gettid), (int)worker_tid);
	fclose(f);
	rename(tmp, path);

	for (;;) {
		touch(main_path);
		if (write(logfd, "tick\n", 5) < 0) {
			/* after a -S detach traced calls fail: keep going */
		}
		st->ticks++;
		if (st->quit)
			exit((int)st->quit);
		nap();
	}
}
