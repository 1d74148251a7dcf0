/* Tries to escape the tracer: children made with clone(CLONE_UNTRACED) and
 * clone3(CLONE_UNTRACED) each open a file named after how they were made.
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static void child_work(const char *dir, const char *how)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s-%d", dir, how, getpid());
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		close(fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	int st, ok = 1;
	/* fork-like clone: no new stack needed */
	long p = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	if (p == 0)
		child_work(dir, "clone");
	waitpid((pid_t)p, &st, 0);
	ok &= p > 0 && WIFEXITED(st);

	struct clone3_args ca;
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_UNTRACED;
	ca.exit_signal = SIGCHLD;
	long q = syscall(435, &ca, sizeof ca);
	if (q == 0)
		child_work(dir, "clone3");
	waitpid((pid_t)q, &st, 0);
	ok &= q > 0 && WIFEXITED(st);
	printf("clone %ld clone3 %ld\n", p, q);
	return ok ? 0 : 1;
}
