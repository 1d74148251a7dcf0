/* Builds one scap event in a caller's buffer: header, length array, values.
 * Params are appended in the order of the newest schema; the buffer keeps
 * the first nparams of the schema it was begun in and ignores the rest
 * (older schemas have a prefix of the newer lists), and evb_finish() pads
 * any param the encoder did not write with its type's empty value, so a
 * finished event always carries exactly that schema's nparams. Overflow never writes past
 * the buffer: the event is marked bad and evb_finish() returns 0. */
#ifndef PDIG_EVBUF_H
#define PDIG_EVBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "schema/event_layout.h"
#include "schema/schema.h"

/* Largest single value, as the kernel driver caps it. */
#define EVB_MAX_ARG 65000

struct evbuf {
	uint8_t *buf;
	size_t cap;
	const struct pdig_schema *schema;
	const struct pdig_event *info;
	uint16_t type;  /* event id */
	uint32_t idx;   /* params written so far */
	size_t off;     /* where the next value goes */
	bool overflow;
};

/* Begins event `type` of schema s (NULL: 1.0.0). An id s does not have
 * makes the event bad. */
void evb_begin_in(struct evbuf *b, const struct pdig_schema *s, void *buf, size_t cap, uint16_t type,
                  uint64_t ts, uint64_t tid);
/* Begins an event of schema 1.0.0. */
void evb_begin(struct evbuf *b, void *buf, size_t cap, uint16_t type, uint64_t ts, uint64_t tid);
/* Does the schema keep param i (0-based)? For values that cost a read,
 * so an older schema does not pay for params it drops. */
static inline bool evb_keeps(const struct evbuf *b, uint32_t i) { return b->info && i < b->info->nparams; }
/* Type of the next param, PT_NONE when all are written. */
uint8_t evb_next_type(const struct evbuf *b);

void evb_u8(struct evbuf *b, uint8_t v);
void evb_u16(struct evbuf *b, uint16_t v);
void evb_u32(struct evbuf *b, uint32_t v);
void evb_u64(struct evbuf *b, uint64_t v);
static inline void evb_s64(struct evbuf *b, int64_t v) { evb_u64(b, (uint64_t)v); }
static inline void evb_s32(struct evbuf *b, int32_t v) { evb_u32(b, (uint32_t)v); }
/* String param (CHARBUF/FSPATH/FSRELPATH): bytes + NUL. NULL -> "(NULL)". */
void evb_str(struct evbuf *b, const char *s);
void evb_strn(struct evbuf *b, const char *s, size_t n);
/* Raw bytes (BYTEBUF, SOCKADDR, SOCKTUPLE, FDLIST...). */
void evb_bytes(struct evbuf *b, const void *p, size_t n);
/* The empty value for the next param's type. */
void evb_empty(struct evbuf *b);

/* In-place value: get room for up to max bytes, fill it, then commit n. */
uint8_t *evb_reserve(struct evbuf *b, size_t max);
void evb_commit(struct evbuf *b, size_t n);

/* Byte size of a fixed-width param type, 0 for variable-width ones. */
static inline size_t evb_type_size(uint8_t type) { return pt_fixed_size(type); }

/* Pads missing params, writes the length; returns the event length, 0 if bad. */
size_t evb_finish(struct evbuf *b);

/* The header accessors (evt_len, evt_type...) are in event_layout.h. */

#endif
