/* A thread blocked in read() on a pipe is ended from elsewhere:
 *   exit        the main thread calls exit_group(3)
 *   exec PROG.. the main thread execs PROG
 *   kill        nothing: the test sends SIGKILL (both threads block)
 * Prints "pid P reader T" once the reader is blocked. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile pid_t reader_tid;

static void *reader(void *arg)
{
	(void)arg;
	char c;
	reader_tid = (pid_t)syscall(SYS_gettid);
	read(fds[0], &c, 1);
	return NULL;
}

/* Wait until thread tid sleeps (in its read). */
static void wait_blocked(pid_t tid)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", tid);
	for (int i = 0; i < 2000; i++) {
		FILE *f = fopen(path, "r");
		size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
		if (f)
			fclose(f);
		buf[n] = '\0';
		char *p = strrchr(buf, ')');
		if (p && p[1] == ' ' && p[2] == 'S')
			return;
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || pipe(fds) < 0)
		return 2;
	pthread_t t;
	pthread_create(&t, NULL, reader, NULL);
	while (!reader_tid)
		sched_yield();
	wait_blocked(reader_tid);
	printf("pid %d reader %d\n", getpid(), reader_tid);
	fflush(stdout);
	if (!strcmp(argv[1], "exit"))
		syscall(SYS_exit_group, 3);
	if (!strcmp(argv[1], "exec") && argc > 2) {
		execv(argv[2], argv + 2);
		return 127;
	}
	char c;
	read(fds[0], &c, 1);
	return 0;
}
