/* Four threads each open their own file, then print their tids.
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *dir;
static pthread_barrier_t start;

static void *worker(void *arg)
{
	long i = (long)arg;
	char path[512];
	snprintf(path, sizeof path, "%s/thread-%ld.txt", dir, i);
	pthread_barrier_wait(&start);
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	printf("%ld %ld\n", i, (long)syscall(SYS_gettid));
	fflush(stdout);
	if (fd >= 0)
		close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "/tmp";
	pthread_t t[4];
	pthread_barrier_init(&start, NULL, 4);
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	printf("pid %d\n", getpid());
	return 0;
}
