/* A PID namespace tree for test_pidns. Default: unshare(CLONE_NEWPID), fork
 * the namespace's init, which forks a grandchild that execs /bin/true.
 * "setns": a helper makes the namespace and its init; the caller joins it
 * with setns(CLONE_NEWPID) and forks, so only its child lands inside.
 * Each process prints what fork() returned and its own view, the truth the
 * test compares the events with:
 *   init|<fork's result in the caller>
 *   grand|<fork's result in the init>|<the init's getpid>
 *   self|<the exec'ing child's getpid>|<its getppid>
 *   setns|<fork's result in the caller after setns>
 * "wait" (first) reads a line from stdin before anything, "wait-init" makes
 * the init read one before it forks (a tracer attaches meanwhile). */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *fmt, long a, long b)
{
	char line[96];
	int n = snprintf(line, sizeof line, fmt, a, b);
	/* one write per line: the lines of several processes never interleave */
	if (n < 0 || write(STDOUT_FILENO, line, (size_t)n) < 0)
		_exit(3);
}

static void wait_line(void)
{
	char c;
	while (read(STDIN_FILENO, &c, 1) == 1 && c != '\n')
		;
}

static void exec_child(void)
{
	say("self|%ld|%ld\n", (long)getpid(), (long)getppid());
	execl("/bin/true", "true", (char *)NULL);
	_exit(127);
}

static int reap(pid_t pid)
{
	int st;
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* The caller joins a namespace made by a helper, then forks into it. */
static int join_and_fork(void)
{
	int up[2], hold[2];
	if (pipe(up) || pipe(hold))
		return 5;
	pid_t helper = fork();
	if (helper == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid_t init = fork();
		if (init == 0) {
			/* the namespace's init: lives until the caller is done */
			char c;
			close(hold[1]);
			while (read(hold[0], &c, 1) > 0)
				;
			_exit(0);
		}
		close(hold[1]); /* only the caller holds the init */
		if (write(up[1], &init, sizeof init) != sizeof init)
			_exit(4);
		_exit(reap(init));
	}
	close(hold[0]);
	pid_t init;
	if (read(up[0], &init, sizeof init) != sizeof init)
		return 6;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)init);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWPID)) {
		perror("setns(CLONE_NEWPID)");
		return 2;
	}
	pid_t child = fork();
	if (child == 0)
		exec_child();
	say("setns|%ld|%ld\n", (long)child, 0);
	int rc = reap(child);
	close(hold[1]);
	return rc | reap(helper);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "wait"))
		wait_line();
	if (!strcmp(mode, "setns"))
		return join_and_fork();
	if (unshare(CLONE_NEWPID)) {
		perror("unshare(CLONE_NEWPID)");
		return 2;
	}
	pid_t init = fork();
	if (init < 0)
		return 6;
	if (init == 0) {
		if (!strcmp(mode, "wait-init"))
			wait_line();
		pid_t grand = fork();
		if (grand == 0)
			exec_child();
		say("grand|%ld|%ld\n", (long)grand, (long)getpid());
		_exit(reap(grand));
	}
	say("init|%ld|%ld\n", (long)init, 0);
	return reap(init);
}
