/* Prints what an exec gave it, then forks a child that prints the same:
 *   prog|PID|EUID|EGID|WRITABLE
 *   child|PID|EUID|EGID
 * WRITABLE: 1 if its own executable is writable with its effective ids. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int w = faccessat(AT_FDCWD, "/proc/self/exe", W_OK, AT_EACCESS) == 0;
	printf("prog|%d|%d|%d|%d\n", (int)getpid(), (int)geteuid(), (int)getegid(), w);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		printf("child|%d|%d|%d\n", (int)getpid(), (int)geteuid(), (int)getegid());
		fflush(stdout);
		_exit(0);
	}
	if (p > 0)
		waitpid(p, NULL, 0);
	return 0;
}
