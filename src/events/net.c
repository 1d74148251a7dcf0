/* net family encoders: one small decoder per event, values as the kernel
 * driver's fillers produce them (f_sys_connect_x, f_sys_accept_x, ...). */
#include <string.h>
#include <sys/socket.h>

#include "events/encoder.h"
#include "families.h"
#include "netflags.h"
#include "sockaddr.h"
#include "ubuf.h"

/* Socket-call args are ints; the driver sign-extends them. */
static int64_t sarg(const struct enc_ctx *c, int i) { return (int32_t)c->args[i]; }

static void put_fd_arg(struct evbuf *b, const struct enc_ctx *c, int i) { evb_s64(b, sarg(c, i)); }
static void put_res(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }
void net_put_ret_only(struct evbuf *b, const struct enc_ctx *c) { put_res(b, c); }
void net_put_fd_only(struct evbuf *b, const struct enc_ctx *c) { put_fd_arg(b, c, 0); }

static uint32_t data_len(const struct enc_ctx *c, uint64_t n)
{
	return n < c->snaplen ? (uint32_t)n : c->snaplen;
}

/* SOCKADDR param from a tracee sockaddr of ulen bytes. */
static void put_user_addr(struct evbuf *b, const struct enc_ctx *c, uint64_t addr, int64_t ulen)
{
	struct sockaddr_storage ss;
	uint8_t out[SA_PACK_MAX];
	size_t n = 0;
	if (addr && sa_read(c->mem, addr, ulen, &ss) > 0)
		n = sa_pack_addr(&ss, (size_t)(int)ulen, out);
	evb_bytes(b, out, n);
}

/* SOCKTUPLE of socket fd; ua (ulen bytes) is the remote end the tracee
 * named, NULL to take the peer from the socket itself. */
static void put_tuple(struct evbuf *b, const struct enc_ctx *c, int64_t fd,
		      const struct sockaddr_storage *ua, size_t ulen, bool inbound)
{
	struct sock_names sn;
	uint8_t out[SA_PACK_MAX];
	size_t n = 0;
	memset(&sn, 0, sizeof(sn));
	if (fd >= 0 && c->st && c->st->sock &&
	    c->st->sock(c->st->ctx, c->pid, fd, &sn) == 0) {
		if (sn.local_len > sizeof(sn.local))
			sn.local_len = sizeof(sn.local);
		if (sn.peer_len > sizeof(sn.peer))
			sn.peer_len = sizeof(sn.peer);
		const struct sockaddr_storage *rem = ua ? ua : sn.peer_len ? &sn.peer : NULL;
		struct sa_tuple t = {
			.family = sn.local_len >= sizeof(sa_family_t) ? sn.local.ss_family
				  : rem ? rem->ss_family : AF_UNSPEC,
			.local = &sn.local, .remote = rem, .inbound = inbound,
		};
		if (t.family == AF_UNIX) {
			/* The peer's identity is not known from this side. */
			t.self_id = c->st->sock_id ? c->st->sock_id(c->st->ctx, c->pid, fd) : 0;
			if (inbound || !rem) {
				t.unix_name = inbound ? &sn.local : &sn.peer;
				t.unix_name_len = inbound ? sn.local_len : sn.peer_len;
			} else {
				t.unix_name = rem;
				t.unix_name_len = ua ? ulen : sn.peer_len;
			}
		}
		n = sa_pack_tuple(&t, out);
	}
	evb_bytes(b, out, n);
}

/* Tuple against a tracee-supplied address (connect, sendto, ...). */
static void put_user_tuple(struct evbuf *b, const struct enc_ctx *c, int64_t fd,
			   uint64_t addr, int64_t ulen, bool inbound)
{
	struct sockaddr_storage ss;
	if (fd < 0 || !addr || sa_read(c->mem, addr, ulen, &ss) <= 0) {
		evb_bytes(b, NULL, 0);
		return;
	}
	put_tuple(b, c, fd, &ss, (size_t)(int)ulen, inbound);
}

void net_socket_e(struct evbuf *b, const struct enc_ctx *c)
{
	int64_t dom = sarg(c, 0);
	evb_u32(b, flag_value(sock_family_map, dom, (uint32_t)dom));
	evb_u32(b, (uint32_t)c->args[1]);
	evb_u32(b, (uint32_t)c->args[2]);
}

/* fd; since 4.0.1 the enter's domain, type and proto, and (4.5.1) the
 * fd's flags from type's SOCK_NONBLOCK and SOCK_CLOEXEC */
void net_socket_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	net_socket_e(b, c);
	evb_u32(b, flags_to_ppm(fd_flags_map, c->args[1] & (04000 | 02000000)));
}

void net_bind_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_user_addr(b, c, c->args[1], (int64_t)c->args[2]);
}

void net_connect_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_fd_arg(b, c, 0);
	if (sarg(c, 0) >= 0)
		put_user_addr(b, c, c->args[1], (int64_t)c->args[2]);
}

void net_connect_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	/* Built even on failure (EINPROGRESS): source = our end. */
	put_user_tuple(b, c, sarg(c, 0), c->args[1], (int64_t)c->args[2], false);
}

void net_listen_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_fd_arg(b, c, 0);
	evb_u32(b, (uint32_t)c->args[1]);
}

void net_sendto_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_fd_arg(b, c, 0);
	evb_u32(b, (uint32_t)c->args[2]);
	put_user_tuple(b, c, sarg(c, 0), c->args[4], (int64_t)c->args[5], false);
}

/* send/sendto exit: the bytes sent; a failed call has none (unlike write
 * and sendmsg, whose data is the buffer as passed, whatever the result). */
void net_sendto_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	uint64_t n = c->ret > 0 ? (uint64_t)c->ret : 0;
	ub_put_bytes(b, c->mem, c->args[1], data_len(c, n));
}

void net_recvfrom_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_fd_arg(b, c, 0);
	evb_u32(b, (uint32_t)c->args[2]);
}

void net_recvfrom_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	if (c->ret < 0) {
		evb_bytes(b, NULL, 0);
		evb_bytes(b, NULL, 0);
		return;
	}
	ub_put_bytes(b, c->mem, c->args[1], data_len(c, (uint64_t)c->ret));
	int32_t alen;
	if (!c->args[4] || !c->args[5] || mem_read_exact(c->mem, c->args[5], &alen, 4) < 0) {
		evb_bytes(b, NULL, 0);
		return;
	}
	put_user_tuple(b, c, sarg(c, 0), c->args[4], alen, true);
}

void net_shutdown_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_fd_arg(b, c, 0);
	/* PPM_SHUT_* equal SHUT_*; others pass through truncated like the driver */
	evb_u8(b, (uint8_t)c->args[1]);
}

void net_socketpair_x(struct evbuf *b, const struct enc_ctx *c)
{
	int32_t fds[2] = { -1, -1 };
	put_res(b, c);
	if (c->ret < 0) {
		/* the driver writes zeros for a failed call */
		for (int i = 0; i < 4; i++)
			evb_u64(b, 0);
		return;
	}
	if (mem_read_exact(c->mem, c->args[3], fds, sizeof(fds)) < 0) {
		evb_s64(b, -1);
		evb_s64(b, -1);
		evb_u64(b, 0);
		evb_u64(b, 0);
		return;
	}
	evb_s64(b, fds[0]);
	evb_s64(b, fds[1]);
	uint64_t (*id)(void *, int64_t, int64_t) = c->st ? c->st->sock_id : NULL;
	evb_u64(b, id ? id(c->st->ctx, c->pid, fds[0]) : 0);
	evb_u64(b, id ? id(c->st->ctx, c->pid, fds[1]) : 0);
}

/* DYN param: table index, then the value. */
static void put_dyn(struct evbuf *b, uint8_t idx, const void *v, size_t n)
{
	uint8_t *d = evb_reserve(b, 1 + n);
	if (!d)
		return;
	d[0] = idx;
	memcpy(d + 1, v, n);
	evb_commit(b, 1 + n);
}

/* SOL_SOCKET options whose value the driver reports as a u32. */
static bool sockopt_is_int(int name)
{
	static const uint8_t ints[] = { 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16,
		18, 19, 22, 23, 24, 25, 27, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39,
		40, 41, 42, 43, 44, 45, 46, 47, 48, 49 };
	for (size_t i = 0; i < sizeof(ints); i++)
		if (ints[i] == name)
			return true;
	return false;
}

/* The sockopt value, decoded as the driver's parse_sockopt does. */
static void put_sockopt_val(struct evbuf *b, const struct enc_ctx *c, int level, int name,
			    uint64_t optval, uint32_t optlen)
{
	if (level == 1 /* SOL_SOCKET */) {
		int32_t v32 = 0;
		if (name == 4 /* SO_ERROR: reported as -errno */) {
			if (mem_read_exact(c->mem, optval, &v32, 4) < 0)
				v32 = 0;
			int64_t e = -(int64_t)v32;
			put_dyn(b, NF_SOCKOPT_IDX_ERRNO, &e, 8);
			return;
		}
		if (name == 20 || name == 21 || name == 66 || name == 67) {
			/* SO_RCVTIMEO / SO_SNDTIMEO (old and new): a timeval */
			int64_t tv[2];
			uint64_t ns = 0;
			if (mem_read_exact(c->mem, optval, tv, sizeof(tv)) == 0)
				ns = (uint64_t)tv[0] * 1000000000ull + (uint64_t)tv[1] * 1000ull;
			put_dyn(b, NF_SOCKOPT_IDX_TIMEVAL, &ns, 8);
			return;
		}
		if (name == 57 /* SO_COOKIE */) {
			uint64_t v64 = 0;
			if (mem_read_exact(c->mem, optval, &v64, 8) < 0)
				v64 = 0;
			put_dyn(b, NF_SOCKOPT_IDX_UINT64, &v64, 8);
			return;
		}
		if (sockopt_is_int(name)) {
			if (mem_read_exact(c->mem, optval, &v32, 4) < 0)
				v32 = 0;
			put_dyn(b, NF_SOCKOPT_IDX_UINT32, &v32, 4);
			return;
		}
	}
	/* Anything else: the raw bytes. */
	size_t n = optlen < EVB_MAX_ARG - 1 ? optlen : EVB_MAX_ARG - 1;
	uint8_t *d = evb_reserve(b, 1 + n);
	if (!d)
		return;
	d[0] = NF_SOCKOPT_IDX_BYTES;
	evb_commit(b, 1 + ub_read(c->mem, optval, d + 1, n));
}

static void put_sockopt_head(struct evbuf *b, const struct enc_ctx *c)
{
	int level = (int)c->args[1], name = (int)c->args[2];
	put_res(b, c);
	evb_s64(b, reg_int_arg(c, 0));
	evb_u8(b, (uint8_t)flag_value(sockopt_level_map, level, 0));
	evb_u8(b, level == 1 ? (uint8_t)flag_value(sockopt_name_map, name, 0) : 0);
}

void net_setsockopt_x(struct evbuf *b, const struct enc_ctx *c)
{
	uint32_t optlen = (uint32_t)c->args[4];
	put_sockopt_head(b, c);
	put_sockopt_val(b, c, (int)c->args[1], (int)c->args[2], c->args[3], optlen);
	evb_u32(b, optlen);
}

void net_getsockopt_x(struct evbuf *b, const struct enc_ctx *c)
{
	/* optlen is in/out: read it back at exit */
	uint32_t optlen = 0;
	if (mem_read_exact(c->mem, c->args[4], &optlen, 4) < 0)
		optlen = 0;
	put_sockopt_head(b, c);
	put_sockopt_val(b, c, (int)c->args[1], (int)c->args[2], c->args[3], optlen);
	evb_u32(b, optlen);
}

/* The msghdr fields the encoders use. */
struct mhdr {
	uint64_t name;
	uint32_t namelen;
	uint64_t iov, iovlen;
	uint64_t control, controllen;
};

/* The kernel's user_msghdr on x86-64, not libc's struct msghdr: musl
 * declares msg_iovlen an int (and msg_controllen a socklen_t) plus padding,
 * so a libc struct would drop the high half the kernel reads. */
struct kernel_msghdr {
	uint64_t name;
	uint32_t namelen, pad0;
	uint64_t iov, iovlen, control, controllen;
	uint32_t flags, pad1;
};
_Static_assert(sizeof(struct kernel_msghdr) == 56, "user_msghdr layout");

static int read_msghdr(const struct enc_ctx *c, uint64_t addr, struct mhdr *h)
{
	struct kernel_msghdr mh;
	if (mem_read_exact(c->mem, addr, &mh, sizeof(mh)) < 0)
		return -1;
	h->name = mh.name;
	h->namelen = mh.namelen;
	h->iov = mh.iov;
	h->iovlen = mh.iovlen;
	h->control = mh.control;
	h->controllen = mh.controllen;
	return 0;
}

void net_sendmsg_e(struct evbuf *b, const struct enc_ctx *c)
{
	struct mhdr h;
	put_fd_arg(b, c, 0);
	if (read_msghdr(c, c->args[1], &h) < 0) {
		evb_u32(b, 0);
		evb_bytes(b, NULL, 0);
		return;
	}
	int64_t total = ub_iov_total(c->mem, h.iov, h.iovlen);
	evb_u32(b, total > 0 ? (uint32_t)total : 0);
	if (h.name && h.namelen)
		put_user_tuple(b, c, sarg(c, 0), h.name, (int32_t)h.namelen, false);
	else
		evb_bytes(b, NULL, 0);
}

/* A msghdr's data, up to limit (and snaplen, and the driver's page): into
 * dst (MSG_DATA_MAX bytes), with the iovecs' total (-1: the array cannot
 * all be read, and then no data); one read of the array for both. */
#define MSG_DATA_MAX 4096
static int64_t msg_data(const struct enc_ctx *c, const struct mhdr *h, uint64_t limit, uint8_t *dst, size_t *got)
{
	uint64_t want = data_len(c, limit);
	if (want > ub_iov_data_cap(h->iovlen))
		want = ub_iov_data_cap(h->iovlen);
	if (want > MSG_DATA_MAX)
		want = MSG_DATA_MAX;
	int64_t total = ub_iov_read(c->mem, h->iov, h->iovlen, dst, (size_t)want, got, true);
	if (total <= 0)
		*got = 0;
	return total;
}

void net_sendmsg_x(struct evbuf *b, const struct enc_ctx *c)
{
	struct mhdr h;
	uint8_t data[MSG_DATA_MAX];
	size_t got = 0;
	put_res(b, c);
	if (read_msghdr(c, c->args[1], &h) < 0) {
		evb_bytes(b, NULL, 0);
		return;
	}
	msg_data(c, &h, UINT64_MAX, data, &got);
	evb_bytes(b, data, got);
}

/* The 1.0.0 params of recvmsg's exit; *h read, or -1. */
static int recvmsg_base(struct evbuf *b, const struct enc_ctx *c, struct mhdr *h_out)
{
	struct mhdr h;
	int ok = read_msghdr(c, c->args[1], &h);
	if (ok < 0)
		memset(&h, 0, sizeof h);
	*h_out = h;
	put_res(b, c);
	if (ok < 0) {
		evb_u32(b, 0);
		evb_bytes(b, NULL, 0);
		evb_bytes(b, NULL, 0);
		return ok;
	}
	/* size: the buffers' total, capped by a non-negative result (the
	 * driver's unsigned compare never caps on error, as for readv) */
	uint8_t data[MSG_DATA_MAX];
	size_t got = 0;
	int64_t total = msg_data(c, &h, c->ret > 0 ? (uint64_t)c->ret : 0, data, &got);
	uint64_t size = total > 0 ? (uint64_t)total : 0;
	if (c->ret >= 0 && size > (uint64_t)c->ret)
		size = (uint64_t)c->ret;
	if (c->ret < 0) {
		evb_u32(b, (uint32_t)size);
		evb_bytes(b, NULL, 0);
		evb_bytes(b, NULL, 0);
		return ok;
	}
	evb_u32(b, (uint32_t)size);
	evb_bytes(b, data, got);
	if (h.name && h.namelen)
		put_user_tuple(b, c, sarg(c, 0), h.name, (int32_t)h.namelen, true);
	else
		evb_bytes(b, NULL, 0);
	return 0;
}

/* recvmsg exit; since 4.0.1 also the control data the kernel wrote
 * (msg_controllen is its length after the call) and the fd */
/* The control data a receive got (h read at the exit: msg_controllen is
 * what the kernel wrote), at most snaplen bytes. */
static void put_msg_control(struct evbuf *b, const struct enc_ctx *c, const struct mhdr *h)
{
	uint64_t len = c->ret >= 0 && h->control ? h->controllen : 0;
	if (len > c->snaplen)
		len = c->snaplen;
	if (len > EVB_MAX_ARG)
		len = EVB_MAX_ARG;
	uint8_t *d = len ? evb_reserve(b, (size_t)len) : NULL;
	if (d)
		evb_commit(b, ub_read(c->mem, h->control, d, (size_t)len));
	else
		evb_bytes(b, NULL, 0);
}

void net_recvmsg_x(struct evbuf *b, const struct enc_ctx *c)
{
	struct mhdr h;
	recvmsg_base(b, c, &h);
	if (!evb_keeps(b, 4))
		return;
	put_msg_control(b, c, &h);
	put_fd_arg(b, c, 0);
}

/* sendmmsg/recvmmsg exits (params since 4.0.1): the driver sends one exit
 * per message, pdig one per call, for the first message: res is its
 * msg_len (a struct mmsghdr is a msghdr, then msg_len at byte 56), then
 * fd, the buffers' size, the data moved, the tuple (the address given, or
 * the socket's peer) and, for recvmmsg, the control data. A failed call:
 * its error and the fd. */
static void mmsg_exit(struct evbuf *b, const struct enc_ctx *c, bool recv)
{
	struct mhdr h;
	uint32_t len = 0;
	if (!evb_keeps(b, 0)) /* 1.0.0: no params, nothing to read */
		return;
	bool ok = c->ret > 0 && read_msghdr(c, c->args[1], &h) == 0 &&
	          mem_read_exact(c->mem, c->args[1] + 56, &len, 4) == 0;
	evb_s64(b, ok ? (int64_t)len : c->ret);
	put_fd_arg(b, c, 0);
	if (!ok)
		return;
	int64_t total = ub_iov_total(c->mem, h.iov, h.iovlen);
	evb_u32(b, total > 0 ? (uint32_t)total : 0);
	uint8_t data[MSG_DATA_MAX];
	size_t got = 0;
	msg_data(c, &h, len, data, &got);
	evb_bytes(b, data, got);
	if (h.name && h.namelen)
		put_user_tuple(b, c, sarg(c, 0), h.name, (int32_t)h.namelen, recv);
	else
		put_tuple(b, c, sarg(c, 0), NULL, 0, recv);
	if (recv)
		put_msg_control(b, c, &h);
}

void net_sendmmsg_x(struct evbuf *b, const struct enc_ctx *c) { mmsg_exit(b, c, false); }
void net_recvmmsg_x(struct evbuf *b, const struct enc_ctx *c) { mmsg_exit(b, c, true); }

void net_accept4_e(struct evbuf *b, const struct enc_ctx *c)
{
	/* The driver our consumer was built with (libs e5c53d64) writes 0,
	 * flags not supported yet; later drivers write the argument. */
	(void)c;
	evb_s32(b, 0);
}

void net_accept_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	if (c->ret >= 0)
		put_tuple(b, c, c->ret, NULL, 0, true);
	else
		evb_bytes(b, NULL, 0);
	/* Backlog figures are not visible from user space. */
	evb_u8(b, 0);
	evb_u32(b, 0);
	evb_u32(b, 0);
}
