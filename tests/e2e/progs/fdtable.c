#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
/* Creates fds every way the fd table tracks, then closes each one, so the
 * consumer's fd.name/fd.type at the close shows whether it kept up. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int f = open(argv[1], O_RDONLY);
	int d1 = dup(f);
	dup2(f, 20);
	dup3(f, 21, O_CLOEXEC);
	int d4 = fcntl(f, F_DUPFD, 30);
	int p[2];
	pipe2(p, 0);
	int sp[2];
	socketpair(AF_UNIX, SOCK_STREAM, 0, sp);
	int e = eventfd(0, 0);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGUSR1);
	int s = signalfd(-1, &m, 0);
	int t = timerfd_create(CLOCK_MONOTONIC, 0);
	int in = inotify_init1(0);
	printf("f=%d dup=%d dupfd=%d pipe=%d,%d sp=%d,%d event=%d signal=%d timer=%d inotify=%d\n",
	       f, d1, d4, p[0], p[1], sp[0], sp[1], e, s, t, in);
	fflush(stdout);
	int all[] = { d1, 20, 21, d4, p[0], p[1], sp[0], sp[1], e, s, t, in, f };
	for (unsigned i = 0; i < sizeof all / sizeof *all; i++)
		close(all[i]);
	return 0;
}
