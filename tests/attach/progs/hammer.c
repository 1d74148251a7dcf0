/* Test subject for -S letting go: NTHREADS threads make openat+close in
 * a tight loop and check every result; a traced syscall that found no
 * tracer fails with ENOSYS, which is counted. With "fork", the main thread
 * also forks a child every 20 ms that execs this program as a probe (an
 * openat, exit 0 when it works, 3 on ENOSYS); the children's statuses are
 * counted. State the test reads lives in a shared mapping of DIR/state
 * (reading it costs the hammer nothing):
 *   0  u64 calls      openat+close pairs made
 *   8  u64 enosys     results that were ENOSYS
 *   16 u64 failed     other failures
 *   24 u32 quit       set by the test: exit with this status
 *   32 u64 probes_ok  forked probes that exited 0
 *   40 u64 probes_bad forked probes that did not
 * DIR/ids holds "pid\n" once running.
 * usage: hammer DIR NTHREADS [fork] | hammer --probe FILE */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct hammer_state {
	volatile uint64_t calls, enosys, failed;
	volatile uint32_t quit, pad;
	volatile uint64_t probes_ok, probes_bad;
};

static struct hammer_state *st;
static char file[512];

static void count(int r)
{
	if (r >= 0)
		return;
	if (errno == ENOSYS)
		__atomic_add_fetch(&st->enosys, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&st->failed, 1, __ATOMIC_SEQ_CST);
}

static void *hammer(void *arg)
{
	(void)arg;
	for (;;) {
		int fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
		count(fd);
		if (fd >= 0)
			count(close(fd));
		__atomic_add_fetch(&st->calls, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static int probe(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	return fd >= 0 ? 0 : errno == ENOSYS ? 3 : 4;
}

static void fork_probe(const char *self)
{
	pid_t c = fork();
	if (c == 0) {
		execl(self, self, "--probe", file, (char *)NULL);
		_exit(5);
	}
	int status;
	if (c > 0 && waitpid(c, &status, 0) == c && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		__atomic_add_fetch(&st->probes_ok, 1, __ATOMIC_SEQ_CST);
	else
		__atomic_add_fetch(&st->probes_bad, 1, __ATOMIC_SEQ_CST);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--probe") == 0)
		return probe(argv[2]);
	if (argc < 3)
		return 2;
	const char *dir = argv[1];
	int nthreads = atoi(argv[2]);
	bool forks = argc > 3 && strcmp(argv[3], "fork") == 0;
	char path[512], tmp[512];
	snprintf(file, sizeof file, "%s/target", dir);
	int tfd = openat(AT_FDCWD, file, O_WRONLY | O_CREAT, 0644);
	snprintf(path, sizeof path, "%s/state", dir);
	int sfd = openat(AT_FDCWD, path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (tfd < 0 || sfd < 0 || ftruncate(sfd, 4096) < 0)
		return 100;
	close(tfd);
	st = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, sfd, 0);
	if (st == MAP_FAILED)
		return 101;
	for (int i = 0; i < nthreads; i++) {
		pthread_t th;
		if (pthread_create(&th, NULL, hammer, NULL))
			return 102;
	}
	snprintf(tmp, sizeof tmp, "%s/ids.tmp", dir);
	snprintf(path, sizeof path, "%s/ids", dir);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return 103;
	fprintf(f, "%d\n", getpid());
	fclose(f);
	rename(tmp, path);
	for (;;) {
		if (st->quit)
			exit((int)st->quit);
		if (forks)
			fork_probe("/proc/self/exe");
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}
