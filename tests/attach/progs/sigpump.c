/* sigpump DIR PID N: sends SIGUSR1 to PID N times, each after the looper
 * (progs/looper.c, state in DIR/state) has counted the previous one, so
 * no two are ever pending at once and every one must be counted. Prints
 * "sent N counted M"; exits 1 if one was not counted within 10 s (2 s was
 * outlived under load 12 with the looper under pdig -S: a slow count must not
 * read as a lost signal, a lost one still fails). SIGTERM
 * ends it early, after the signal in flight was counted.
 * sigpump -f PID MS: floods every thread of PID with SIGUSR1 for MS
 * milliseconds, each thread on its own (tgkill: a signal for the process
 * would go to whichever thread is not stopped), so that one is pending on
 * each thread at almost any moment; prints "sent N".
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int flood(pid_t pid, long ms)
{
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long sent = 0;
	pid_t tids[64];
	int ntids = 0;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	struct dirent *e;
	while (d && (e = readdir(d)) && ntids < 64)
		if (e->d_name[0] != '.')
			tids[ntids++] = (pid_t)atoi(e->d_name);
	if (d)
		closedir(d);
	do {
		for (int i = 0; i < 100; i++)
			for (int k = 0; k < ntids; k++, sent++)
				if (syscall(SYS_tgkill, pid, tids[k], SIGUSR1) < 0)
					goto out;
		struct timespec ts = { 0, 20 * 1000 };
		nanosleep(&ts, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000 < ms);
out:
	printf("sent %ld\n", sent);
	return 0;
}

static volatile sig_atomic_t stop;
static void on_term(int sig) { (void)sig; stop = 1; }

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	if (!strcmp(argv[1], "-f"))
		return flood((pid_t)atoi(argv[2]), atol(argv[3]));
	char path[512];
	snprintf(path, sizeof path, "%s/state", argv[1]);
	pid_t pid = (pid_t)atoi(argv[2]);
	long n = atol(argv[3]);
	int fd = openat(AT_FDCWD, path, O_RDONLY);
	if (fd < 0)
		return 2;
	volatile uint64_t *st = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	if (st == MAP_FAILED)
		return 2;
	signal(SIGTERM, on_term);
	uint64_t base = st[1];
	long i;
	for (i = 0; i < n && !stop; i++) {
		if (kill(pid, SIGUSR1) < 0)
			break;
		int waited = 0;
		while (st[1] - base < (uint64_t)i + 1 && waited < 100000) {
			struct timespec ts = { 0, 100 * 1000 };
			nanosleep(&ts, NULL);
			waited++;
		}
		if (st[1] - base < (uint64_t)i + 1) {
			i++;
			break;
		}
	}
	printf("sent %ld counted %llu\n", i, (unsigned long long)(st[1] - base));
	return st[1] - base == (uint64_t)i ? 0 : 1;
}
