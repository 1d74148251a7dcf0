/* Params filled from tracee memory, bounded and fault tolerant: a bad
 * pointer yields an empty (or partial) value, never a skipped param.
 * Used by the net, process and misc encoders. */
#ifndef PDIG_UBUF_H
#define PDIG_UBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events/encoder.h"

/* Most iovec entries looked at (the kernel's UIO_MAXIOV). */
#define UB_MAX_IOV 1024

/* Reads up to len bytes, stopping at the first fault; returns bytes read. */
size_t ub_read(const struct tracee_mem *m, uint64_t addr, void *dst, size_t len);

/* BYTEBUF of up to len bytes at addr (short if memory ends early). */
void ub_put_bytes(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t len);
/* String param: "(NULL)" for a NULL pointer, "" when unreadable. */
void ub_put_str(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t max);
/* The same, with the given text when the memory cannot be read. */
void ub_put_str_or(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t max, const char *unreadable);

/* Concatenates the NUL-terminated strings of a NULL-terminated pointer
 * array (argv/envp) into dst, each with its NUL, and returns the bytes
 * used: all of them or nothing, as the driver, which reports an empty list
 * when one pointer or string cannot be read or they do not all fit. */
size_t ub_strarray(const struct tracee_mem *m, uint64_t arr, char *dst, size_t cap);

/* Walks the first min(cnt, UB_MAX_IOV) entries of an iovec array: gathers
 * up to want bytes of their data into dst (the readable prefix: the first
 * byte that cannot be read ends it; *got = the bytes) and, with whole,
 * returns the sum of iov_len (saturating), or -1 if part of the array
 * cannot be read. One read of the array per 32 entries serves both. */
int64_t ub_iov_read(const struct tracee_mem *m, uint64_t iov, uint64_t cnt, uint8_t *dst, size_t want,
                    size_t *got, bool whole);
/* Sum of iov_len over the first min(cnt, UB_MAX_IOV) entries (saturating);
 * -1 if the array cannot be read. */
int64_t ub_iov_total(const struct tracee_mem *m, uint64_t iov, uint64_t cnt);
/* Reads the buffers of the n iovec entries in v (base and length pairs,
 * as struct iovec lays them out) into dst, at most want bytes in all, with
 * a readv per MEM_READV_MAX buffers where the reader has one. Returns the
 * bytes read; the first byte that cannot be read ends them. */
size_t ub_gather(const struct tracee_mem *m, const uint64_t *v, size_t n, uint8_t *dst, size_t want);
/* The driver gathers iovec data into one page that also holds the iovec
 * array: at most 4096 - 16 * cnt - 1 bytes, none when the array fills the
 * page (it drops such an event; pdig keeps it, without data). */
uint64_t ub_iov_data_cap(uint64_t cnt);

#endif
