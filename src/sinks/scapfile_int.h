/* Block builders of the capture-file sink (scapfile_blocks.c,
 * scapfile_fds.c). A growable byte buffer; on allocation failure it stops
 * growing and sets oom, so callers check once at the end. */
#ifndef PDIG_SCAPFILE_INT_H
#define PDIG_SCAPFILE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sinks/sink.h"

struct sbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

enum {
	SCAP_BT_SHB = 0x0A0D0D0A,
	SCAP_BT_MI = 0x201,
	SCAP_BT_PL_V9 = 0x215,
	SCAP_BT_FDL_V2 = 0x218,
	SCAP_BT_EV_V2 = 0x216,
};

/* Largest event block body the reader accepts (block length - 8). */
#define SCAP_MAX_BLOCK_BODY 65536

void sb_put(struct sbuf *b, const void *src, size_t n);
void sb_u8(struct sbuf *b, uint8_t v);
void sb_u16(struct sbuf *b, uint16_t v);
void sb_u32(struct sbuf *b, uint32_t v);
void sb_u64(struct sbuf *b, uint64_t v);
/* u16 length + bytes, cut to max. */
void sb_lstr(struct sbuf *b, const char *s, size_t n, size_t max);
void sb_free(struct sbuf *b);

/* Starts a block of type; returns its offset for scap_block_end. */
size_t scap_block_begin(struct sbuf *b, uint32_t type);
/* Pads the body to 4 and writes both length fields. */
void scap_block_end(struct sbuf *b, size_t start);

/* Section header + Machine Info of this host. */
void scap_put_header(struct sbuf *b);
/* One PL_V9 entry (append to a PL body). */
void scap_put_proc_entry(struct sbuf *b, const struct proc_desc *p);
/* A whole FDL_V2 block for thread tid: the fds src describes for process
 * pid when tid is its main thread, else (or without src) empty. */
void scap_put_fd_block(struct sbuf *b, int64_t tid, int64_t pid, const struct state_source *src);
/* EV_V2 block around one event; false (nothing written) if too large. */
bool scap_put_event(struct sbuf *b, const uint8_t *ev, size_t len);

#endif
