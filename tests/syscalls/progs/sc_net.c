/* Every network syscall once in a success and once in a failure case, in
 * one thread, in a fixed order. Prints the values the test script has to
 * find in sysdig's output ("key value..." lines). */
#ifndef _GNU_SOURCE /* CMake may already define it */
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		die("getsockname");
	return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					       : ((struct sockaddr_in *)&ss)->sin_port);
}

static struct sockaddr_in v4(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* TCP over IPv4: listener, connect, accept, data both ways, options. */
static void tcp4(void)
{
	int l = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	if (setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
		die("setsockopt");
	struct sockaddr_in a = v4(0);
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 7) < 0)
		die("bind/listen");
	int sport = port_of(l);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	a = v4(sport);
	if (connect(c, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect");
	int cport = port_of(c);
	struct sockaddr_in peer;
	socklen_t pl = sizeof peer;
	int s = syscall(SYS_accept, l, &peer, &pl);
	if (s < 0)
		die("accept");
	pl = sizeof peer;
	getpeername(s, (struct sockaddr *)&peer, &pl);
	printf("tcp4 %d %d l=%d c=%d s=%d\n", sport, cport, l, c, s);
	if (sendto(c, "hello-sendto", 12, 0, NULL, 0) != 12)
		die("sendto");
	char buf[64];
	if (recvfrom(s, buf, sizeof buf, 0, NULL, NULL) != 12)
		die("recvfrom");
	struct iovec iov[2] = { { "msg-", 4 }, { "part2", 5 } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	if (sendmsg(c, &mh, 0) != 9)
		die("sendmsg");
	struct iovec riov = { buf, sizeof buf };
	struct msghdr rmh = { .msg_iov = &riov, .msg_iovlen = 1 };
	if (recvmsg(s, &rmh, 0) != 9)
		die("recvmsg");
	int v, err;
	socklen_t vl = sizeof v;
	getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl);
	vl = sizeof err;
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &vl);
	int nd = 1;
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nd, sizeof nd);
	if (shutdown(c, SHUT_WR) < 0)
		die("shutdown");

	/* failures */
	a = v4(sport);
	int b = socket(AF_INET, SOCK_STREAM, 0);
	errno = 0;
	bind(b, (struct sockaddr *)&a, sizeof a);          /* EADDRINUSE */
	printf("bindfail %d %s\n", sport, strerror(errno));
	a = v4(0);
	bind(b, (struct sockaddr *)&a, sizeof a);
	int rport = port_of(b);
	close(b);                                          /* now nothing listens there */
	b = socket(AF_INET, SOCK_STREAM, 0);
	a = v4(rport);
	if (connect(b, (struct sockaddr *)&a, sizeof a) == 0 || errno != ECONNREFUSED)
		die("refused connect");
	printf("refused %d\n", rport);
	close(b);
	syscall(SYS_accept, c, NULL, NULL);                /* EINVAL: not listening */
	syscall(SYS_accept4, -1, NULL, NULL, SOCK_CLOEXEC); /* EBADF */
	listen(-1, 3);                                      /* EBADF */
	sendto(-1, "x", 1, 0, NULL, 0);                     /* EBADF */
	recvfrom(-1, buf, sizeof buf, 0, NULL, NULL);       /* EBADF */
	sendmsg(-1, &mh, 0);                                /* EBADF */
	recvmsg(-1, &rmh, 0);                               /* EBADF */
	shutdown(-1, SHUT_RDWR);                            /* EBADF */
	getsockname(-1, NULL, NULL);                        /* EBADF */
	getpeername(l, (struct sockaddr *)&peer, &pl);      /* ENOTCONN */
	setsockopt(s, SOL_SOCKET, 12345, &one, sizeof one); /* ENOPROTOOPT */
	getsockopt(s, SOL_SOCKET, 12345, &v, &vl);          /* ENOPROTOOPT */
	socket(12345, SOCK_STREAM, 0);                      /* EAFNOSUPPORT */
	close(s);
	close(c);
	close(l);
}

/* TCP over IPv6 with accept4. */
static void tcp6(void)
{
	int l = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 3) < 0)
		die("bind6");
	int sport = port_of(l);
	int c = socket(AF_INET6, SOCK_STREAM, 0);
	a.sin6_port = htons(sport);
	if (connect(c, (struct sockaddr *)&a, sizeof a) < 0)
		die("connect6");
	int s = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0)
		die("accept4");
	printf("tcp6 %d %d s=%d\n", sport, port_of(c), s);
	close(s);
	close(c);
	close(l);
}

/* UDP with explicit addresses, sendmmsg/recvmmsg. */
static void udp(void)
{
	int r = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = v4(0);
	if (bind(r, (struct sockaddr *)&a, sizeof a) < 0)
		die("bind udp");
	int rport = port_of(r);
	int t = socket(AF_INET, SOCK_DGRAM, 0);
	a = v4(rport);
	if (sendto(t, "udp-one", 7, 0, (struct sockaddr *)&a, sizeof a) != 7)
		die("udp sendto");
	int tport = port_of(t);
	struct sockaddr_in from;
	socklen_t fl = sizeof from;
	char buf[64];
	if (recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl) != 7)
		die("udp recvfrom");
	printf("udp %d %d\n", tport, rport);
	listen(r, 1);                                          /* EOPNOTSUPP */
	recvfrom(r, buf, sizeof buf, MSG_DONTWAIT, NULL, NULL); /* EAGAIN */
	if (connect(t, (struct sockaddr *)&a, sizeof a) < 0)
		die("udp connect");
	struct iovec iov[2] = { { "mm-a", 4 }, { "mm-bb", 5 } };
	struct mmsghdr mm[2] = { { .msg_hdr = { .msg_iov = &iov[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &iov[1], .msg_iovlen = 1 } } };
	if (sendmmsg(t, mm, 2, 0) != 2)
		die("sendmmsg");
	char b1[16], b2[16];
	struct iovec riov[2] = { { b1, sizeof b1 }, { b2, sizeof b2 } };
	struct mmsghdr rm[2] = { { .msg_hdr = { .msg_iov = &riov[0], .msg_iovlen = 1 } },
				 { .msg_hdr = { .msg_iov = &riov[1], .msg_iovlen = 1 } } };
	if (recvmmsg(r, rm, 2, 0, NULL) != 2)
		die("recvmmsg");
	sendmmsg(-1, mm, 2, 0);                    /* EBADF */
	recvmmsg(r, rm, 2, MSG_DONTWAIT, NULL);    /* EAGAIN */
	close(t);
	close(r);
}

/* Unix sockets: socketpair, and a path-bound listener. */
static void unix_socks(const char *path)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		die("socketpair");
	printf("pair %d %d\n", sv[0], sv[1]);
	socketpair(AF_INET, SOCK_STREAM, 0, sv); /* EOPNOTSUPP */
	int l = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	strncpy(u.sun_path, path, sizeof u.sun_path - 1);
	unlink(path);
	if (bind(l, (struct sockaddr *)&u, sizeof u) < 0 || listen(l, 2) < 0)
		die("unix bind");
	int c = socket(AF_UNIX, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&u, sizeof u) < 0)
		die("unix connect");
	int s = syscall(SYS_accept, l, NULL, NULL);
	printf("unix %d %d %d\n", l, c, s);
	close(s);
	close(c);
	close(l);
	unlink(path);
	c = socket(AF_UNIX, SOCK_STREAM, 0);
	connect(c, (struct sockaddr *)&u, sizeof u); /* ENOENT */
	close(c);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	tcp4();
	tcp6();
	udp();
	unix_socks(argc > 1 ? argv[1] : "/tmp/sc_net.sock");
	return 0;
}
