/* The udig sink: writes events into the shared-memory ring that `sysdig -u`
 * reads. Protocol: docs/udig-ring.md. Never blocks the tracee for
 * long: a full ring drops the event, a stuck lock is given up on. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "abi/time_ns.h"
#include "ring/fault_guard.h"
#include "ring/owner_lock.h"
#include "sinks/sink.h"
#include "sinks/udig.h"
#include "schema/event_layout.h"
#include "schema/schema.h"

#define RING UDIG_RING_SIZE
#define MS 1000000ull
/* How often a consumer PID is probed for liveness (kill is a syscall). */
#define LIVENESS_NS (100 * MS)

struct udig_sink {
	struct sink base;
	int ring_fd, descs_fd;
	uint8_t *ring;          /* 2 x RING, both halves alias the object */
	struct udig_descs *d;
	struct owner_lock lock; /* buffer_lock; owner value: our PID at open time */
	int32_t dead_pid;       /* consumer PID last found dead */
	uint64_t next_check;    /* when to probe the consumer PID again */
	uint64_t fcntl_drop_tid; /* dropping mode: see udig_sample_out() */
	/* The objects shrank under us (SIGBUS; they are 0666, anyone may
	 * truncate them): never touched again, every event discarded. */
	bool faulted;
};

static bool warned; /* the no-consumer message is printed once per run */

static const char *hint; /* replaces the no-consumer message */

void udig_sink_quiet(void) { warned = true; }
void udig_sink_hint(const char *msg) { hint = msg; }

static uint64_t now_ns(clockid_t c)
{
	return clock_ns(c);
}

static bool pid_alive(uint64_t pid)
{
	if (pid == 0 || pid > 0x7fffffff)
		return false;
	/* EPERM means it exists but is not ours. */
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

static bool consumer_live(struct udig_sink *u)
{
	int32_t pid = __atomic_load_n(&u->d->capturing_pid, __ATOMIC_ACQUIRE);
	if (pid == 0 || __atomic_load_n(&u->d->stopped, __ATOMIC_RELAXED))
		return false;
	/* A crashed consumer leaves its PID behind; writing on would only fill
	 * the ring. Probe rarely: the hot path must stay cheap. */
	uint64_t now = now_ns(CLOCK_MONOTONIC_COARSE);
	if (now >= u->next_check) {
		u->next_check = now + LIVENESS_NS;
		u->dead_pid = pid_alive((uint64_t)pid) ? 0 : pid;
	}
	return pid != u->dead_pid;
}

static void warn_discarding(void)
{
	if (!warned) {
		warned = true;
		if (hint)
			fprintf(stderr, "pdig: %s\n", hint);
		else
			fprintf(stderr, "pdig: no udig consumer attached (start `sysdig -u`); "
				"events are being discarded\n");
	}
}

/* Counted where the event is let go: once per event. */
static void discard(struct udig_sink *u)
{
	u->base.stats.discarded++;
	warn_discarding();
}

/* m_buffer_lock is an owner lock (ring/owner_lock.h) holding the owner's PID. */
static bool pid_owner_alive(void *ctx, uint64_t owner)
{
	(void)ctx;
	return pid_alive(owner);
}

/* --- ring arithmetic (all under the lock) -------------------------------- */

static uint32_t ring_free(uint32_t head, uint32_t tail)
{
	if (head >= RING || tail >= RING)
		return 0; /* garbage offsets: write nothing until a consumer resets them */
	return tail > head ? tail - head - 1 : RING + tail - head - 1;
}

static void bump(uint64_t *ctr)
{
	__atomic_store_n(ctr, __atomic_load_n(ctr, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED);
}

/* One memcpy: the second mapping takes whatever runs past the end. */
static void put(struct udig_sink *u, uint32_t *head, const void *ev, size_t len)
{
	memcpy(u->ring + *head, ev, len);
	*head += (uint32_t)len;
	if (*head >= RING)
		*head -= RING;
}

/* A DROP_E/X marker: its one param is the sampling ratio (u32). */
#define DROP_LEN (EVT_HDR_LEN + 2 + 4)

/* A DROP_E/X marker stamped like the event it precedes. */
static bool put_drop(struct udig_sink *u, uint16_t type, const uint8_t *next,
		     uint32_t *head, uint32_t tail)
{
	uint8_t b[DROP_LEN];
	uint16_t vlen = 4;
	uint32_t ratio = __atomic_load_n(&u->d->consumer.sampling_ratio, __ATOMIC_RELAXED);
	evt_put_header(b, evt_ts(next), evt_tid(next), type, 1);
	memcpy(b + EVT_HDR_LEN, &vlen, 2);
	memcpy(b + EVT_HDR_LEN + 2, &ratio, 4);
	evt_set_len(b, DROP_LEN);
	if (DROP_LEN > ring_free(*head, tail))
		return false;
	put(u, head, b, DROP_LEN);
	bump(&u->d->n_evts);
	return true;
}

/* Markers owed to the consumer (a change of dropping state). */
static bool put_pending(struct udig_sink *u, const uint8_t *next, uint32_t *head, uint32_t tail)
{
	struct udig_consumer *c = &u->d->consumer;
	if (c->need_to_insert_drop_e) {
		if (!put_drop(u, EV_DROP_E, next, head, tail))
			return false;
		c->need_to_insert_drop_e = 0;
	}
	if (c->need_to_insert_drop_x) {
		if (!put_drop(u, EV_DROP_X, next, head, tail))
			return false;
		c->need_to_insert_drop_x = 0;
	}
	return true;
}

static uint32_t pending_len(struct udig_sink *u)
{
	return (u->d->consumer.need_to_insert_drop_e ? DROP_LEN : 0) +
	       (u->d->consumer.need_to_insert_drop_x ? DROP_LEN : 0);
}

/* An event given up on because the lock stayed held (a stuck peer, or a
 * tracee that wrote a live PID into it): the consumer must see the loss,
 * as for a full ring, in n_drops_buffer. Counted without the lock,
 * atomically (a peer may count at the same time). */
static void lost_to_lock(struct udig_sink *u)
{
	struct udig_descs *d = u->d;
	__atomic_fetch_add(&d->n_evts, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&d->n_drops_buffer, 1, __ATOMIC_RELAXED);
	u->base.stats.dropped++;
}

/* Someone truncated the shared objects under us: say so once, and let go
 * of them (the pages are gone; a new consumer makes new objects, which a
 * later pdig run will use). */
static void lost_to_fault(struct udig_sink *u)
{
	u->faulted = true;
	warned = true; /* "no consumer" would be misleading now */
	fprintf(stderr, "pdig: the udig ring (/dev/shm%s, /dev/shm%s) was truncated under pdig: "
		"udig output stopped\n", UDIG_DESCS_NAME, UDIG_RING_NAME);
}

/* --- sink ops ------------------------------------------------------------- */

static bool udig_wants(struct sink *s)
{
	struct udig_sink *u = (struct udig_sink *)s;
	volatile bool live = false;
	if (!u->faulted) {
		FAULT_GUARD {
			live = consumer_live(u);
		} ON_FAULT {
			lost_to_fault(u);
		}
		FAULT_GUARD_END;
	}
	if (live)
		return true;
	/* Counts nothing: it may be asked several times for one event. An
	 * event not made is counted by sinks_skipped(), one offered anyway
	 * (another sink wanted it) by write(). */
	warn_discarding();
	return false;
}

static uint32_t udig_snaplen(struct sink *s)
{
	struct udig_sink *u = (struct udig_sink *)s;
	volatile uint32_t n = 0;
	if (!u->faulted) {
		FAULT_GUARD {
			n = __atomic_load_n(&u->d->consumer.snaplen, __ATOMIC_RELAXED);
		} ON_FAULT {
			lost_to_fault(u);
		}
		FAULT_GUARD_END;
	}
	return n ? n : PDIG_SNAPLEN_DEFAULT;
}

/* udig_write with the objects known to be there; a SIGBUS may stop it
 * anywhere. */
static void write_ring(struct udig_sink *u, const uint8_t *ev, size_t len)
{
	struct sink *s = &u->base;
	struct udig_descs *d = u->d;
	if (!consumer_live(u)) {
		discard(u);
		return;
	}
	if (len < EVT_HDR_LEN || len >= RING || evt_len(ev) != len) {
		s->stats.dropped++;
		return;
	}
	if (!owner_lock_take(&u->lock)) {
		lost_to_lock(u);
		return;
	}
	int32_t pid = __atomic_load_n(&d->capturing_pid, __ATOMIC_ACQUIRE);
	if (pid == 0 || __atomic_load_n(&d->stopped, __ATOMIC_RELAXED)) {
		owner_lock_release(&u->lock);
		discard(u);
		return;
	}
	uint32_t head = __atomic_load_n(&d->head, __ATOMIC_RELAXED);
	uint32_t tail = __atomic_load_n(&d->tail, __ATOMIC_ACQUIRE);
	uint16_t type = evt_type(ev);

	if (d->consumer.dropping_mode && type != EV_DROP_E && type != EV_DROP_X) {
		put_pending(u, ev, &head, tail);
		if (udig_sample_out(&d->consumer, &u->fcntl_drop_tid, ev, len)) {
			/* Mark the start of a dropping period right away. */
			put_pending(u, ev, &head, tail);
			s->stats.discarded++;
			goto publish;
		}
	}

	bump(&d->n_evts);
	/* Owed markers (a change of dropping mode) and the event go in
	 * together. A full ring is counted in n_drops_buffer only, as the
	 * driver does: DROP_E/X mean "sampling started/stopped" to a
	 * consumer, and one after every overflow would tell it so falsely. */
	if ((uint64_t)len + pending_len(u) > ring_free(head, tail)) {
		bump(&d->n_drops_buffer);
		s->stats.dropped++;
	} else {
		put_pending(u, ev, &head, tail);
		put(u, &head, ev, len);
		s->stats.written++;
	}

publish:
	__sync_synchronize();
	/* A new consumer reset head/tail meanwhile: our bytes are stale. */
	if (__atomic_load_n(&d->capturing_pid, __ATOMIC_ACQUIRE) == pid)
		__atomic_store_n(&d->head, head, __ATOMIC_RELEASE);
	owner_lock_release(&u->lock);
}

static void udig_write(struct sink *s, const uint8_t *ev, size_t len)
{
	struct udig_sink *u = (struct udig_sink *)s;
	if (u->faulted) {
		discard(u);
		return;
	}
	FAULT_GUARD {
		write_ring(u, ev, len);
	} ON_FAULT {
		lost_to_fault(u);
		s->stats.dropped++;
	}
	FAULT_GUARD_END;
}

/* Events shed under --max-cpu: in n_drops_buffer, the one drop counter
 * a udig consumer reads (sysdig's "Driver Drops"), and in n_evts, which
 * counts what the driver tried to write. Atomic, without the lock, as
 * lost_to_lock. */
static void udig_shed(struct sink *s, uint64_t n)
{
	struct udig_sink *u = (struct udig_sink *)s;
	if (u->faulted)
		return;
	FAULT_GUARD {
		__atomic_fetch_add(&u->d->n_evts, n, __ATOMIC_RELAXED);
		__atomic_fetch_add(&u->d->n_drops_buffer, n, __ATOMIC_RELAXED);
	} ON_FAULT {
		lost_to_fault(u);
	}
	FAULT_GUARD_END;
}

static void udig_close(struct sink *s)
{
	struct udig_sink *u = (struct udig_sink *)s;
	if (u->ring)
		munmap(u->ring, 2 * (size_t)RING);
	if (u->d)
		munmap(u->d, UDIG_DESCS_SIZE);
	if (u->ring_fd >= 0)
		close(u->ring_fd);
	if (u->descs_fd >= 0)
		close(u->descs_fd);
	free(u);
}

struct udig_descs *udig_sink_descs(struct sink *s)
{
	return ((struct udig_sink *)s)->d;
}

/* --- open ----------------------------------------------------------------- */

/* Open-or-create as the consumer does, so either side may start first. */
static int open_shm(const char *name, off_t size, bool excl, char *err, size_t errlen)
{
	int fd = shm_open(name, O_RDWR, 0);
	if (fd < 0 && errno == ENOENT) {
		fd = shm_open(name, O_CREAT | O_RDWR | (excl ? O_EXCL : 0), 0666);
		if (fd < 0 && errno == EEXIST)
			fd = shm_open(name, O_RDWR, 0); /* lost the creation race */
		else if (fd >= 0)
			fchmod(fd, 0666); /* the umask must not narrow it */
	}
	if (fd < 0) {
		snprintf(err, errlen, "shm_open %s: %s", name, strerror(errno));
		return -1;
	}
	/* Tracees must not inherit the ring. */
	fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC);
	struct stat st;
	if (fstat(fd, &st) < 0) {
		snprintf(err, errlen, "fstat %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	/* Size 0 = just created (maybe by the consumer, racing us): the only
	 * valid size is ours too. Any other size breaks the protocol. */
	if (st.st_size == 0 && ftruncate(fd, size) < 0) {
		snprintf(err, errlen, "ftruncate %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_size != 0 && st.st_size != size) {
		snprintf(err, errlen, "/dev/shm%s has size %lld, expected %lld",
			 name, (long long)st.st_size, (long long)size);
		close(fd);
		return -1;
	}
	return fd;
}

static int map_all(struct udig_sink *u, char *err, size_t errlen)
{
	u->d = mmap(NULL, UDIG_DESCS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, u->descs_fd, 0);
	if (u->d == MAP_FAILED) {
		u->d = NULL;
		snprintf(err, errlen, "mmap udig_descs: %s", strerror(errno));
		return -1;
	}
	/* Reserve 2 x RING, then map the object into both halves. */
	uint8_t *base = mmap(NULL, 2 * (size_t)RING, PROT_NONE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		snprintf(err, errlen, "mmap reserve: %s", strerror(errno));
		return -1;
	}
	u->ring = base;
	for (int i = 0; i < 2; i++) {
		void *p = mmap(base + (size_t)i * RING, RING, PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_FIXED, u->ring_fd, 0);
		if (p == MAP_FAILED) {
			snprintf(err, errlen, "mmap udig_buf: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

struct sink *udig_sink_open(char *err, size_t errlen)
{
	struct udig_sink *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	u->ring_fd = u->descs_fd = -1;
	u->descs_fd = open_shm(UDIG_DESCS_NAME, UDIG_DESCS_SIZE, true, err, errlen);
	if (u->descs_fd >= 0)
		u->ring_fd = open_shm(UDIG_RING_NAME, RING, false, err, errlen);
	if (u->ring_fd < 0 || map_all(u, err, errlen) < 0) {
		udig_close(&u->base);
		return NULL;
	}
	fault_guard_install();
	/* First user of a fresh object initialises it, exactly like the consumer. */
	FAULT_GUARD {
		int zero = 0;
		if (__atomic_compare_exchange_n(&u->d->initialized, &zero, 1, false,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			u->d->buffer_lock = 0;
			u->d->capturing_pid = 0;
			u->d->stopped = 0;
			memset(u->d->last_print_time, 0, sizeof u->d->last_print_time);
		}
	} ON_FAULT {
		lost_to_fault(u);
	}
	FAULT_GUARD_END;
	udig_sample_init();
	/* Our PID, cached: the tracer never writes from a forked child. */
	u->lock = (struct owner_lock){ &u->d->buffer_lock, (uint64_t)getpid(), pid_owner_alive, NULL, 0 };
	u->base.name = "udig";
	u->base.discard_reason = "no consumer or sampled out";
	u->base.wants = udig_wants;
	u->base.snaplen = udig_snaplen;
	u->base.write = udig_write;
	u->base.shed = udig_shed;
	u->base.flush = NULL;
	u->base.close = udig_close;
	return &u->base;
}
