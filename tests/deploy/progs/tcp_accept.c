/* The pod test's listener: accepts one TCP connection on 127.0.0.1:PORT
 * (the app's outbound connect goes there: the pod shares one network
 * namespace) and exits, or gives up after 20 s. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 1) < 0) {
		perror("tcp_accept");
		return 1;
	}
	struct pollfd p = { .fd = s, .events = POLLIN };
	if (poll(&p, 1, 20000) != 1)
		return 1;
	int c = accept(s, NULL, NULL);
	if (c >= 0)
		close(c);
	return c < 0;
}
