/* The device of a tracee's open file as the driver reports it: its
 * superblock's, which /proc/PID/mountinfo lists for the file's mount.
 * fstat's st_dev is the same on most filesystems but not on btrfs (a
 * subvolume's own device) or an overlay whose layers sit on different
 * filesystems (a device per layer). statx gives the file's mount id and
 * its st_dev at the cost of the fstat it replaces; the mount's device is
 * read from mountinfo once per mount id and again after a second (a mount
 * id freed by an unmount may be given to a new mount). */
#include "procfs/procfs.h"
#include "procfs_internal.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs_io.h"

#ifndef SYS_statx
#define SYS_statx 332
#endif

#define MOUNT_SLOTS 64
#define MOUNT_TTL_NS 1000000000ull

/* Keyed by the mount id and the st_dev statx gave with it: an id freed by
 * an unmount goes to the next mount at once, and st_dev tells them apart
 * unless both mounts show the same filesystem (then the device is the
 * same too). Mounts mountinfo does not list (pipefs, nsfs, another mount
 * namespace's) are kept as such, so a pipe does not read the file.
 * File-level, unlike the caches of struct procfs: mount ids are the
 * kernel's, one numbering for the whole host, so what one tracer learnt
 * holds for every other. A second tracer thread needs a lock around
 * procfs_mount_dev (the cache and read_mount_dev's buffer), or a copy of
 * both per thread. */
static struct {
	uint64_t mnt_id, at, used;
	uint32_t st_major, st_minor;
	bool listed, no_flush;
	uint32_t major, minor;
} mounts[MOUNT_SLOTS];
static uint64_t mounts_clock;

int procfs_statx(int dirfd, const char *path, int flags, struct pdig_statx *out)
{
	memset(out, 0, sizeof *out);
	return (int)syscall(SYS_statx, dirfd, path, flags,
	                    PDIG_STATX_TYPE | PDIG_STATX_MODE | PDIG_STATX_INO | PDIG_STATX_MNT_ID, out);
}

/* Hands each line of pid's mountinfo (without its newline, not
 * terminated) to fn until fn returns 0; that 0, or -1 when no line did. */
int procfs_scan_mountinfo(int64_t pid, int (*fn)(const char *line, size_t len, void *arg), void *arg)
{
	char path[64];
	if (pf_path(path, sizeof path, pid, "mountinfo"))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* lines one chunk at a time: a container host may list thousands;
	 * static like the caches its callers fill (see above) */
	static char buf[65536];
	size_t have = 0;
	int found = -1;
	bool eof = false;
	while (found && !eof) {
		ssize_t n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		eof = n <= 0;
		if (n > 0)
			have += (size_t)n;
		/* whole lines, or at the end whatever is left; a line longer
		 * than the buffer is taken as it is */
		char *last = memrchr(buf, '\n', have);
		size_t whole = last ? (size_t)(last - buf) + 1 : (eof || have == sizeof buf - 1 ? have : 0);
		for (size_t at = 0; at < whole && found;) {
			const char *nl = memchr(buf + at, '\n', whole - at);
			size_t len = nl ? (size_t)(nl - (buf + at)) : whole - at;
			found = fn(buf + at, len, arg) == 0 ? 0 : -1;
			at += len + 1;
		}
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	close(fd);
	return found;
}

struct dev_query {
	uint64_t id;
	uint32_t major, minor;
	bool no_flush;
};

bool procfs_fs_without_flush(const char *type, size_t len)
{
	static const char *const types[] = { "ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs" };
	for (size_t i = 0; i < sizeof types / sizeof *types; i++)
		if (strlen(types[i]) == len && !memcmp(types[i], type, len))
			return true;
	return false;
}

/* The filesystem type of a mountinfo line: the field after " - ". */
static bool line_without_flush(const char *line, size_t len)
{
	const char *eol = line + len;
	for (const char *p = line; p + 3 <= eol; p++) {
		if (memcmp(p, " - ", 3))
			continue;
		const char *t = p + 3, *e = t;
		while (e < eol && *e != ' ')
			e++;
		return procfs_fs_without_flush(t, (size_t)(e - t));
	}
	return false;
}

/* "ID PARENT MAJOR:MINOR ..."; 0 and the device when the id is q's. */
static int mount_dev_line(const char *line, size_t len, void *arg)
{
	struct dev_query *q = arg;
	const char *eol = line + len;
	uint64_t v[4] = { 0 };
	int field = 0;
	bool digits = false;
	for (const char *at = line; at < eol && field < 4; at++) {
		char ch = *at;
		if (ch >= '0' && ch <= '9') {
			if (v[field] > (UINT64_MAX - 9) / 10)
				break;
			v[field] = v[field] * 10 + (uint64_t)(ch - '0');
			digits = true;
		} else if (digits && ((field < 2 && ch == ' ') || (field == 2 && ch == ':') || (field == 3 && ch == ' '))) {
			field++;
			digits = false;
		} else {
			break;
		}
	}
	if (field == 4 && v[0] == q->id && v[2] <= UINT32_MAX && v[3] <= UINT32_MAX) {
		q->major = (uint32_t)v[2];
		q->minor = (uint32_t)v[3];
		q->no_flush = line_without_flush(line, len);
		return 0;
	}
	return -1;
}

static int read_mount_dev(int64_t pid, uint64_t id, uint32_t *major, uint32_t *minor, bool *no_flush)
{
	struct dev_query q = { .id = id };
	if (procfs_scan_mountinfo(pid, mount_dev_line, &q))
		return -1;
	*major = q.major;
	*minor = q.minor;
	*no_flush = q.no_flush;
	return 0;
}

int procfs_mount_dev(int64_t pid, uint64_t mnt_id, uint32_t *major, uint32_t *minor, bool *no_flush)
{
	bool ignored;
	if (!no_flush)
		no_flush = &ignored;
	*no_flush = false;
	uint64_t now = procfs_mono_ns();
	uint32_t st_major = *major, st_minor = *minor;
	int victim = 0;
	for (int i = 0; i < MOUNT_SLOTS; i++) {
		if (mounts[i].used && mounts[i].mnt_id == mnt_id && mounts[i].st_major == st_major &&
		    mounts[i].st_minor == st_minor && now - mounts[i].at < MOUNT_TTL_NS) {
			mounts[i].used = ++mounts_clock;
			if (!mounts[i].listed)
				return -1;
			*major = mounts[i].major;
			*minor = mounts[i].minor;
			*no_flush = mounts[i].no_flush;
			return 0;
		}
		if (mounts[i].used < mounts[victim].used)
			victim = i;
	}
	if (!mnt_id)
		return -1;
	uint32_t maj = 0, min = 0;
	bool clean = false;
	bool listed = read_mount_dev(pid, mnt_id, &maj, &min, &clean) == 0;
	mounts[victim].mnt_id = mnt_id;
	mounts[victim].st_major = st_major;
	mounts[victim].st_minor = st_minor;
	mounts[victim].at = now;
	mounts[victim].used = ++mounts_clock;
	mounts[victim].listed = listed;
	mounts[victim].major = maj;
	mounts[victim].minor = min;
	mounts[victim].no_flush = clean;
	if (!listed)
		return -1;
	*major = maj;
	*minor = min;
	*no_flush = clean;
	return 0;
}
