/* The pdig ring: a file in a directory (default /dev/shm/pdig-ring) that
 * one consumer (the pdig Falco plugin) creates and any number of pdig
 * producers attach to. The protocol is in docs/plugin.md; this header is
 * the only place that knows the file's layout, shared by the producer
 * side (the ring sink) and the consumer side (the plugin).
 *
 * Records are opaque bytes: a u32 length, then that many bytes (one scap
 * event each, in the schema the header asks for). No alignment, no
 * padding; the data area is a ring of data_size bytes addressed by
 * free-running u64 positions (offset = position % data_size). */
#ifndef PDIG_RING_H
#define PDIG_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ring/owner_lock.h"

#define RING_FILE_NAME "pdig-ring"
#define RING_DIR_DEFAULT "/dev/shm"
#define RING_DIR_ENV "PDIG_RING_DIR"
#define RING_MAGIC "PDIGRING"
#define RING_FORMAT 1
#define RING_HDR_SIZE 4096u
#define RING_DATA_DEFAULT (8u << 20)
#define RING_DATA_MIN (64u << 10)
#define RING_DATA_MAX (1u << 30)
/* A record's length prefix, and the largest record (a bigger one is
 * refused by producers and taken for corruption by the consumer). */
#define RING_REC_HDR 4u
#define RING_REC_MAX (1u << 20)
/* Producer slots: byte RING_SLOT_BASE + i of the file is producer i's
 * OFD lock (held for its life), so a lock owner's liveness can be probed
 * across PID namespaces. Byte 0 is the consumer's. */
#define RING_SLOT_BASE 2048u
#define RING_SLOTS 2048u

enum ring_state { RING_STATE_INIT = 0, RING_STATE_OPEN = 1, RING_STATE_CLOSED = 2 };

/* The header page. Written by the consumer at creation; afterwards the
 * consumer writes only tail and state, producers only the producer block. */
struct ring_hdr {
	char magic[8];
	uint32_t format;
	uint32_t hdr_size;     /* RING_HDR_SIZE */
	uint32_t data_size;    /* bytes of the data ring, a multiple of 4096 */
	uint32_t schema;       /* wanted event schema, RING_SCHEMA(major, minor, patch) */
	uint32_t snaplen;      /* I/O bytes the consumer wants per event (0 = default) */
	int32_t consumer_pid;  /* informational (it may live in another PID namespace) */
	uint32_t state;        /* enum ring_state */
	uint8_t pad0[28];
	/* producer block (own cache line) */
	uint64_t head;         /* next write position */
	uint64_t lock;         /* owner slot + 1, 0 = free */
	uint64_t n_evts;       /* records producers tried to write */
	uint64_t n_drops;      /* of those, lost: no room, or the lock given up */
	uint64_t n_missed;     /* records producers discarded while no consumer held a
				* ring (told when they attach: not in n_evts) */
	uint64_t n_shed;       /* records producers left out to keep within their
				* CPU budget (pdig --max-cpu): in n_evts and n_drops
				* too, as the driver counts drops; 0 from older pdigs */
	uint8_t pad1[16];
	/* consumer block */
	uint64_t tail;         /* next read position */
};

_Static_assert(sizeof(struct ring_hdr) == 136, "ring header layout");
_Static_assert(__builtin_offsetof(struct ring_hdr, head) == 64, "head offset");
_Static_assert(__builtin_offsetof(struct ring_hdr, n_missed) == 96, "n_missed offset");
_Static_assert(__builtin_offsetof(struct ring_hdr, n_shed) == 104, "n_shed offset");
_Static_assert(__builtin_offsetof(struct ring_hdr, tail) == 128, "tail offset");

#define RING_SCHEMA(maj, min, pat) (((uint32_t)(maj) << 16) | ((uint32_t)(min) << 8) | (uint32_t)(pat))
/* "4.5.1" for a schema code; buf of 16 bytes. */
const char *ring_schema_str(uint32_t code, char *buf, size_t cap);
/* The ring's path for a directory (NULL or "" = the default), into buf.
 * Returns -1 if it does not fit. */
int ring_path(const char *dir, char *buf, size_t cap);

/* ---- producer side (pdig) ------------------------------------------------ */

struct ring_producer {
	int fd;
	struct ring_hdr *h;
	uint8_t *data;        /* 2 x data_size, both halves alias the data area */
	uint32_t size;        /* data_size as validated at attach */
	uint32_t slot;
	dev_t dev;
	ino_t ino;
	struct owner_lock lock; /* the producers' lock word, owner = slot + 1 */
	bool faulted;         /* the file shrank under us (SIGBUS): detach */
};

/* Attaches to the ring file at path. Returns 0, or -1 with err filled
 * (errno ENOENT when there is no file). Everything read from the file is
 * checked: it may have been written by anyone who can write the folder. */
int ring_producer_attach(struct ring_producer *p, const char *path, char *err, size_t errlen);
void ring_producer_detach(struct ring_producer *p);
/* Is the consumer that created the file still there (its lock held, its
 * state open)? One fcntl: ask it rarely. Every function below reads the
 * mapping under a SIGBUS guard (ring/fault_guard.h): a file truncated by
 * anyone makes it fail and set p->faulted, and the caller must detach. */
bool ring_producer_consumer_live(struct ring_producer *p);
/* The consumer's wishes, bounded. */
uint32_t ring_producer_schema(struct ring_producer *p);
uint32_t ring_producer_snaplen(struct ring_producer *p);

enum ring_put { RING_PUT_OK, RING_PUT_FULL, RING_PUT_LOCKED, RING_PUT_TOO_BIG, RING_PUT_FAULT,
		RING_PUT_CLOSED };
/* Writes one record. Never waits for room: a full ring drops (counted in
 * the header's n_drops, which the consumer reports). A ring its consumer
 * closed takes nothing (RING_PUT_CLOSED): the caller counts the record
 * as not delivered and lets go of the ring. */
enum ring_put ring_producer_put(struct ring_producer *p, const void *rec, uint32_t len);
/* Tells the consumer of n records this producer discarded while no
 * consumer held a ring (before this one came, or while it restarted):
 * added to the header's n_missed, which the consumer reports. */
void ring_producer_add_missed(struct ring_producer *p, uint64_t n);
/* Tells the consumer of n records left out to keep within a CPU budget:
 * added to n_evts and n_drops (what it reports as drops) and n_shed (why). */
void ring_producer_add_shed(struct ring_producer *p, uint64_t n);

/* ---- consumer side (the plugin) -------------------------------------------- */

struct ring_consumer {
	int fd;
	char path[4096];
	dev_t dev;
	ino_t ino;
	uint32_t size;
	uint64_t tail;        /* our read position (the header's copy is for producers) */
	uint64_t corrupt;     /* times the framing was broken and the ring skipped */
	uint64_t lost_unread; /* records left unread in rings made again (recreate) */
	uint32_t schema, snaplen; /* what the header asks for, to make it again */
};

/* Creates the ring file in dir (NULL = default), replacing a stale one,
 * and holds it. Fails if a live consumer already holds the file there. */
int ring_consumer_open(struct ring_consumer *c, const char *dir, uint32_t data_size,
		       uint32_t schema, uint32_t snaplen, char *err, size_t errlen);
/* Marks the ring closed, removes the file (if it is still ours) and
 * releases it. Returns the records producers wrote that were never read
 * (they are lost: the caller should say how many). */
uint64_t ring_consumer_close(struct ring_consumer *c);
/* Does the ring's path still name our file? (One stat: not too often.)
 * Anyone who can write the folder can remove or replace it, and
 * producers then no longer find us. */
bool ring_consumer_intact(const struct ring_consumer *c);
/* Makes a fresh ring at our path in place of whatever is there now (ours
 * was removed or replaced), and lets go of the old one, adding what was
 * left unread in it to c->lost_unread. */
int ring_consumer_recreate(struct ring_consumer *c, char *err, size_t errlen);
/* Copies whole records into buf (each with its u32 length prefix) up to
 * cap bytes and advances the tail past them. Reads the file with pread,
 * never a mapping: a file truncated under us gives a short read, not a
 * SIGBUS in the host. Returns the bytes copied (0 = nothing waiting).
 * Broken framing (a length that runs past what producers published) makes
 * it skip everything published so far and count c->corrupt. The tail is
 * written into the header on every call, even with nothing to read, so a
 * tail scribbled by someone else heals. */
size_t ring_consumer_read(struct ring_consumer *c, uint8_t *buf, size_t cap);
/* Producer counters from the header (untrusted, informational). */
void ring_consumer_counters(const struct ring_consumer *c, uint64_t *n_evts, uint64_t *n_drops);
/* Records producers discarded before they attached (the header's n_missed). */
uint64_t ring_consumer_missed(const struct ring_consumer *c);
/* Of n_drops, the records producers shed to keep within their CPU budget. */
uint64_t ring_consumer_shed(const struct ring_consumer *c);

#endif
