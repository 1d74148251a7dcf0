/* Socket calls that fail, whose exit events the driver fills in its own
 * way: a send on a stream whose peer is gone (EPIPE: no data), a recvmsg
 * with nothing to receive (EAGAIN: size is the buffers' total, 128), and a
 * socketpair the family cannot make (fds 0). Prints "<call>|<-errno>". */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return 1;
	close(sv[1]);
	if (send(sv[0], "payload", 7, MSG_NOSIGNAL) >= 0)
		return 1;
	printf("sendto|%d\n", -errno);
	int dg[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, dg))
		return 1;
	char a[100], b[28];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	struct msghdr mh;
	memset(&mh, 0, sizeof mh);
	mh.msg_iov = iov;
	mh.msg_iovlen = 2;
	if (recvmsg(dg[0], &mh, 0) >= 0)
		return 1;
	printf("recvmsg|%d\n", -errno);
	int bad[2] = { 7, 7 };
	if (socketpair(AF_INET, SOCK_STREAM, 0, bad) == 0)
		return 1;
	printf("socketpair|%d\n", -errno);
	return 0;
}
