/* N times: one traced syscall (close of a bad fd), then ~200 µs of
 * computing. A tracer polling for the next stop misses it every time. */
#include <stdlib.h>
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
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	for (int i = 0; i < n; i++) {
		close(-1);
		long long until = now_ns() + 200000;
		while (now_ns() < until)
			;
	}
	return 0;
}
