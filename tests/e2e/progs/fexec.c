/* The exec-by-fd family, each in a child of its own: glibc's fexecve of
 * /bin/true and of a copy of this program, the fileless memfd exec,
 * execveat with a real dirfd and a relative name, execveat of an fd with
 * AT_EMPTY_PATH, and execveat calls that fail.
 *
 * usage: fexec DIR      DIR is writable; a copy of this program goes there
 *        fexec marker MODE   (what the exec'd copies run)
 *
 * Prints the truth the test compares sysdig's view against:
 *   child|MODE|PID            before MODE's exec (PID execs)
 *   exec|MODE|PID|COMM|EXE    from the new image: /proc/self/comm, exe link
 *   failed|MODE|PID|ERRNO     an execveat that returned -1
 *   marker|MODE|PID           the program's next syscall is
 *                             openat("/pdig-fexec-marker/MODE") */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void marker(const char *mode)
{
	char path[128];
	snprintf(path, sizeof path, "/pdig-fexec-marker/%s", mode);
	printf("marker|%s|%d\n", mode, getpid());
	fflush(stdout);
	/* raw, so no libc call slips in between */
	syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
}

static int run_marker(const char *mode)
{
	char comm[32] = "", exe[4096] = "";
	int fd = open("/proc/self/comm", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, comm, sizeof comm - 1) : -1;
	if (n > 0 && comm[n - 1] == '\n')
		comm[n - 1] = 0;
	if (fd >= 0)
		close(fd);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[n > 0 ? n : 0] = 0;
	printf("exec|%s|%d|%s|%s\n", mode, getpid(), comm, exe);
	marker(mode);
	return 0;
}

static int sys_execveat(int dirfd, const char *name, char *const argv[], int flags)
{
	return (int)syscall(SYS_execveat, dirfd, name, argv, environ, flags);
}

/* Copies the file at from into the open fd to. */
static int copy_into(const char *from, int to)
{
	char buf[65536];
	int in = open(from, O_RDONLY);
	if (in < 0)
		return -1;
	ssize_t n;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(to, buf, (size_t)n) != n)
			break;
	close(in);
	return n == 0 ? 0 : -1;
}

/* Runs one exec in a child: print the child line, call exec, report how
 * it failed if it returns. */
static void in_child(const char *mode, int (*do_exec)(const char *dir), const char *dir)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		printf("child|%s|%d\n", mode, getpid());
		fflush(stdout);
		do_exec(dir);
		printf("FAILED-EXEC|%s|%d|%d\n", mode, getpid(), errno);
		fflush(stdout);
		_exit(127);
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "fexec: %s child status %#x\n", mode, st);
		exit(1);
	}
}

static int ex_fexecve_true(const char *dir)
{
	int fd = open("/bin/true", O_RDONLY | O_CLOEXEC);
	char *argv[] = { "true-by-fd", NULL };
	return fd < 0 ? -1 : fexecve(fd, argv, environ);
}

static int ex_fexecve_copy(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fexec-copy", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *argv[] = { "copy-by-fd", "marker", "fexecve", NULL };
	return fd < 0 ? -1 : fexecve(fd, argv, environ);
}

static int ex_memfd(const char *dir)
{
	int fd = memfd_create("pdig-fileless", MFD_CLOEXEC);
	if (fd < 0 || copy_into("/proc/self/exe", fd) < 0)
		return -1;
	char *argv[] = { "fileless", "marker", "memfd", NULL };
	return fexecve(fd, argv, environ);
}

static int ex_dirfd(const char *dir)
{
	int dfd = open(dir, O_PATH | O_DIRECTORY);
	char *argv[] = { "copy-by-dirfd", "marker", "dirfd", NULL };
	return dfd < 0 ? -1 : sys_execveat(dfd, "fexec-copy", argv, 0);
}

static int ex_empty_path(const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/fexec-copy", dir);
	int fd = open(path, O_PATH);
	char *argv[] = { "copy-by-empty-path", "marker", "emptypath", NULL };
	return fd < 0 ? -1 : sys_execveat(fd, "", argv, AT_EMPTY_PATH);
}

/* Failing execveat calls in this very process: the process goes on. */
static void failures(const char *dir)
{
	char *argv[] = { "never", NULL };
	int dfd = open(dir, O_PATH | O_DIRECTORY);
	if (sys_execveat(dfd, "no-such-program", argv, 0) < 0)
		printf("failed|noent|%d|%d\n", getpid(), errno);
	/* an fd of a file that is no program */
	int fd = open("/etc/hostname", O_RDONLY);
	if (sys_execveat(fd, "", argv, AT_EMPTY_PATH) < 0)
		printf("failed|notexec|%d|%d\n", getpid(), errno);
	marker("failed");
	close(fd);
	close(dfd);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "marker"))
		return run_marker(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: fexec DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	char copy[4096];
	snprintf(copy, sizeof copy, "%s/fexec-copy", dir);
	int out = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0 || copy_into("/proc/self/exe", out) < 0) {
		perror(copy);
		return 1;
	}
	close(out);
	in_child("fexecve-true", ex_fexecve_true, dir);
	in_child("fexecve", ex_fexecve_copy, dir);
	in_child("memfd", ex_memfd, dir);
	in_child("dirfd", ex_dirfd, dir);
	in_child("emptypath", ex_empty_path, dir);
	failures(dir);
	return 0;
}
