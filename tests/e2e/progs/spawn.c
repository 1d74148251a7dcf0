/* Starts children two ways: fork+execv and posix_spawn. */
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	/* argv[1]: program for fork+exec, argv[2]: program for posix_spawn */
	pid_t p = fork();
	if (p == 0) {
		char *a[] = { argv[1], "forked-arg", NULL };
		execv(argv[1], a);
		_exit(127);
	}
	int st, ok = 1;
	waitpid(p, &st, 0);
	ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	char *b[] = { argv[2], "spawned-arg", NULL };
	pid_t q;
	if (posix_spawn(&q, argv[2], NULL, NULL, b, environ) != 0)
		return 1;
	waitpid(q, &st, 0);
	ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("fork %d spawn %d\n", p, q);
	return ok ? 0 : 1;
}
