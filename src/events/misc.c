/* misc family encoders: memory mapping, sleeping and waiting, futex,
 * ioctl, SysV semaphores, getcwd. Values follow the driver's fillers. */
#include <string.h>

#include "events/encoder.h"
#include "families.h"
#include "netflags.h"
#include "ubuf.h"

/* Most pollfd entries reported; the consumer trusts the count. */
#define POLL_MAX_FDS 1024

static int64_t iarg(const struct enc_ctx *c, int i) { return (int32_t)c->args[i]; }
static void put_res(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }
void misc_put_ret_only(struct evbuf *b, const struct enc_ctx *c) { put_res(b, c); }

/* vm_size/vm_rss/vm_swap of the calling thread after the call. */
static void put_vm(struct evbuf *b, const struct enc_ctx *c)
{
	const struct proc_snapshot *p = c->st && c->st->proc ? c->st->proc(c->st->ctx, c->tid) : NULL;
	evb_u32(b, p ? p->vm_size_kb : 0);
	evb_u32(b, p ? p->vm_rss_kb : 0);
	evb_u32(b, p ? p->vm_swap_kb : 0);
}

/* A struct timespec in tracee memory as ns; 0 when absent. */
static uint64_t read_timespec(const struct enc_ctx *c, uint64_t addr)
{
	int64_t ts[2];
	if (!addr || mem_read_exact(c->mem, addr, ts, sizeof(ts)) < 0)
		return 0;
	return (uint64_t)ts[0] * 1000000000ull + (uint64_t)ts[1];
}

void misc_mmap_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u64(b, c->args[0]);
	evb_u64(b, c->args[1]);
	evb_u32(b, flags_to_ppm(prot_flags_map, c->args[2]));
	evb_u32(b, flags_to_ppm(mmap_flags_map, c->args[3]));
	/* the whole register, as the driver: -1 from C, 4294967295 from a
	 * caller that loads the int into 32 bits (Go's runtime) */
	evb_s64(b, (int64_t)c->args[4]);
	evb_u64(b, c->args[5]);
}

void misc_vm_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_vm(b, c);
}

void misc_addr_len_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u64(b, c->args[0]);
	evb_u64(b, c->args[1]);
}

void misc_arg0_u64(struct evbuf *b, const struct enc_ctx *c) { evb_u64(b, c->args[0]); }

void misc_mprotect_e(struct evbuf *b, const struct enc_ctx *c)
{
	misc_addr_len_e(b, c);
	evb_u32(b, flags_to_ppm(prot_flags_map, c->args[2]));
}

void misc_nanosleep_e(struct evbuf *b, const struct enc_ctx *c) { evb_u64(b, read_timespec(c, c->args[0])); }

void misc_futex_e(struct evbuf *b, const struct enc_ctx *c)
{
	uint64_t op = c->args[1];
	uint16_t f = (uint16_t)flag_value(futex_op_map, (int64_t)(op & 127), 0);
	if (op & 128)
		f |= NF_FU_PRIVATE_FLAG;
	if (op & 256)
		f |= NF_FU_CLOCK_REALTIME;
	evb_u64(b, c->args[0]);
	evb_u16(b, f);
	evb_u64(b, c->args[2]);
}

/* FDLIST of the pollfd array: all entries with their requested events at
 * enter, only those with returned events at exit. */
static void put_pollfds(struct evbuf *b, const struct enc_ctx *c, bool is_exit)
{
	uint64_t nfds = c->args[1];
	if (nfds > POLL_MAX_FDS)
		nfds = POLL_MAX_FDS;
	uint8_t *d = evb_reserve(b, 2 + 10 * nfds);
	if (!d)
		return;
	uint16_t cnt = 0;
	size_t pos = 2;
	struct { int32_t fd; int16_t events, revents; } pfd[128];
	/* the array in reads of up to 128 entries, not one per entry */
	for (uint64_t i = 0; i < nfds; i += 128) {
		size_t k = nfds - i < 128 ? (size_t)(nfds - i) : 128;
		if (mem_read_exact(c->mem, c->args[0] + i * sizeof(pfd[0]), pfd, k * sizeof(pfd[0])) < 0) {
			/* like the driver: an unreadable array reports no fds */
			cnt = 0;
			pos = 2;
			break;
		}
		for (size_t j = 0; j < k; j++) {
			if (is_exit && !pfd[j].revents)
				continue;
			int64_t fd = pfd[j].fd;
			uint16_t fl = (uint16_t)flags_to_ppm(poll_flags_map,
			                                    (uint16_t)(is_exit ? pfd[j].revents : pfd[j].events));
			memcpy(d + pos, &fd, 8);
			memcpy(d + pos + 8, &fl, 2);
			pos += 10;
			cnt++;
		}
	}
	memcpy(d, &cnt, 2);
	evb_commit(b, pos);
}

void misc_poll_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_pollfds(b, c, false);
	evb_s64(b, reg_int_arg(c, 2));
}

/* ppoll's timeout and sigmask */
static void put_ppoll_tail(struct evbuf *b, const struct enc_ctx *c)
{
	uint64_t mask = 0;
	/* no timeout (NULL): the driver writes all ones, "forever" */
	evb_u64(b, c->args[2] ? read_timespec(c, c->args[2]) : UINT64_MAX);
	if (!c->args[3] || mem_read_exact(c->mem, c->args[3], &mask, 8) < 0)
		mask = 0;
	evb_u32(b, (uint32_t)mask);
}

void misc_ppoll_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_pollfds(b, c, false);
	put_ppoll_tail(b, c);
}

/* poll/ppoll exit; since 4.0.1 the enter's timeout (ppoll: and sigmask),
 * which ppoll_e writes after its fds */
void misc_poll_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_pollfds(b, c, true);
	if (!evb_keeps(b, 2))
		return;
	if (b->type == EV_SYSCALL_PPOLL_X)
		put_ppoll_tail(b, c);
	else
		evb_s64(b, iarg(c, 2));
}

void misc_epoll_wait_e(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, iarg(c, 2)); }

void misc_ioctl_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_u64(b, c->args[1]);
	evb_u64(b, c->args[2]);
}

void misc_getcwd_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	/* The 1.0.0 driver (autofill) reads the buffer whatever the result:
	 * after a failure it shows what the buffer held before. The modern
	 * drivers leave the path empty on failure. */
	bool old_driver = !c->schema || c->schema->id == SCHEMA_1_0_0;
	if (c->ret > 0 || old_driver)
		ub_put_str(b, c->mem, c->args[0], 4096);
	else
		evb_strn(b, "", 0);
}

void misc_semop_e(struct evbuf *b, const struct enc_ctx *c) { evb_s32(b, (int32_t)c->args[0]); }

/* semop exit: the first two sembufs, whatever the result (as the driver
 * does); unreadable ones are zeros. */
void misc_semop_x(struct evbuf *b, const struct enc_ctx *c)
{
	struct { uint16_t num; int16_t op, flg; } s[2];
	uint64_t nsops = c->args[2];
	memset(s, 0, sizeof(s));
	put_res(b, c);
	evb_u32(b, (uint32_t)nsops);
	if (c->args[1] && nsops &&
	    mem_read_exact(c->mem, c->args[1], s, (nsops > 1 ? 2 : 1) * sizeof(s[0])) < 0)
		memset(s, 0, sizeof(s));
	for (int i = 0; i < 2; i++) {
		evb_u16(b, s[i].num);
		evb_u16(b, (uint16_t)s[i].op);
		evb_u16(b, (uint16_t)flags_to_ppm(semop_flags_map, (uint16_t)s[i].flg));
	}
}

void misc_semget_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s32(b, (int32_t)c->args[0]);
	evb_s32(b, (int32_t)c->args[1]);
	evb_u32(b, flags_to_ppm(semget_flags_map, c->args[2]));
}

void misc_semctl_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s32(b, (int32_t)c->args[0]);
	evb_s32(b, (int32_t)c->args[1]);
	evb_u16(b, (uint16_t)flag_value(semctl_cmd_map, (int32_t)c->args[2], 0));
	/* the optional value is meaningful only for SETVAL (16) */
	evb_s32(b, (int32_t)c->args[2] == 16 ? (int32_t)c->args[3] : 0);
}
