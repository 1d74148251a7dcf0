/* A unix stream socket server and client at argv[1]. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	struct sockaddr_un a;
	memset(&a, 0, sizeof a);
	a.sun_family = AF_UNIX;
	snprintf(a.sun_path, sizeof a.sun_path, "%s", argv[1]);
	unlink(argv[1]);
	int ls = socket(AF_UNIX, SOCK_STREAM, 0);
	if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0 || listen(ls, 4) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(c, (struct sockaddr *)&a, sizeof a) < 0)
			_exit(1);
		send(c, "ping", 4, 0);
		close(c);
		_exit(0);
	}
	int s = accept(ls, NULL, NULL);
	char buf[8];
	ssize_t n = recv(s, buf, sizeof buf, 0);
	close(s);
	close(ls);
	unlink(argv[1]);
	int st;
	waitpid(child, &st, 0);
	return n == 4 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
