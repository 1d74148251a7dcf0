/* Bounded /proc file readers: plain open/read into caller or stack buffers,
 * so a tracee's huge or odd files cost a bounded amount of work and memory. */
#include "procfs_io.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PF_LINE_MAX 4096

int pf_path(char *buf, size_t cap, int64_t id, const char *what)
{
	if (id <= 0 || id > INT32_MAX)
		return -1;
	int n = snprintf(buf, cap, "/proc/%" PRId64 "/%s", id, what);
	return (n < 0 || (size_t)n >= cap) ? -1 : 0;
}

static ssize_t read_full(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t r = read(fd, buf + got, cap - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return got ? (ssize_t)got : -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

ssize_t pf_read(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read_full(fd, buf, cap);
	close(fd);
	return n;
}

ssize_t pf_pread(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	while (got < cap) {
		ssize_t r = pread(fd, buf + got, cap - got, (off_t)got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1; /* ESRCH: the thread is gone */
		}
		got += (size_t)r;
		/* a short read is the end: these files are produced whole */
		if (r == 0 || got < cap)
			break;
	}
	return (ssize_t)got;
}

ssize_t pf_readlink(const char *path, char *buf, size_t cap)
{
	if (cap == 0)
		return -1;
	ssize_t n = readlink(path, buf, cap - 1);
	if (n < 0) {
		buf[0] = '\0';
		return -1;
	}
	buf[n] = '\0';
	return n;
}

int pf_lines(const char *path, int (*fn)(char *line, void *arg), void *arg)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	char buf[PF_LINE_MAX];
	size_t have = 0;
	int skipping = 0, res = 0, eof = 0;
	while (!res && !eof) {
		ssize_t r = read(fd, buf + have, sizeof(buf) - 1 - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			eof = 1;
			r = 0;
		}
		have += (size_t)r;
		size_t start = 0;
		for (;;) {
			char *nl = memchr(buf + start, '\n', have - start);
			if (!nl)
				break;
			*nl = '\0';
			if (!skipping)
				res = fn(buf + start, arg);
			skipping = 0;
			start = (size_t)(nl - buf) + 1;
			if (res)
				break;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (res)
			break;
		if (eof || have == sizeof(buf) - 1) {
			/* A last line without newline, or one too long: hand over
			 * what fits and drop the rest of it. */
			if (have && !skipping) {
				buf[have] = '\0';
				res = fn(buf, arg);
			}
			skipping = !eof;
			have = 0;
		}
	}
	close(fd);
	return res;
}
