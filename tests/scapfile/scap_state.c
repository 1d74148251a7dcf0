/* Writes a capture whose process and fd lists come from the /proc state
 * source (procfs_desc.c) describing this very process to the sink, then one `close` enter per
 * open fd. The shell test reads it back with `sysdig -r`: proc.name and
 * fd.name can only be right if the PL_V9 and FDL_V2 blocks are.
 * Usage: scap_state OUT.scap UNIX_SOCKET_PATH
 * Prints "fd kind" lines (file, dir, pipe, tcp, listen, unix) and
 * "port SERVER CLIENT" for the expected values. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "events/evbuf.h"
#include "procfs/procfs_desc.h"
#include "sinks/scapfile.h"
#include "sinks/sink.h"

static void die(const char *m)
{
	perror(m);
	exit(1);
}

static void emit_close(struct sink *s, int fd)
{
	uint8_t buf[256];
	struct evbuf b;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	evb_begin(&b, buf, sizeof buf, pdig_syscalls[SYS_close].enter,
		  (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, (uint64_t)getpid());
	evb_s64(&b, fd);
	size_t n = evb_finish(&b);
	if (!n)
		die("encode");
	s->write(s, buf, n);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: scap_state OUT UNIXPATH\n");
		return 2;
	}
	int file = open("/etc/hostname", O_RDONLY);
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	int pfd[2];
	if (file < 0 || dir < 0 || pipe(pfd) < 0)
		die("open");

	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof a;
	int srv = socket(AF_INET, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (void *)&a, sizeof a) < 0 || listen(srv, 1) < 0 ||
	    getsockname(srv, (void *)&a, &al) < 0)
		die("listen");
	int cli = socket(AF_INET, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, (void *)&a, sizeof a) < 0)
		die("connect");
	struct sockaddr_in c;
	socklen_t cl = sizeof c;
	if (getsockname(cli, (void *)&c, &cl) < 0)
		die("getsockname");

	struct sockaddr_un u = { .sun_family = AF_UNIX };
	snprintf(u.sun_path, sizeof u.sun_path, "%s", argv[2]);
	unlink(argv[2]);
	int us = socket(AF_UNIX, SOCK_STREAM, 0);
	if (us < 0 || bind(us, (void *)&u, sizeof u) < 0 || listen(us, 1) < 0)
		die("unix");

	char err[256];
	struct sink *s = scap_sink_open(argv[1], 0, err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct procfs_desc_ctx ctx;
	struct state_source src;
	procfs_desc_source(&ctx, &src);
	sinks_add(s);
	sinks_set_source(&src);
	sinks_describe_process(getpid());

	int fds[] = { file, dir, pfd[0], cli, srv, us };
	const char *kinds[] = { "file", "dir", "pipe", "tcp", "listen", "unix" };
	for (int i = 0; i < 6; i++) {
		emit_close(s, fds[i]);
		printf("%d %s\n", fds[i], kinds[i]);
	}
	printf("port %u %u\n", ntohs(a.sin_port), ntohs(c.sin_port));
	s->close(s);
	unlink(argv[2]);
	return 0;
}
