/* Page-fault counts are per thread: the driver reports the calling
 * thread's own, and every new thread or child starts at zero. A helper
 * thread first takes TOUCH faults and exits, so the process's total is far
 * above the main thread's own count. Then the main thread creates a thread
 * and forks, each right after reading its own count (getrusage
 * RUSAGE_THREAD, not traced). Then all of it again in a forked child.
 * Prints "thread|<new tid>|<own minflt>" and "fork|<child pid>|<own minflt>":
 * the truth for each clone exit; the fork child prints "child|<pid>|<its
 * own minflt>" first thing. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define TOUCH 2000

static void *toucher(void *arg)
{
	(void)arg;
	long page = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)page * TOUCH, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	for (long i = 0; i < TOUCH; i++)
		m[i * page] = 1;
	munmap(m, (size_t)page * TOUCH);
	return NULL;
}

static pid_t new_tid;

static void *quiet(void *arg)
{
	(void)arg;
	new_tid = (pid_t)syscall(SYS_gettid);
	return NULL;
}

static long own_minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

/* In the process that runs it: a thread takes TOUCH faults, then a thread
 * and a fork, each after reading the caller's own count. */
static int scenario(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, toucher, NULL) || pthread_join(t, NULL))
		return 1;
	/* the new thread's stack and descriptor fault in before the clone:
	 * the count read now is a lower bound */
	long own = own_minflt();
	if (pthread_create(&t, NULL, quiet, NULL) || pthread_join(t, NULL))
		return 1;
	printf("thread|%d|%ld\n", (int)new_tid, own);
	own = own_minflt();
	fflush(stdout);
	pid_t c = fork();
	if (c == 0) {
		/* its own count, as early as it can: an upper bound for what
		 * its clone exit reports */
		printf("child|%d|%ld\n", (int)getpid(), own_minflt());
		fflush(stdout);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	printf("fork|%d|%ld\n", (int)c, own);
	fflush(stdout);
	return 0;
}

int main(void)
{
	if (scenario())
		return 1;
	/* CLONE_CHILD_SETTID with no address: the kernel writes nothing, the
	 * child starts without a fault */
	long r = syscall(SYS_clone, 0x01000000 /* CLONE_CHILD_SETTID */ | SIGCHLD, 0, NULL, NULL, 0);
	if (r == 0)
		syscall(SYS_exit, 0);
	if (r < 0)
		return 1;
	waitpid((pid_t)r, NULL, 0);
	printf("rawclone|%ld|0\n", r);
	fflush(stdout);
	/* again in a child, which starts with one thread: pdig reads a
	 * one-thread process's stat differently until it clones */
	pid_t c = fork();
	if (c == 0)
		_exit(scenario());
	int st = 0;
	waitpid(c, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
