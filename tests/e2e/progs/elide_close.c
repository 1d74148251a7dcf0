/* Closes that pdig may report at their entry (exit elided) and closes it
 * must not, in a fixed order: elide_close DIR. Prints each close's result.
 * Elidable: a regular file on DIR's filesystem, a file and a directory on
 * /dev/shm (tmpfs), a FIFO, sockets (socket, accept4), and in a forked
 * child both an inherited fd and its own. Not: a second close (EBADF), an
 * fd never opened (EBADF), /dev/null (a device's driver may flush), an fd
 * made by dup, the target of dup2, fds after close_range, any close after
 * a thread was made, a device node made in DIR, a close after a
 * clone(CLONE_FILES) child. Elidable too: after vfork, in the program
 * the vfork child ran and in a forked child after its exec. close
 * and dup2 with the fd's upper 32 bits set (the kernel ignores them)
 * close and replace the fd. */
#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/sysmacros.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int fd)
{
	errno = 0;
	int r = close(fd);
	printf("%s: close(%d) = %d errno %d\n", what, fd, r, r ? errno : 0);
	fflush(stdout);
}

static int open_in(const char *dir, const char *name, int flags)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return open(path, flags, 0600);
}

static void *thread_main(void *arg) { return arg; }

static int shares_files(void *arg) { return arg != NULL; }

/* The program run again: by a vfork child ("spawned"), or by a forked child's
 * exec ("exec"), which then shares its table with a clone(CLONE_FILES)
 * child that is not a thread. */
static int second_program(const char *dir, const char *how)
{
	char what[64];
	snprintf(what, sizeof what, "%s: file", how);
	report(what, open_in(dir, "f", O_RDONLY));
	if (strcmp(how, "exec"))
		return 0;
	static char stack[64 * 1024];
	pid_t c = clone(shares_files, stack + sizeof stack, CLONE_FILES | SIGCHLD, NULL);
	if (c > 0)
		waitpid(c, NULL, 0);
	report("exec: after clone(CLONE_FILES)", open_in(dir, "f", O_RDONLY));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3)
		return second_program(argv[1], argv[2]);
	if (argc != 2)
		return 2;
	const char *dir = argv[1];
	report("file", open_in(dir, "f", O_CREAT | O_WRONLY | O_TRUNC));
	report("shm file", open("/dev/shm/elide_close", O_CREAT | O_RDWR, 0600));
	report("shm dir", open("/dev/shm", O_RDONLY | O_DIRECTORY));
	char fifo[4096];
	snprintf(fifo, sizeof fifo, "%s/fifo", dir);
	mkfifo(fifo, 0600);
	report("fifo", open(fifo, O_RDWR));

	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof a;
	bind(l, (struct sockaddr *)&a, sizeof a);
	listen(l, 1);
	getsockname(l, (struct sockaddr *)&a, &alen);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&a, sizeof a);
	int acc = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	report("accepted", acc);
	report("client", c);
	report("listener", l);

	int f = open_in(dir, "f", O_RDONLY);
	report("file", f);
	report("second close", f);
	report("never opened", 77);
	report("/dev/null", open("/dev/null", O_RDONLY));
	f = open_in(dir, "f", O_RDONLY);
	report("dup", dup(f));
	int g = open_in(dir, "f", O_RDONLY);
	dup2(f, g);
	report("dup2 target", g);
	report("dup2 source", f);
	f = open_in(dir, "f", O_RDONLY);
	g = open_in(dir, "f", O_RDONLY);
	syscall(SYS_close_range, (unsigned)f, (unsigned)g, 0u);
	report("after close_range", f);
	report("after close_range", g);

	/* the kernel reads an fd as 32 bits: these close and replace f and g */
	f = open_in(dir, "f", O_RDONLY);
	errno = 0;
	long r = syscall(SYS_close, (1ull << 32) | (unsigned)f);
	printf("close high bits: close(%d) = %ld errno %d\n", f, r, r ? errno : 0);
	fflush(stdout);
	report("after close high bits", f);
	f = open_in(dir, "f", O_RDONLY);
	g = open_in(dir, "f", O_RDONLY);
	int n = open("/dev/null", O_RDONLY);
	syscall(SYS_dup2, n, (1ull << 32) | (unsigned)g);
	report("dup2 high bits target", g);
	report("dup2 high bits source", n);
	report("file", f);

	f = open_in(dir, "f", O_RDONLY);
	pid_t child = fork();
	if (child == 0) {
		report("child: inherited", f);
		report("child: own", open_in(dir, "f", O_RDONLY));
		_exit(0);
	}
	waitpid(child, NULL, 0);
	report("parent after fork", f);

	/* a device node made in DIR: its file takes the driver's operations,
	 * whatever the filesystem (/dev/null's numbers; /dev/null itself
	 * when mknod is refused) */
	char cdev[4096];
	snprintf(cdev, sizeof cdev, "%s/cdev", dir);
	int cd = mknod(cdev, S_IFCHR | 0600, makedev(1, 3)) == 0 ? open(cdev, O_RDONLY) : open("/dev/null", O_RDONLY);
	report("char device", cd);
	unlink(cdev);

	/* vfork (CLONE_VM, not CLONE_FILES: what posix_spawn does, without
	 * musl's error pipe) leaves the parent's table its own; the program
	 * it runs, after its exec, is known too; and so is a forked child
	 * after its exec, until it shares its table with clone(CLONE_FILES) */
	f = open_in(dir, "f", O_RDONLY);
	char *spawned_argv[] = { argv[0], (char *)dir, "spawned", NULL };
	pid_t sp = vfork();
	if (sp == 0) {
		execv(argv[0], spawned_argv);
		_exit(1);
	}
	if (sp > 0)
		waitpid(sp, NULL, 0);
	report("after vfork", f);
	child = fork();
	if (child == 0) {
		char *exec_argv[] = { argv[0], (char *)dir, "exec", NULL };
		execv(argv[0], exec_argv);
		_exit(1);
	}
	waitpid(child, NULL, 0);

	pthread_t t;
	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
	report("after a thread", open_in(dir, "f", O_RDONLY));
	unlink(fifo);
	unlink("/dev/shm/elide_close");
	return 0;
}
