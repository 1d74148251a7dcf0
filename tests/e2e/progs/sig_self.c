/* Signals reach the program unchanged: a handled SIGUSR1 and SIGUSR2 sent
 * to itself, and a blocked-then-unblocked SIGCHLD from a child. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2, usr1_code;

static void on_usr(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGUSR1) {
		got_usr1++;
		usr1_code = si->si_code;
	} else {
		got_usr2++;
	}
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_usr;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	kill(getpid(), SIGUSR1);
	raise(SIGUSR2);
	pid_t c = fork();
	if (c == 0)
		_exit(7);
	int st;
	waitpid(c, &st, 0);
	printf("usr1=%d code_user=%d usr2=%d child=%d\n", got_usr1, usr1_code == SI_USER, got_usr2,
	       WEXITSTATUS(st));
	return 0;
}
