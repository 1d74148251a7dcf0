/* Layout of the udig shared-memory objects (see docs/udig-ring.md §4).
 * Private to the udig sink and its tests. */
#ifndef PDIG_UDIG_H
#define PDIG_UDIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UDIG_RING_NAME "/udig_buf"
#define UDIG_DESCS_NAME "/udig_descs"
/* Both sides do all head/tail arithmetic modulo this constant. */
#define UDIG_RING_SIZE (8u * 1024 * 1024)
#define UDIG_DESCS_SIZE 128u

struct udig_consumer {
	uint32_t snaplen;
	uint32_t sampling_ratio;
	uint8_t do_dynamic_snaplen;
	uint8_t pad0[3];
	uint32_t sampling_interval;   /* ns; dropping mode only */
	int32_t is_dropping;          /* producer-owned */
	int32_t dropping_mode;
	int32_t need_to_insert_drop_e; /* producer-owned */
	int32_t need_to_insert_drop_x; /* producer-owned */
	uint16_t fullcapture_port_range_start;
	uint16_t fullcapture_port_range_end;
	uint16_t statsd_port;
	uint16_t pad1;
};

struct udig_descs {
	/* ppm_ring_buffer_info */
	uint32_t head;
	uint32_t tail;
	uint64_t n_evts;
	uint64_t n_drops_buffer;
	uint64_t n_drops_pf;
	uint64_t n_preemptions;
	uint64_t n_context_switches;
	/* udig_ring_buffer_status */
	uint64_t buffer_lock;         /* owner PID, 0 = free (producer convention) */
	int32_t initialized;
	int32_t capturing_pid;
	int32_t stopped;
	int32_t pad0;
	int64_t last_print_time[2];
	struct udig_consumer consumer;
};

_Static_assert(sizeof(struct udig_descs) == UDIG_DESCS_SIZE, "descs size");
_Static_assert(offsetof(struct udig_descs, buffer_lock) == 48, "lock offset");
_Static_assert(offsetof(struct udig_descs, capturing_pid) == 60, "pid offset");
_Static_assert(offsetof(struct udig_descs, consumer) == 88, "consumer offset");
_Static_assert(offsetof(struct udig_descs, consumer.need_to_insert_drop_x) == 116, "drop_x offset");
_Static_assert(offsetof(struct udig_descs, consumer.statsd_port) == 124, "statsd offset");

/* Dropping mode (udig_sample.c). udig_sample_out() says whether to drop
 * ev; on a change of dropping state it sets c->is_dropping and owes a
 * marker (c->need_to_insert_drop_e/x). fcntl_drop_tid is the caller's
 * memory pairing a dropped fcntl enter with its exit. Call under the lock. */
void udig_sample_init(void);
bool udig_sample_out(struct udig_consumer *c, uint64_t *fcntl_drop_tid,
		     const uint8_t *ev, size_t len);

struct sink;
/* The descriptor object behind a sink from udig_sink_open() (for tests).
 * A sink serves one thread of the process that opened it: the lock owner
 * is that process's PID. */
struct udig_descs *udig_sink_descs(struct sink *s);
/* Do not warn about a missing consumer (another sink takes the events). */
void udig_sink_quiet(void);
/* Replaces the no-consumer message (a user who set $PDIG_RING_DIR wants
 * Falco's plugin, not `sysdig -u`); msg is kept, not copied. */
void udig_sink_hint(const char *msg);

#endif
