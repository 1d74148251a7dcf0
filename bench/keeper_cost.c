/* keeper_cost: what a traced syscall costs a process once pdig has let go
 * of it and pdig-keeper resumes each of its stops (see keeper_cost.sh).
 *
 *   keeper_cost DIR N ROUNDS
 *
 * Writes "pid\n" to DIR/ids, then for each round waits until DIR/goR
 * exists (polled with stat, which the filter does not trace), times N
 * openat(/dev/null)+close pairs and appends "ns per pair" to DIR/times. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	const char *dir = argv[1];
	long n = atol(argv[2]), rounds = atol(argv[3]);
	char path[512];
	snprintf(path, sizeof path, "%s/ids", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return 1;
	fprintf(f, "%d\n", getpid());
	fclose(f);
	for (long r = 0; r < rounds; r++) {
		struct stat st;
		snprintf(path, sizeof path, "%s/go%ld", dir, r);
		while (stat(path, &st) < 0)
			usleep(1000);
		long long t0 = now_ns();
		for (long i = 0; i < n; i++) {
			int fd = openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				return 3;
			close(fd);
		}
		long long per = (now_ns() - t0) / n;
		snprintf(path, sizeof path, "%s/times", dir);
		f = fopen(path, "a");
		if (!f)
			return 1;
		fprintf(f, "%lld\n", per);
		fclose(f);
	}
	return 0;
}
