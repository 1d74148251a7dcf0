/* How the tamper helpers report an attack's outcome: NAME=OK, or
 * NAME=<errno name>, one line each, flushed at once. */
#ifndef TAMPER_REPORT_H
#define TAMPER_REPORT_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* musl has no strerrorname_np: the names the tests look for */
static const char *errname(int e)
{
	static char other[16];
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case ESRCH: return "ESRCH";
	case ENOENT: return "ENOENT";
	case EINVAL: return "EINVAL";
	case EBUSY: return "EBUSY";
	case ENOSYS: return "ENOSYS";
	default:
		snprintf(other, sizeof other, "E%d", e);
		return other;
	}
}

static void report(const char *what, long rc)
{
	if (rc >= 0)
		printf("%s=OK\n", what);
	else
		printf("%s=%s\n", what, errname(errno));
	fflush(stdout);
}

/* The helpers' last act: one open of /etc/hostname, a moment after the
 * attack, so a test sees that later events still reach the consumer. */
static inline int open_after(void)
{
	usleep(100000);
	int fd = open("/etc/hostname", O_RDONLY);
	if (fd >= 0)
		close(fd);
	return 0;
}

#endif
