/* The consumer side of the pdig ring (docs/plugin.md). It runs inside the
 * host (Falco), so it never maps the file: everything is read and written
 * with pread/pwrite, and a file truncated or scribbled on by someone else
 * costs events, never a SIGBUS or a wild read in the host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring/ring.h"
#include "ring_lock.h"

#define FIELD(f) __builtin_offsetof(struct ring_hdr, f)

static bool pread_all(int fd, void *buf, size_t n, off_t at)
{
	return pread(fd, buf, n, at) == (ssize_t)n;
}

static bool pwrite_all(int fd, const void *buf, size_t n, off_t at)
{
	return pwrite(fd, buf, n, at) == (ssize_t)n;
}

/* A live consumer holds byte 0 of an existing ring file: refuse to take
 * its place (two Falcos would silently split the events). A file nobody
 * holds is stale (its consumer died) and is replaced. */
static int check_existing(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return 0;
	struct ring_hdr h;
	bool held = ring_byte_held(fd, 0);
	int32_t pid = 0;
	if (held && pread_all(fd, &h, sizeof h, 0) && !memcmp(h.magic, RING_MAGIC, 8))
		pid = h.consumer_pid;
	close(fd);
	if (!held)
		return 0;
	snprintf(err, errlen, "%s is in use by another consumer (pid %d in its namespace); "
		 "give this one another ring directory", path, (int)pid);
	return -1;
}

/* Builds the ring under a temporary name and renames it into place, so a
 * producer never sees a half-made header. */
static int create(struct ring_consumer *c, char *err, size_t errlen)
{
	char tmp[sizeof c->path + 16];
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", c->path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		char *slash = strrchr(c->path, '/');
		snprintf(err, errlen, "cannot create the ring in %.*s: %s",
			 slash ? (int)(slash - c->path) : 0, c->path, strerror(errno));
		return -1;
	}
	struct ring_hdr h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, RING_MAGIC, 8);
	h.format = RING_FORMAT;
	h.hdr_size = RING_HDR_SIZE;
	h.data_size = c->size;
	h.schema = c->schema;
	h.snaplen = c->snaplen;
	h.consumer_pid = (int32_t)getpid();
	h.state = RING_STATE_OPEN;
	struct stat st;
	/* 0666: pdig may run as another user than the host (as with udig);
	 * the umask must not narrow it. docs/plugin.md says why not 0600. */
	if (fchmod(fd, 0666) < 0 || ftruncate(fd, (off_t)RING_HDR_SIZE + c->size) < 0 ||
	    !ring_byte_lock(fd, 0) || !pwrite_all(fd, &h, sizeof h, 0) || fstat(fd, &st) < 0 ||
	    rename(tmp, c->path) < 0) {
		snprintf(err, errlen, "cannot create %s: %s", c->path, strerror(errno));
		unlink(tmp);
		close(fd);
		return -1;
	}
	c->fd = fd;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	c->tail = 0;
	return 0;
}

int ring_consumer_open(struct ring_consumer *c, const char *dir, uint32_t data_size,
		       uint32_t schema, uint32_t snaplen, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	c->fd = -1;
	if (!data_size)
		data_size = RING_DATA_DEFAULT;
	if (data_size < RING_DATA_MIN || data_size > RING_DATA_MAX || data_size % 4096) {
		snprintf(err, errlen, "ring size %u: expected a multiple of 4096 between %u and %u",
			 data_size, RING_DATA_MIN, RING_DATA_MAX);
		return -1;
	}
	if (ring_path(dir, c->path, sizeof c->path) < 0) {
		snprintf(err, errlen, "ring directory name too long");
		return -1;
	}
	if (check_existing(c->path, err, errlen) < 0)
		return -1;
	c->size = data_size;
	c->schema = schema;
	c->snaplen = snaplen;
	return create(c, err, errlen);
}

bool ring_consumer_intact(const struct ring_consumer *c)
{
	struct stat st;
	return c->fd >= 0 && stat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino;
}

static uint64_t close_ring(struct ring_consumer *c);

int ring_consumer_recreate(struct ring_consumer *c, char *err, size_t errlen)
{
	if (c->fd >= 0) {
		/* producers still attached to the old file let go of it; what
		 * they wrote there and we did not read is lost: counted */
		c->lost_unread += close_ring(c);
		close(c->fd);
		c->fd = -1;
	}
	return create(c, err, errlen);
}

static bool read_data(struct ring_consumer *c, uint8_t *dst, uint64_t pos, size_t n);

/* Records published in [tail, head), walking their lengths; stops at
 * broken framing (what follows cannot be counted). */
static uint64_t count_unread(struct ring_consumer *c)
{
	uint64_t head, pos = c->tail, n = 0;
	if (!pread_all(c->fd, &head, sizeof head, FIELD(head)) || head - pos > c->size)
		return 0;
	while (head - pos >= RING_REC_HDR) {
		uint32_t len;
		if (!read_data(c, (uint8_t *)&len, pos, sizeof len) || len == 0 || len > RING_REC_MAX ||
		    RING_REC_HDR + (uint64_t)len > head - pos)
			break;
		pos += RING_REC_HDR + (uint64_t)len;
		n++;
	}
	return n;
}

/* After the ring is marked closed: wait until the producers' lock is seen
 * free once (a producer checks the state under it, so none writes after
 * that). A producer may hold it long: pdig runs as SCHED_IDLE and a
 * loaded machine preempts it mid-record. So wait while the owner's slot
 * is held (the producer is alive), as producers wait for each other
 * (owner_lock.h), up to WAIT_OUT_MS; a dead owner or a lock word that
 * names no slot (scribbled) ends the wait at once. */
#define WAIT_OUT_MS 2000
static void wait_producers_out(struct ring_consumer *c)
{
	for (int i = 0; i < WAIT_OUT_MS; i++) {
		uint64_t lock;
		if (!pread_all(c->fd, &lock, sizeof lock, FIELD(lock)) || lock == 0 || lock > RING_SLOTS ||
		    !ring_byte_held(c->fd, RING_SLOT_BASE + (off_t)(lock - 1)))
			return;
		usleep(1000);
	}
}

/* Marks our ring closed, lets producers finish their record, and counts
 * what nobody will read. */
static uint64_t close_ring(struct ring_consumer *c)
{
	uint32_t closed = RING_STATE_CLOSED;
	pwrite_all(c->fd, &closed, sizeof closed, FIELD(state));
	wait_producers_out(c);
	return count_unread(c);
}

uint64_t ring_consumer_close(struct ring_consumer *c)
{
	if (c->fd < 0)
		return 0;
	uint64_t unread = close_ring(c);
	/* Remove the name only if it is still our file (a newer consumer may
	 * have replaced a ring it took for stale). */
	struct stat st;
	if (stat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino)
		unlink(c->path);
	close(c->fd);
	c->fd = -1;
	return unread;
}

/* Reads [pos, pos + n) of the data ring, in two pieces when it wraps. */
static bool read_data(struct ring_consumer *c, uint8_t *dst, uint64_t pos, size_t n)
{
	uint64_t off = pos % c->size;
	size_t first = n < c->size - off ? n : (size_t)(c->size - off);
	if (!pread_all(c->fd, dst, first, (off_t)(RING_HDR_SIZE + off)))
		return false;
	return first == n || pread_all(c->fd, dst + first, n - first, RING_HDR_SIZE);
}

static void publish_tail(struct ring_consumer *c)
{
	pwrite_all(c->fd, &c->tail, sizeof c->tail, FIELD(tail));
}

/* Give up on what is in the ring now: something wrote garbage into it. */
static void skip_all(struct ring_consumer *c, uint64_t head)
{
	c->corrupt++;
	c->tail = head;
	publish_tail(c);
}

size_t ring_consumer_read(struct ring_consumer *c, uint8_t *buf, size_t cap)
{
	uint64_t head;
	if (c->fd < 0 || !pread_all(c->fd, &head, sizeof head, FIELD(head)))
		return 0;
	/* pread copies in the kernel after the load above: the records up to
	 * head are complete (producers publish head last, with release). */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	uint64_t avail = head - c->tail;
	if (avail == 0) {
		/* Republished even when nothing moved: a tail scribbled by
		 * someone else would make producers drop every record, and
		 * only our copy can heal it. One pwrite per poll. */
		publish_tail(c);
		return 0;
	}
	if (avail > c->size) {
		skip_all(c, head);
		return 0;
	}
	size_t want = avail < cap ? (size_t)avail : cap;
	if (!read_data(c, buf, c->tail, want)) {
		skip_all(c, head);
		return 0;
	}
	/* Keep whole records only; check the framing of each. */
	size_t used = 0;
	while (used + RING_REC_HDR <= want) {
		uint32_t len;
		memcpy(&len, buf + used, RING_REC_HDR);
		uint64_t rec = (uint64_t)RING_REC_HDR + len;
		if (len == 0 || len > RING_REC_MAX || rec > avail - used) {
			skip_all(c, head);
			return 0;
		}
		if (rec > want - used)
			break; /* complete in the ring, but not in buf: next time */
		used += (size_t)rec;
	}
	if (used == 0 && want < avail && want == cap) {
		/* one record larger than the caller's buffer: cannot happen with a
		 * buffer of RING_REC_MAX + RING_REC_HDR; treat it as garbage */
		skip_all(c, head);
		return 0;
	}
	c->tail += used;
	publish_tail(c);
	return used;
}

void ring_consumer_counters(const struct ring_consumer *c, uint64_t *n_evts, uint64_t *n_drops)
{
	uint64_t v[4] = {0, 0, 0, 0};
	if (c->fd >= 0)
		pread_all(c->fd, v, sizeof v, FIELD(head));
	*n_evts = v[2];
	*n_drops = v[3];
}

uint64_t ring_consumer_shed(const struct ring_consumer *c)
{
	uint64_t v = 0;
	if (c->fd >= 0)
		pread_all(c->fd, &v, sizeof v, FIELD(n_shed));
	return v;
}

uint64_t ring_consumer_missed(const struct ring_consumer *c)
{
	uint64_t v = 0;
	if (c->fd >= 0)
		pread_all(c->fd, &v, sizeof v, FIELD(n_missed));
	return v;
}
