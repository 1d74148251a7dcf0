/* Test doubles for the encoders: a fake tracee memory (sparse address
 * ranges, everything else unreadable), a fake process-state reader with
 * canned answers, a decoder that parses an encoded event back into its
 * params. Shared by all tests/events/test_*.c; the checks are
 * tests/check.h's. */
#ifndef PDIG_TEST_FAKE_H
#define PDIG_TEST_FAKE_H

#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "events/encoder.h"
#include "schema/schema.h"

/* ---- fake tracee memory ---- */
#define FAKE_MEM_REGIONS 64
struct fake_region {
	uint64_t addr;
	size_t len;
	uint8_t *data;
};
struct fake_mem {
	struct tracee_mem mem;     /* pass &fm.mem as enc_ctx.mem */
	struct fake_region r[FAKE_MEM_REGIONS];
	int n;
	unsigned reads;            /* read() calls, to spot unbounded loops */
	unsigned readvs;           /* readv() calls (batched reads) */
	unsigned readv_areas;      /* areas asked for by them */
	/* strings a tracer kept at the syscall's entry (fake_mem_keep), which
	 * recall_str hands back */
	struct { uint64_t addr; char s[256]; } kept[4];
	int nkept;
};
void fake_mem_init(struct fake_mem *m);
void fake_mem_free(struct fake_mem *m);
/* Maps a copy of data at addr (regions must not overlap). Returns addr.
 * A read starting in a region returns at most the bytes up to its end;
 * a read starting outside every region returns -1. */
uint64_t fake_mem_map(struct fake_mem *m, uint64_t addr, const void *data, size_t len);
/* As if the tracer had kept s, read at addr at the syscall's entry. */
void fake_mem_keep(struct fake_mem *m, uint64_t addr, const char *s);
/* Maps s including its NUL. */
uint64_t fake_mem_str(struct fake_mem *m, uint64_t addr, const char *s);

/* ---- fake tracee state ---- */
#define FAKE_STATE_MAX 16
struct fake_fd {
	int64_t pid, fd;
	uint64_t dev, ino;
	int has_stat;
	struct sock_names names;
	int has_sock;
	uint64_t sock_id;
};
struct fake_state {
	struct tracee_state st;    /* pass &fs.st as enc_ctx.st */
	struct proc_snapshot proc; /* returned for any tid when has_proc */
	int has_proc;
	struct fake_fd fds[FAKE_STATE_MAX];
	int nfds;
	unsigned proc_calls, sock_calls, stat_calls, id_calls;
};
void fake_state_init(struct fake_state *s);
/* fd_stat(pid, fd) answers dev/ino. */
void fake_state_fd(struct fake_state *s, int64_t pid, int64_t fd, uint64_t dev, uint64_t ino);
/* sock(pid, fd) answers *names; sock_id(pid, fd) answers id. */
void fake_state_sock(struct fake_state *s, int64_t pid, int64_t fd,
		     const struct sock_names *names, uint64_t id);

/* ---- contexts ---- */
/* Fills c with fixed ts/tid/pid (T_TS, T_TID, T_PID), nr, args, snaplen 80. */
#define T_TS 1700000000123456789ull
#define T_TID 1234
#define T_PID 1200
void fake_ctx(struct enc_ctx *c, struct fake_mem *m, struct fake_state *s, uint64_t nr,
	      uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* ---- decoding ---- */
struct dparam {
	uint8_t type;      /* from the schema */
	uint16_t len;
	const uint8_t *val;
};
struct devent {
	uint64_t ts, tid;
	uint32_t len, nparams;
	uint16_t type;
	struct dparam p[PDIG_MAX_PARAMS];
};
/* Parses an event of n bytes. Returns NULL when well-formed, else why not:
 * header len == n == 26 + 2*nparams + sum(lens), nparams == schema's,
 * fixed-width types have their exact size, strings are >= 1 byte and
 * NUL-terminated with no earlier NUL, DYN has an index in range. */
const char *devent_parse(const uint8_t *e, size_t n, struct devent *d);
/* The schema devent_parse checks against (NULL = 1.0.0); t_encode uses the
 * context's. */
void devent_schema(const struct pdig_schema *s);

/* Value accessors (little endian); 0 when the length does not match. */
uint64_t dp_u64(const struct dparam *p);
int64_t dp_s64(const struct dparam *p);
uint32_t dp_u32(const struct dparam *p);
uint16_t dp_u16(const struct dparam *p);
uint8_t dp_u8(const struct dparam *p);
/* String value, or NULL if not a NUL-terminated string. */
const char *dp_str(const struct dparam *p);

/* Encodes (enter or exit) into buf and parses it; on a malformed event it
 * reports and counts a failure. Returns the event length (0 = none). */
size_t t_encode(int is_exit, const struct enc_ctx *c, uint8_t *buf, size_t cap, struct devent *d);

/* Encodes into a static buffer, checks the event is well-formed and of
 * type want (counting a failure otherwise), parses it into *d. Returns
 * the event bytes (valid until the next call), NULL if nothing came out. */
const uint8_t *t_run(int is_exit, const struct enc_ctx *c, uint16_t want, struct devent *d);

/* Byte size of a fixed-width param type, 0 for variable-width ones. */
size_t t_fixed_size(uint8_t type);

#endif
