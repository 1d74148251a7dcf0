/* Internals shared by the text renderer's files: a bounds-checked view of
 * one event, and the small process/fd tracker. */
#ifndef PDIG_TEXT_INT_H
#define PDIG_TEXT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"

/* One decoded event. Every val[i]..val[i]+vlen[i] lies inside the input. */
struct tev {
	uint64_t ts, tid;
	uint16_t type;
	const struct pdig_event *info; /* NULL: type outside the schema */
	uint32_t np;                   /* values available (<= schema nparams) */
	bool truncated;                /* fewer values than the schema wants */
	const uint8_t *val[PDIG_MAX_PARAMS];
	uint16_t vlen[PDIG_MAX_PARAMS];
};

/* false when not even the header/length array can be trusted. */
bool tev_decode(const uint8_t *ev, size_t len, struct tev *e);
/* Index of the param called name, -1 if absent or not decoded. */
int tev_find(const struct tev *e, const char *name);
/* Signed integer of a 1/2/4/8-byte value (sign-extended by width); false on odd sizes. */
bool tev_int(const struct tev *e, int i, int64_t *out);
/* Same, looked up by name. */
bool tev_int_named(const struct tev *e, const char *name, int64_t *out);

/* Renders a SOCKTUPLE / SOCKADDR value as text into buf; false if empty/unknown. */
bool text_tuple_str(const uint8_t *v, size_t n, char *buf, size_t cap);
bool text_sockaddr_str(const uint8_t *v, size_t n, char *buf, size_t cap);

/* Tracker: learned from events; bounded, evicts on collision. */
#define TT_COMM_LEN 16
struct tt_thread {
	uint64_t tid;
	int64_t pid;     /* 0 = unknown */
	char comm[TT_COMM_LEN + 1]; /* "" = unknown */
	int64_t enter_fd; /* fd param of this thread's last enter event */
	bool used;
};
const struct tt_thread *tt_thread(uint64_t tid);
/* Pid of tid, or tid itself when unknown (as the consumer assumes). */
int64_t tt_pid_or_tid(uint64_t tid);
const char *tt_fd_name(int64_t pid, int64_t fd);
/* Learns from an event before it is printed; tt_after drops state the
 * event ends (close, procexit) once it has been printed. */
void tt_learn(const struct tev *e);
void tt_after(const struct tev *e);
void tt_reset(void);
/* Registers a thread no event introduced (attach mode): its pid and comm. */
void tt_describe(uint64_t tid, int64_t pid, const char *comm, size_t len);

#endif
