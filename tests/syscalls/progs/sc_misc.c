/* Misc family: sleeping, waiting and polling, futex, and the syscalls the
 * consumer only knows as generic events, each with known arguments and
 * (where the kernel allows) a failure, through syscall(2). Prints the
 * fds and addresses the test needs. */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>

#define BAD_PTR 1L
#define L(x) ((long)(x))

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	return syscall(nr, a, b, c, d, e, f);
}

static void on_alarm(int sig) { (void)sig; }

int main(void)
{
	int p[2];
	sc(SYS_pipe, L(p), 0, 0, 0, 0, 0);
	sc(SYS_write, p[1], L("!"), 1, 0, 0, 0); /* p[0] is readable */

	/* sleeping */
	struct timespec ts = { 0, 1000000 }, bad = { 0, -1 };
	sc(SYS_nanosleep, L(&ts), 0, 0, 0, 0, 0);
	sc(SYS_nanosleep, L(&bad), 0, 0, 0, 0, 0); /* EINVAL */

	/* futex: wake nobody; wait on a value that is not there */
	uint32_t word = 0;
	sc(SYS_futex, L(&word), FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
	sc(SYS_futex, L(&word), FUTEX_WAIT, 1, 0, 0, 0); /* EAGAIN */

	/* polling: p[0] readable, p[1] writable */
	struct pollfd pf[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
	sc(SYS_poll, L(pf), 2, 0, 0, 0, 0);
	sc(SYS_poll, BAD_PTR, 1, 0, 0, 0, 0); /* EFAULT */
	struct timespec zero = { 0, 0 }, tsl = { 2, 5 };
	uint64_t mask = 1ull << (SIGUSR1 - 1);
	sc(SYS_ppoll, L(pf), 1, L(&tsl), L(&mask), 8, 0);
	sc(SYS_ppoll, L(pf), 1, L(&zero), L(&mask), 4, 0); /* EINVAL: sigsetsize */
	fd_set rf;
	FD_ZERO(&rf);
	FD_SET(p[0], &rf);
	struct timeval tv = { 0, 0 };
	sc(SYS_select, p[0] + 1, L(&rf), 0, 0, L(&tv), 0);
	sc(SYS_select, -1, 0, 0, 0, L(&tv), 0); /* EINVAL */
	FD_SET(p[0], &rf);
	sc(SYS_pselect6, p[0] + 1, L(&rf), 0, 0, L(&zero), 0);
	long ep = sc(SYS_epoll_create, 4, 0, 0, 0, 0, 0);
	sc(SYS_epoll_create, 0, 0, 0, 0, 0, 0); /* EINVAL */
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 7 }, out[4];
	sc(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], L(&ev), 0, 0);
	sc(SYS_epoll_wait, ep, L(out), 4, 0, 0, 0);
	sc(SYS_epoll_wait, 999, L(out), 3, 0, 0, 0); /* EBADF */

	/* generic events */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sc(SYS_alarm, 100, 0, 0, 0, 0, 0);
	sc(SYS_alarm, 0, 0, 0, 0, 0, 0);
	/* pause until a 10 ms timer fires (setitimer is not traced) */
	struct itimerval it = { { 0, 0 }, { 0, 10000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	sc(SYS_pause, 0, 0, 0, 0, 0, 0);
	sc(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, 0, 0, 0, 0, 0);
	sc(SYS_uselib, L("/nonexistent-lib"), 0, 0, 0, 0, 0);
	struct sched_param sp = { 0 };
	sc(SYS_sched_getparam, 0, L(&sp), 0, 0, 0, 0);
	sc(SYS_sched_setparam, 0, L(&sp), 0, 0, 0, 0);

	printf("p0=%d\np1=%d\nep=%ld\nword=%lX\n", p[0], p[1], ep, L(&word));
	return 0;
}
