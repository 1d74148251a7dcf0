/* OFD byte locks on the ring file: the consumer's presence (byte 0) and
 * each producer's slot. OFD locks belong to the open file, are dropped by
 * the kernel when the holder dies, and are seen across PID namespaces
 * (a sidecar sharing only the volume), unlike a PID. */
#ifndef PDIG_RING_LOCK_H
#define PDIG_RING_LOCK_H

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>

static inline struct flock ring_byte(off_t at)
{
	struct flock fl;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = at;
	fl.l_len = 1;
	return fl;
}

static inline bool ring_byte_lock(int fd, off_t at)
{
	struct flock fl = ring_byte(at);
	return fcntl(fd, F_OFD_SETLK, &fl) == 0;
}

/* Does anyone else hold a lock on byte `at`? (Our own open file's locks
 * never conflict, so they are not reported.) */
static inline bool ring_byte_held(int fd, off_t at)
{
	struct flock fl = ring_byte(at);
	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return true; /* cannot tell: assume alive, the safe side */
	return fl.l_type != F_UNLCK;
}

#endif
