/* Catches SIGUSR1 and SIGTERM (no SA_RESTART) while blocked in read() on a
 * pipe, ignores SIGUSR2; exits once both caught signals came. Prints
 * "pid P" first. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, term;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		usr1 = 1;
	else
		term = 1;
}

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 2;
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGUSR2, SIG_IGN);
	printf("pid %d\n", getpid());
	fflush(stdout);
	char c;
	while (!(usr1 && term))
		read(fds[0], &c, 1);
	return 0;
}
