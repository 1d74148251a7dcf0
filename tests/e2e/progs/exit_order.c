/* Programs whose event order depends on when pdig reports an exit.
 *   leader: the main thread exits (pthread_exit) while a second thread
 *     lives on; once the leader is a zombie the thread opens a marker
 *     path, then the process exits 0. The driver's procexit for the leader
 *     comes before that open.
 *   vfork-exec PROG / vfork-exit / spawn PROG: a vfork (or posix_spawn,
 *     a clone with CLONE_VFORK) child first opens a marker path, then
 *     execs PROG or exits; the kernel resumes the parent only after that,
 *     and the driver's clone-family exit in the parent comes then.
 * Prints "pid PID child CHILD" (CHILD 0 for leader). */
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pid_t leader;

static char leader_state(void)
{
	char path[64], buf[256];
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)leader);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 'X';
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 'X';
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	return p && p[1] ? p[2] : '?';
}

static void *outlive(void *arg)
{
	(void)arg;
	struct timespec ms = { 0, 1000000 };
	for (int i = 0; i < 5000; i++) {
		char st = leader_state();
		if (st == 'Z' || st == 'X')
			break;
		nanosleep(&ms, NULL);
	}
	open("/pdig-order-marker-after-leader", O_RDONLY); /* fails: only its event matters */
	exit(0);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	leader = getpid();
	if (!strcmp(argv[1], "leader")) {
		printf("pid %d child 0\n", (int)leader);
		fflush(stdout);
		pthread_t t;
		pthread_create(&t, NULL, outlive, NULL);
		pthread_exit(NULL);
	}
	pid_t child;
	if (!strcmp(argv[1], "spawn") && argc > 2) {
		/* the child's marker is the exec's own open of PROG */
		if (posix_spawn(&child, argv[2], NULL, NULL, argv + 2, environ) != 0)
			return 1;
	} else {
		child = vfork();
		if (child == 0) {
			open("/pdig-order-marker-vfork-child", O_RDONLY);
			if (!strcmp(argv[1], "vfork-exec") && argc > 2)
				execv(argv[2], argv + 2);
			_exit(3);
		}
	}
	if (child < 0)
		return 1;
	int st;
	waitpid(child, &st, 0);
	printf("pid %d child %d\n", (int)leader, (int)child);
	return 0;
}
