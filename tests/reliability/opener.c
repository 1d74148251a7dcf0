/* A traced workload for the producer/consumer tests.
 *   opener N PREFIX [PERIOD_MS [STOPFILE]]
 * opens (O_CREAT) and closes PREFIX.0 .. PREFIX.N-1, one every PERIOD_MS
 * (0 = flat out), stopping early once STOPFILE exists, then prints on stdout "done N SECONDS" where SECONDS is
 * the wall time the loop took; with PERIOD_MS also the worst lateness of
 * an open against its schedule ("late MS").
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	long n = atol(argv[1]);
	double period = argc > 3 ? atof(argv[3]) / 1000 : 0;
	char path[4096];
	double t0 = now(), late = 0;
	for (long i = 0; i < n; i++) {
		if (period > 0) {
			double due = t0 + i * period, t = now();
			if (t < due) {
				struct timespec d = { 0, (long)((due - t) * 1e9) };
				nanosleep(&d, NULL);
			} else if (t - due > late) {
				late = t - due;
			}
		}
		snprintf(path, sizeof path, "%s.%ld", argv[2], i);
		int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			perror(path);
			return 1;
		}
		close(fd);
		if (argc > 4 && access(argv[4], F_OK) == 0) {
			n = i + 1;
			break;
		}
	}
	printf("done %ld %.3f late %.0f\n", n, now() - t0, late * 1000);
	return 0;
}
