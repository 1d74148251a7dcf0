/* Prints what an exec gave it, then forks a child that prints the same:
 *   prog|PID|EUID|EGID|WRITABLE|LOGINUID|CGROUPS
 *   child|PID|EUID|EGID
 * WRITABLE: 1 if its own executable is writable with its effective ids;
 * CGROUPS: /proc/self/cgroup with its lines joined by ';'. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int w = faccessat(AT_FDCWD, "/proc/self/exe", W_OK, AT_EACCESS) == 0;
	char login[32] = "-1", cg[4096] = "";
	FILE *f = fopen("/proc/self/loginuid", "r");
	if (f) {
		if (!fgets(login, sizeof login, f))
			strcpy(login, "-1");
		fclose(f);
	}
	f = fopen("/proc/self/cgroup", "r");
	if (f) {
		size_t n = fread(cg, 1, sizeof cg - 1, f);
		cg[n] = '\0';
		fclose(f);
	}
	for (char *p = cg; *p; p++)
		if (*p == '\n')
			*p = ';';
	printf("prog|%d|%d|%d|%d|%s|%s\n", (int)getpid(), (int)geteuid(), (int)getegid(), w, login, cg);
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
