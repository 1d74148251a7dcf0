/* The helper thread a park makes counts against the program's limits
 * (RLIMIT_NPROC here; a pids cgroup the same): a program that stays within
 * its limit natively gets EAGAIN from fork() under pdig --threads N>1.
 * As a uid no other test uses (61317, no name) with RLIMIT_NPROC 3: itself, child 1, child 2 fit;
 * child 1's parked helper does not. Usage: park_nproc ROUNDS */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200, eagain = 0, other = 0;
	if (setgid(61317) || setuid(61317)) { /* not nobody: other tests run as nobody at the same time, and RLIMIT_NPROC counts every task of the uid */
		perror("setuid");
		return 2;
	}
	struct rlimit rl = { 3, 3 };
	if (setrlimit(RLIMIT_NPROC, &rl)) {
		perror("setrlimit");
		return 2;
	}
	for (int i = 0; i < rounds; i++) {
		pid_t a = fork();
		if (a == 0) {
			pause();
			_exit(0);
		}
		pid_t b = fork();
		if (b == 0) {
			pause();
			_exit(0);
		}
		if (b < 0 && errno == EAGAIN)
			eagain++;
		else if (b < 0)
			other++;
		if (a > 0)
			kill(a, SIGKILL), waitpid(a, NULL, 0);
		if (b > 0)
			kill(b, SIGKILL), waitpid(b, NULL, 0);
	}
	printf("rounds %d fork EAGAIN %d other errors %d\n", rounds, eagain, other);
	return eagain ? 1 : 0;
}
