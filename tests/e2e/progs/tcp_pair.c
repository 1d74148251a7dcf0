/* A TCP server and client on 127.0.0.1 in one process (the client runs in
 * a forked child). Prints "port <server port> client <client port>". */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 4) < 0)
		return 1;
	socklen_t len = sizeof a;
	getsockname(ls, (struct sockaddr *)&a, &len);
	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof a) < 0)
			_exit(1);
		struct sockaddr_in me;
		socklen_t ml = sizeof me;
		getsockname(c, (struct sockaddr *)&me, &ml);
		printf("port %d client %d\n", ntohs(a.sin_port), ntohs(me.sin_port));
		fflush(stdout);
		send(c, "ping", 4, 0);
		close(c);
		_exit(0);
	}
	int s = accept(ls, NULL, NULL);
	char buf[8];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	close(s);
	close(ls);
	int st;
	waitpid(child, &st, 0);
	return n == 4 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
