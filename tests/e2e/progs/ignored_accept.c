/* Ignores SIGUSR1 (SIG_IGN) and blocks in accept() on 127.0.0.1 until a
 * connection comes, or with "read FIFO" in read() on FIFO until a byte
 * comes, or with "sleep" in nanosleep() for a second (restarted as
 * restart_syscall). Prints "pid P port N" first (port 0 but for accept). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	signal(SIGUSR1, SIG_IGN);
	if (argc > 1 && !strcmp(argv[1], "sleep")) {
		printf("pid %d port 0\n", getpid());
		fflush(stdout);
		struct timespec ts = { 1, 0 };
		return syscall(SYS_nanosleep, &ts, NULL) == 0 ? 0 : 1;
	}
	if (argc > 1 && !strcmp(argv[1], "read")) {
		/* read-write: the open does not wait for a writer */
		int fd = argc > 2 ? open(argv[2], O_RDWR) : -1;
		if (fd < 0)
			return 2;
		printf("pid %d port 0\n", getpid());
		fflush(stdout);
		char c;
		return read(fd, &c, 1) == 1 ? 0 : 1;
	}
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) < 0)
		return 2;
	printf("pid %d port %d\n", getpid(), ntohs(a.sin_port));
	fflush(stdout);
	int c = accept(s, NULL, NULL);
	if (c < 0)
		return 1;
	close(c);
	return 0;
}
