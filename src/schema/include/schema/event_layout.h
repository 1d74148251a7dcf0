/* The layout of one encoded event (docs/scap-event.md §1-2): a 26-byte
 * header, a u16 length per param, then the values. Readers of finished
 * events (the sinks) need only this and the schema, not the builder. */
#ifndef PDIG_EVENT_LAYOUT_H
#define PDIG_EVENT_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"

#define EVT_HDR_LEN 26

/* Header accessors for an encoded event. */
static inline uint32_t evt_len(const uint8_t *e) { uint32_t v; __builtin_memcpy(&v, e + 16, 4); return v; }
static inline uint16_t evt_type(const uint8_t *e) { uint16_t v; __builtin_memcpy(&v, e + 20, 2); return v; }
static inline uint64_t evt_tid(const uint8_t *e) { uint64_t v; __builtin_memcpy(&v, e + 8, 8); return v; }
static inline uint64_t evt_ts(const uint8_t *e) { uint64_t v; __builtin_memcpy(&v, e, 8); return v; }
static inline uint32_t evt_nparams(const uint8_t *e) { uint32_t v; __builtin_memcpy(&v, e + 22, 4); return v; }

/* Writes the header's fields but the length (set once the values are in). */
static inline void evt_put_header(uint8_t *e, uint64_t ts, uint64_t tid, uint16_t type, uint32_t nparams)
{
	__builtin_memcpy(e, &ts, 8);
	__builtin_memcpy(e + 8, &tid, 8);
	__builtin_memcpy(e + 20, &type, 2);
	__builtin_memcpy(e + 22, &nparams, 4);
}

static inline void evt_set_len(uint8_t *e, uint32_t len) { __builtin_memcpy(e + 16, &len, 4); }

/* Byte size of a fixed-width param type, 0 for variable-width ones. */
static inline size_t pt_fixed_size(uint8_t t)
{
	switch (t) {
	case PT_INT8: case PT_UINT8: case PT_SIGTYPE: case PT_FLAGS8: case PT_L4PROTO:
	case PT_SOCKFAMILY: case PT_ENUMFLAGS8: return 1;
	case PT_INT16: case PT_UINT16: case PT_SYSCALLID: case PT_FLAGS16: case PT_PORT:
	case PT_ENUMFLAGS16: return 2;
	case PT_INT32: case PT_UINT32: case PT_FLAGS32: case PT_UID: case PT_GID:
	case PT_SIGSET: case PT_MODE: case PT_BOOL: case PT_IPV4ADDR: case PT_ENUMFLAGS32:
	case PT_FD32: case PT_PID32: return 4;
	case PT_INT64: case PT_UINT64: case PT_ERRNO: case PT_FD: case PT_PID:
	case PT_RELTIME: case PT_ABSTIME: case PT_DOUBLE: return 8;
	default: return 0;
	}
}

#endif
