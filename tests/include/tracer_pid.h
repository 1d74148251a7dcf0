/* Which tracer serves the calling thread, as the test helper programs
 * report it: the TracerPid line of /proc/thread-self/status. Shared by the
 * helpers of every test area (pdig_test_area puts this folder on their
 * include path). */
#ifndef PDIG_TEST_TRACER_PID_H
#define PDIG_TEST_TRACER_PID_H

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The TracerPid of the calling thread, -1 if it cannot be read. A thread
 * that is under pdig's seccomp filter with no tracer (an untraced child of
 * a traced process) cannot even open the file: the open fails with ENOSYS,
 * which counts as untraced (0). */
static inline long tracer_pid(void)
{
	int fd = open("/proc/thread-self/status", O_RDONLY);
	if (fd < 0)
		return errno == ENOSYS ? 0 : -1;
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	const char *p = strstr(buf, "TracerPid:");
	return p ? strtol(p + 10, NULL, 10) : -1;
}

#endif
