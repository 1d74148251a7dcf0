/* Traces process PID (PTRACE_SEIZE, so it keeps running) and holds on
 * until killed, passing any signal on: "another tracer" for the tests.
 * Prints "held" once the seize succeeded. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	pid_t pid = (pid_t)atoi(argv[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		perror("ptrace_hold: PTRACE_SEIZE");
		return 1;
	}
	printf("held\n");
	fflush(stdout);
	for (;;) {
		int status;
		pid_t t = waitpid(-1, &status, __WALL);
		if (t < 0)
			return 0;
		if (WIFSTOPPED(status))
			ptrace(PTRACE_CONT, t, 0, (void *)(long)((status >> 16) ? 0 : WSTOPSIG(status)));
	}
}
