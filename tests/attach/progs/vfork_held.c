/* vfork_held DIR: writes "PID" to DIR/pid, waits for DIR/go, then vforks a
 * child that sleeps 2.5 s before _exit. The parent stays inside vfork all
 * that time, so a tracer that is told to let go meanwhile holds its
 * clone-family exit (issue 18 item 4) and must still write it. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char path[4096];
	snprintf(path, sizeof path, "%s/pid", argv[1]);
	FILE *f = fopen(path, "w");
	if (!f)
		return 2;
	fprintf(f, "%d\n", getpid());
	fclose(f);
	snprintf(path, sizeof path, "%s/go", argv[1]);
	while (access(path, F_OK) != 0)
		usleep(10000);
	pid_t child = vfork();
	if (child == 0) {
		struct timespec ts = { 2, 500000000 };
		nanosleep(&ts, NULL);
		_exit(0);
	}
	if (child < 0)
		return 1;
	waitpid(child, NULL, 0);
	printf("%d\n", child);
	return 0;
}
