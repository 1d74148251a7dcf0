/* Changes its RLIMIT_NOFILE soft limit between forks, right after the
 * previous fork (well inside pdig's 100 ms cache): setrlimit, then
 * prlimit64 with a new limit (and a getrlimit, which changes nothing),
 * then execs a program. Prints "fork|<child pid>|<limit>" per fork and
 * "exec|<pid>|<limit>" before the exec: the truth for each event. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void fork_one(void)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	pid_t c = fork();
	if (c == 0)
		_exit(0);
	printf("fork|%d|%llu\n", (int)c, (unsigned long long)rl.rlim_cur);
	fflush(stdout);
	waitpid(c, NULL, 0);
}

static void set_soft(int how, rlim_t soft)
{
	struct rlimit rl;
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = soft;
	if (how == 0)
		syscall(SYS_setrlimit, RLIMIT_NOFILE, &rl);
	else
		syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, &rl, NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rlimits PROGRAM\n");
		return 2;
	}
	fork_one();
	set_soft(0, 100);
	fork_one();
	set_soft(1, 200);
	fork_one();
	set_soft(1, 300);
	printf("exec|%d|300\n", (int)getpid());
	fflush(stdout);
	execv(argv[1], argv + 1);
	return 1;
}
