/* Prints what an exec gave it, then forks a child that prints the same:
 *   prog|PID|EUID|EGID|WRITABLE|LOGINUID|CGROUPS
 *   child|PID|EUID|EGID
 * WRITABLE: the driver's EXE_WRITABLE: the kernel lets it write its own
 * executable (access with its effective ids), or it owns the file, or it
 * has CAP_FOWNER (inode_owner_or_capable: even on a read-only mount);
 * CGROUPS: /proc/self/cgroup with its lines joined by ';'. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int has_fowner(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	return (eff >> 3) & 1;
}

int main(void)
{
	struct stat st;
	int w = faccessat(AT_FDCWD, "/proc/self/exe", W_OK, AT_EACCESS) == 0 ||
		(stat("/proc/self/exe", &st) == 0 && st.st_uid == geteuid()) || has_fowner();
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
