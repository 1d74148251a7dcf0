/* fd family: fd-table syscalls (close, dup*, pipe*, eventfd*, signalfd*,
 * timerfd_create, inotify_init*, fcntl) and I/O on fds (read/write and
 * their p/v variants, sendfile, splice, copy_file_range, lseek, flock,
 * getdents, fstat). Params follow the e5c53d64 kernel fillers. */
#include <string.h>

#include "events/encoder.h"
#include "families.h"
#include "events/flags.h"
#include "ubuf.h"

#define IOV_BATCH 64

void fd_arg0(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, (int64_t)c->args[0]); }
void fd_res_x(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }

/* BYTEBUF of the first min(len, snaplen) bytes at addr; stops at the
 * first unreadable byte (partial data rather than a lost event). */
static void put_data(struct evbuf *b, const struct enc_ctx *c, uint64_t addr, uint64_t len)
{
	if (len > c->snaplen)
		len = c->snaplen;
	if (len > EVB_MAX_ARG)
		len = EVB_MAX_ARG;
	if (!addr || !len) {
		evb_bytes(b, NULL, 0);
		return;
	}
	uint8_t *d = evb_reserve(b, (size_t)len);
	if (d)
		evb_commit(b, ub_read(c->mem, addr, d, (size_t)len));
}

/* ---- iovec arrays ---- */

struct iov_walk {
	uint64_t total;   /* sum of iov_len of the readable entries */
	uint8_t *dst;     /* gather buffer, NULL = only sum */
	size_t want, got;
};

/* Walks at most UB_MAX_IOV entries of the tracee's struct iovec[cnt],
 * stopping at the first unreadable entry. When gathering, data stops at
 * want bytes or at the first unreadable byte. */
static void iov_walk(const struct enc_ctx *c, uint64_t addr, uint64_t cnt, struct iov_walk *w)
{
	uint64_t v[2 * IOV_BATCH];
	if (cnt > UB_MAX_IOV)
		cnt = UB_MAX_IOV;
	for (uint64_t i = 0; i < cnt;) {
		size_t n = cnt - i < IOV_BATCH ? (size_t)(cnt - i) : IOV_BATCH;
		size_t k = ub_read(c->mem, addr + i * 16, v, n * 16) / 16;
		uint64_t sum = 0;
		for (size_t j = 0; j < k; j++) {
			w->total += v[2 * j + 1];
			sum = sum + v[2 * j + 1] < sum ? UINT64_MAX : sum + v[2 * j + 1];
		}
		if (w->dst && w->got < w->want) {
			size_t room = w->want - w->got;
			size_t expect = sum < room ? (size_t)sum : room;
			size_t r = ub_gather(c->mem, v, k, w->dst + w->got, room);
			w->got += r;
			if (r < expect)
				w->dst = NULL; /* a hole: keep what is contiguous */
		}
		if (k < n)
			break;
		i += n;
	}
}

static uint64_t iov_total(const struct enc_ctx *c)
{
	struct iov_walk w = { 0 };
	iov_walk(c, c->args[1], c->args[2], &w);
	return w.total;
}

/* data gathered across the iovecs: at most limit bytes (and snaplen). */
static void put_iov_data(struct evbuf *b, const struct enc_ctx *c, uint64_t limit)
{
	if (limit > c->snaplen)
		limit = c->snaplen;
	if (limit > ub_iov_data_cap(c->args[2]))
		limit = ub_iov_data_cap(c->args[2]);
	if (limit > EVB_MAX_ARG)
		limit = EVB_MAX_ARG;
	if (!limit) {
		evb_bytes(b, NULL, 0);
		return;
	}
	uint8_t *d = evb_reserve(b, (size_t)limit);
	if (!d)
		return;
	struct iov_walk w = { .dst = d, .want = (size_t)limit };
	iov_walk(c, c->args[1], c->args[2], &w);
	evb_commit(b, w.got);
}

/* ---- fd table ---- */

/* pipe/pipe2: fds from the tracee's int[2]; unreadable -> -1, not 0,
 * so the consumer cannot mistake them for stdin. ino of the first fd. */
void fd_pipe_x(struct evbuf *b, const struct enc_ctx *c)
{
	int32_t fds[2] = { -1, -1 };
	uint64_t dev = 0, ino = 0;
	if (mem_read_exact(c->mem, c->args[0], fds, sizeof(fds)) != 0)
		fds[0] = fds[1] = -1;
	evb_s64(b, c->ret);
	evb_s64(b, fds[0]);
	evb_s64(b, fds[1]);
	if (c->ret < 0 || fds[0] < 0 || !c->st || !c->st->fd_stat ||
	    c->st->fd_stat(c->st->ctx, c->pid, fds[0], &dev, &ino) != 0)
		ino = 0;
	evb_u64(b, ino);
}

/* The driver does not decode eventfd/signalfd/timerfd/inotify flags
 * (nor signalfd's mask, timerfd's clockid): they are always 0. */
void fd_eventfd_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u64(b, c->args[0]);
	evb_u32(b, 0);
}

void fd_signalfd_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u32(b, 0);
	evb_u8(b, 0);
}

void fd_timerfd_create_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u8(b, 0); /* clockid */
	evb_u8(b, 0); /* flags */
}

void fd_inotify_init_e(struct evbuf *b, const struct enc_ctx *c) { evb_u8(b, 0); }

void fd_fcntl_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u8(b, (uint8_t)flags_to_ppm(fcntl_cmd_map, c->args[1]));
}

/* res; since 4.0.1 the enter's fd and cmd, and (4.5.1) the argument */
void fd_fcntl_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	fd_fcntl_e(b, c);
	evb_u64(b, c->args[2]);
}

/* ---- read / write ---- */

/* fd, size (read, write) */
void fd_size_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u32(b, (uint32_t)c->args[2]);
}

/* fd, size, pos (pread, pwrite) */
void fd_size_pos_e(struct evbuf *b, const struct enc_ctx *c)
{
	fd_size_e(b, c);
	evb_u64(b, c->args[3]);
}

/* Reads carry what was transferred: nothing on error. */
void fd_read_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_data(b, c, c->args[1], c->ret > 0 ? (uint64_t)c->ret : 0);
}

/* Writes carry the buffer as passed, whatever the result. */
void fd_write_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_data(b, c, c->args[1], c->args[2]);
}

/* readv/preadv exit: size is the iovecs' total, capped by a non-negative
 * result (the driver's unsigned compare never caps on error). */
void fd_readv_x(struct evbuf *b, const struct enc_ctx *c)
{
	uint64_t size = iov_total(c);
	if (c->ret >= 0 && size > (uint64_t)c->ret)
		size = (uint64_t)c->ret;
	evb_s64(b, c->ret);
	evb_u32(b, (uint32_t)size);
	put_iov_data(b, c, c->ret > 0 ? (uint64_t)c->ret : 0);
}

void fd_writev_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u32(b, (uint32_t)iov_total(c));
}

void fd_writev_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_iov_data(b, c, c->snaplen);
}

void fd_preadv_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u64(b, c->args[3]);
}

void fd_pwritev_e(struct evbuf *b, const struct enc_ctx *c)
{
	fd_writev_e(b, c);
	evb_u64(b, c->args[3]);
}

/* ---- other I/O ---- */

/* sendfile's offset is a pointer to off_t; NULL or unreadable -> 0. */
static uint64_t sendfile_offset(const struct enc_ctx *c)
{
	uint64_t off = 0;
	if (c->args[2] && mem_read_exact(c->mem, c->args[2], &off, sizeof(off)) != 0)
		off = 0;
	return off;
}

void fd_sendfile_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_s64(b, (int64_t)c->args[1]);
	evb_u64(b, sendfile_offset(c));
	evb_u64(b, c->args[3]);
}

/* res, offset; since 4.0.1 out_fd, in_fd and size (not the enter's
 * offset: the exit's is the one after the copy) */
void fd_sendfile_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	evb_u64(b, sendfile_offset(c));
	evb_s64(b, (int64_t)c->args[0]);
	evb_s64(b, (int64_t)c->args[1]);
	evb_u64(b, c->args[3]);
}

void fd_lseek_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u64(b, c->args[1]);
	evb_u8(b, (uint8_t)flags_to_ppm(lseek_whence_map, c->args[2]));
}

/* copy_file_range: the driver records the offset pointers, not the
 * offsets. */
void fd_copy_file_range_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u64(b, c->args[1]);
	evb_u64(b, c->args[4]);
}

void fd_copy_file_range_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	evb_s64(b, (int64_t)c->args[2]);
	evb_u64(b, c->args[3]);
}

/* splice(fd_in, off_in, fd_out, off_out, len, flags); SPLICE_F_* ==
 * PPM_SPLICE_F_*, copied raw like the driver. */
void fd_splice_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_s64(b, (int64_t)c->args[2]);
	evb_u64(b, c->args[4]);
	evb_u32(b, (uint32_t)c->args[5]);
}

void fd_flock_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, (int64_t)c->args[0]);
	evb_u32(b, flags_to_ppm(flock_flags_map, c->args[1]));
}
