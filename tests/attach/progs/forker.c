/* A forking server for -P: starts two long-lived children (renamed
 * "oldkid", each opening DIR/old.txt in a loop), writes
 * "parent kid1 kid2\n" to DIR/ids, then forks a short-lived worker every
 * ~50 ms that opens DIR/new.txt and exits. Everything ends when the parent
 * is killed (the kids notice their parent is gone).
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000 * 1000 };
	nanosleep(&ts, NULL);
}

static void touch(const char *path)
{
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp";
	char oldp[512], newp[512], idp[512], tmp[512];
	snprintf(oldp, sizeof oldp, "%s/old.txt", dir);
	snprintf(newp, sizeof newp, "%s/new.txt", dir);
	snprintf(idp, sizeof idp, "%s/ids", dir);
	snprintf(tmp, sizeof tmp, "%s/ids.tmp", dir);
	pid_t parent = getpid(), kids[2];
	for (int i = 0; i < 2; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			prctl(PR_SET_NAME, "oldkid");
			while (getppid() == parent) {
				touch(oldp);
				nap_ms(20);
			}
			_exit(0);
		}
	}
	FILE *f = fopen(tmp, "w");
	if (!f)
		return 1;
	fprintf(f, "%d %d %d\n", parent, kids[0], kids[1]);
	fclose(f);
	rename(tmp, idp);
	for (;;) {
		pid_t w = fork();
		if (w == 0) {
			touch(newp);
			_exit(0);
		}
		nap_ms(50);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
}
