/* Signal-sending syscalls: kill, tkill, tgkill, to ourselves (caught),
 * to a child, and failing ones (ESRCH, EINVAL). Prints "key value..." */
#ifndef _GNU_SOURCE /* CMake may already define it */
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_sig(int s) { got++; }

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, on_sig);
	pid_t me = getpid(), tid = gettid();
	syscall(SYS_kill, me, SIGUSR1);
	syscall(SYS_tkill, tid, SIGUSR2);
	syscall(SYS_tgkill, me, tid, SIGUSR1);
	syscall(SYS_kill, me, 0);                /* probe only */
	syscall(SYS_kill, 999999, SIGTERM);      /* ESRCH */
	syscall(SYS_kill, me, 99);               /* EINVAL */
	syscall(SYS_tkill, -5, SIGUSR1);         /* EINVAL */
	syscall(SYS_tgkill, me, 999999, SIGUSR1); /* ESRCH */
	pid_t c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	syscall(SYS_kill, c, SIGKILL);
	int st;
	waitpid(c, &st, 0);
	printf("me %d tid %d child %d killed %d caught %d\n", me, tid, c,
	       WIFSIGNALED(st) ? WTERMSIG(st) : 0, (int)got);
	return 0;
}
