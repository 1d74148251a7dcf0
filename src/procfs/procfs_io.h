/* Bounded readers for /proc files, shared by the procfs readers. */
#ifndef PDIG_PROCFS_IO_H
#define PDIG_PROCFS_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* "/proc/<id>/<what>" into buf; 0 ok, -1 if id is invalid or it does not fit. */
int pf_path(char *buf, size_t cap, int64_t id, const char *what);

/* Reads at most cap bytes of path into buf (no terminator added).
 * Returns the byte count or -1 if it cannot be opened/read. */
ssize_t pf_read(const char *path, char *buf, size_t cap);

/* The whole of an open /proc file again, from offset 0, at most cap bytes:
 * a kept fd re-reads the current state. -1 once its thread is gone. For
 * files produced in one piece (stat, status): a short read ends it. */
ssize_t pf_pread(int fd, char *buf, size_t cap);

/* readlink into buf, truncated to cap-1 and always NUL-terminated.
 * Returns the length or -1. */
ssize_t pf_readlink(const char *path, char *buf, size_t cap);

/* Calls fn for each line of path (newline stripped, NUL-terminated). Lines
 * longer than the internal buffer are cut and their rest skipped. fn returns
 * nonzero to stop. Returns -1 if path cannot be opened, else fn's last result. */
int pf_lines(const char *path, int (*fn)(char *line, void *arg), void *arg);

#endif
