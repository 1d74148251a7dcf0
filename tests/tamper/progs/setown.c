/* The suspect: makes pdig the owner of a file's signals, so that I/O on
 * the file would signal pdig with no kill call (fcntl F_SETOWN, then
 * F_SETSIG and O_ASYNC, then a write).
 *   setown HOW TARGET SIG
 * HOW: fcntl (F_SETOWN), ex (F_SETOWN_EX: F_OWNER_PID, or F_OWNER_PGRP
 * for a negative TARGET), tid (F_SETOWN_EX F_OWNER_TID), ioctl (FIOSETOWN
 * on a socket). TARGET: ppid (pdig in spawn mode), -pgrp (its own process
 * group, pdig's), self (its own pid: must work). SIG: 0 leaves the
 * default SIGIO, else F_SETSIG's signal.
 * Prints own=OK|<errno> (the owner call) and, for self, got=<signal> or
 * got=none (the signal it received); then opens /etc/hostname. */
#include <fcntl.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "report.h"

static volatile sig_atomic_t got;

static void on_signal(int sig)
{
	got = sig;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	const char *how = argv[1], *target = argv[2];
	int sig = atoi(argv[3]);
	pid_t who = !strcmp(target, "ppid") ? getppid() : !strcmp(target, "-pgrp") ? -getpgrp() : getpid();
	bool self = !strcmp(target, "self");
	if (self) {
		struct sigaction sa = { .sa_handler = on_signal };
		sigaction(sig ? sig : SIGIO, &sa, NULL);
	}
	int p[2];
	if (!strcmp(how, "ioctl") ? socketpair(AF_UNIX, SOCK_STREAM, 0, p) : pipe(p))
		return 2;
	long rc;
	if (!strcmp(how, "fcntl")) {
		rc = fcntl(p[0], F_SETOWN, who);
	} else if (!strcmp(how, "ex") || !strcmp(how, "tid")) {
		struct f_owner_ex o = { who < 0 ? F_OWNER_PGRP : !strcmp(how, "tid") ? F_OWNER_TID : F_OWNER_PID,
					who < 0 ? -who : who };
		rc = fcntl(p[0], F_SETOWN_EX, &o);
	} else {
		int w = who;
		rc = ioctl(p[0], FIOSETOWN, &w);
	}
	report("own", rc);
	if (sig)
		fcntl(p[0], F_SETSIG, sig);
	fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_ASYNC | O_NONBLOCK);
	if (write(p[1], "x", 1) != 1)
		return 2;
	/* a signal to itself arrives before write returns or soon after */
	for (int i = 0; i < 100 && self && !got; i++)
		usleep(10000);
	if (self) {
		printf("got=%d\n", (int)got);
		fflush(stdout);
	}
	return open_after();
}
