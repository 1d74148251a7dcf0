/* The producer side of the pdig ring (docs/plugin.md): attach to the file a
 * consumer made, and append records under a lock shared by all producers.
 * Like the udig sink it never makes the tracee wait long: no room drops
 * the record, a lock held too long is given up on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ring/fault_guard.h"
#include "ring/ring.h"
#include "ring_lock.h"

static int fail(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s: %s", path, what);
	return -1;
}

/* The header as a producer must find it. Any of it may be garbage. */
static int check_header(const struct ring_hdr *h, off_t file_size, const char *path,
			char *err, size_t errlen)
{
	char what[160];
	if (memcmp(h->magic, RING_MAGIC, 8) != 0)
		return fail(err, errlen, path, "not a pdig ring (bad magic)");
	uint32_t format = __atomic_load_n(&h->format, __ATOMIC_RELAXED);
	if (format != RING_FORMAT) {
		snprintf(what, sizeof what, "ring format %u, this pdig speaks %u", format, RING_FORMAT);
		return fail(err, errlen, path, what);
	}
	uint32_t size = __atomic_load_n(&h->data_size, __ATOMIC_RELAXED);
	if (__atomic_load_n(&h->hdr_size, __ATOMIC_RELAXED) != RING_HDR_SIZE ||
	    size < RING_DATA_MIN || size > RING_DATA_MAX || size % 4096 ||
	    file_size != (off_t)RING_HDR_SIZE + size)
		return fail(err, errlen, path, "ring header and file size disagree");
	return 0;
}

static bool claim_slot(struct ring_producer *p)
{
	for (uint32_t i = 0; i < RING_SLOTS; i++)
		if (ring_byte_lock(p->fd, RING_SLOT_BASE + i)) {
			p->slot = i;
			return true;
		}
	return false;
}

/* --- the producers' lock: owner = slot + 1 ------------------------------ */

static bool owner_alive(void *ctx, uint64_t owner)
{
	const struct ring_producer *p = ctx;
	if (owner == 0 || owner > RING_SLOTS)
		return false; /* garbage: nobody can hold it */
	return ring_byte_held(p->fd, RING_SLOT_BASE + (off_t)(owner - 1));
}

static int map_data(struct ring_producer *p, const char *path, char *err, size_t errlen)
{
	/* Reserve twice the size, then map the data area into both halves:
	 * a record that runs past the end is one memcpy. */
	uint8_t *base = mmap(NULL, 2 * (size_t)p->size, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return fail(err, errlen, path, strerror(errno));
	p->data = base;
	for (int i = 0; i < 2; i++)
		if (mmap(base + (size_t)i * p->size, p->size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, p->fd, RING_HDR_SIZE) == MAP_FAILED)
			return fail(err, errlen, path, strerror(errno));
	return 0;
}

int ring_producer_attach(struct ring_producer *p, const char *path, char *err, size_t errlen)
{
	memset(p, 0, sizeof *p);
	p->fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (p->fd < 0) {
		int e = errno;
		fail(err, errlen, path, strerror(e));
		errno = e;
		return -1;
	}
	struct stat st;
	if (fstat(p->fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)RING_HDR_SIZE) {
		fail(err, errlen, path, "not a pdig ring (no header)");
		goto bad;
	}
	p->dev = st.st_dev;
	p->ino = st.st_ino;
	p->h = mmap(NULL, RING_HDR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, p->fd, 0);
	if (p->h == MAP_FAILED) {
		p->h = NULL;
		fail(err, errlen, path, strerror(errno));
		goto bad;
	}
	fault_guard_install();
	volatile int bad_header = 1;
	FAULT_GUARD {
		bad_header = check_header(p->h, st.st_size, path, err, errlen);
		p->size = p->h->data_size; /* checked; from now on our copy is used */
	} ON_FAULT {
		fail(err, errlen, path, "the file shrank while pdig read its header");
	}
	FAULT_GUARD_END;
	if (bad_header)
		goto bad;
	if (!claim_slot(p)) {
		fail(err, errlen, path, "no free producer slot");
		goto bad;
	}
	if (map_data(p, path, err, errlen) < 0)
		goto bad;
	p->lock = (struct owner_lock){ &p->h->lock, p->slot + 1, owner_alive, p, 0 };
	return 0;
bad:
	ring_producer_detach(p);
	errno = EINVAL;
	return -1;
}

void ring_producer_detach(struct ring_producer *p)
{
	if (p->data)
		munmap(p->data, 2 * (size_t)p->size);
	if (p->h)
		munmap(p->h, RING_HDR_SIZE);
	if (p->fd >= 0)
		close(p->fd); /* drops the slot lock */
	memset(p, 0, sizeof *p);
	p->fd = -1;
}

bool ring_producer_consumer_live(struct ring_producer *p)
{
	volatile bool open = false;
	FAULT_GUARD {
		open = __atomic_load_n(&p->h->state, __ATOMIC_ACQUIRE) == RING_STATE_OPEN;
	} ON_FAULT {
		p->faulted = true;
	}
	FAULT_GUARD_END;
	return open && ring_byte_held(p->fd, 0);
}

/* A u32 of the header, 0 if the file shrank. */
static uint32_t read_u32(struct ring_producer *p, const uint32_t *field)
{
	volatile uint32_t v = 0;
	FAULT_GUARD {
		v = __atomic_load_n(field, __ATOMIC_RELAXED);
	} ON_FAULT {
		p->faulted = true;
	}
	FAULT_GUARD_END;
	return v;
}

uint32_t ring_producer_schema(struct ring_producer *p)
{
	return read_u32(p, &p->h->schema);
}

uint32_t ring_producer_snaplen(struct ring_producer *p)
{
	uint32_t n = read_u32(p, &p->h->snaplen);
	return n > 65536 ? 65536 : n;
}

/* put, with the mapping known to be there; a SIGBUS may stop it anywhere. */
static enum ring_put put(struct ring_producer *p, const void *rec, uint32_t len)
{
	struct ring_hdr *h = p->h;
	uint64_t need = (uint64_t)RING_REC_HDR + len;
	if (!owner_lock_take(&p->lock)) {
		/* Counted without the lock: a peer may count at the same time. */
		__atomic_fetch_add(&h->n_evts, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&h->n_drops, 1, __ATOMIC_RELAXED);
		return RING_PUT_LOCKED;
	}
	/* Checked under the lock: the consumer closing the ring waits for the
	 * lock to be free once after marking it closed, then counts what is
	 * left unread. A record written after that count would be lost with
	 * nobody counting it (measured: ~200 ms of events when Falco was
	 * restarted, before pdig's next liveness check). */
	if (__atomic_load_n(&h->state, __ATOMIC_ACQUIRE) != RING_STATE_OPEN) {
		owner_lock_release(&p->lock);
		return RING_PUT_CLOSED;
	}
	uint64_t head = __atomic_load_n(&h->head, __ATOMIC_RELAXED);
	uint64_t tail = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
	__atomic_fetch_add(&h->n_evts, 1, __ATOMIC_RELAXED);
	/* head - tail beyond the size is garbage (someone wrote the header):
	 * no room until the consumer's tail makes sense again. */
	uint64_t used = head - tail;
	if (used > p->size || need > p->size - used) {
		__atomic_fetch_add(&h->n_drops, 1, __ATOMIC_RELAXED);
		owner_lock_release(&p->lock);
		return RING_PUT_FULL;
	}
	uint8_t *at = p->data + head % p->size;
	memcpy(at, &len, RING_REC_HDR);
	memcpy(at + RING_REC_HDR, rec, len);
	/* The record is complete before head says so. */
	__atomic_store_n(&h->head, head + need, __ATOMIC_RELEASE);
	owner_lock_release(&p->lock);
	return RING_PUT_OK;
}

enum ring_put ring_producer_put(struct ring_producer *p, const void *rec, uint32_t len)
{
	uint64_t need = (uint64_t)RING_REC_HDR + len;
	if (len == 0 || len > RING_REC_MAX || need > p->size / 2)
		return RING_PUT_TOO_BIG;
	if (p->faulted)
		return RING_PUT_FAULT;
	/* volatile: set between the sigsetjmp and a possible siglongjmp */
	volatile enum ring_put r = RING_PUT_FAULT;
	FAULT_GUARD {
		r = put(p, rec, len);
	} ON_FAULT {
		p->faulted = true;
	}
	FAULT_GUARD_END;
	return r;
}

void ring_producer_add_missed(struct ring_producer *p, uint64_t n)
{
	if (p->faulted || !n)
		return;
	FAULT_GUARD {
		__atomic_fetch_add(&p->h->n_missed, n, __ATOMIC_RELAXED);
	} ON_FAULT {
		p->faulted = true;
	}
	FAULT_GUARD_END;
}

void ring_producer_add_shed(struct ring_producer *p, uint64_t n)
{
	if (p->faulted || !n)
		return;
	FAULT_GUARD {
		__atomic_fetch_add(&p->h->n_evts, n, __ATOMIC_RELAXED);
		__atomic_fetch_add(&p->h->n_drops, n, __ATOMIC_RELAXED);
		__atomic_fetch_add(&p->h->n_shed, n, __ATOMIC_RELAXED);
	} ON_FAULT {
		p->faulted = true;
	}
	FAULT_GUARD_END;
}
