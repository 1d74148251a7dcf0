/* Encoders of the events libs 0.22 and later added for syscalls that 1.0.0
 * reported as generic events or through a shared event (dup2 and dup3 as
 * dup, pipe2 as pipe...). Only the modern schemas route syscalls here, and
 * their drivers send only the exit, so each encoder fills an exit. Flag
 * values are the driver's (ppm) ones; where they equal the kernel's the
 * value is passed through, masked to the bits the driver knows. */
#include "events/encoder.h"
#include "events/flags.h"
#include "families.h"
#include "ubuf.h"

#define STR_MAX 4096

static void put_res(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }
static void put_fd(struct evbuf *b, const struct enc_ctx *c, int i) { evb_s64(b, (int32_t)c->args[i]); }

/* O_CLOEXEC / O_NONBLOCK / O_DIRECT on fd-creating calls (dup3, pipe2,
 * eventfd2, signalfd4, inotify_init1): as the driver's file flags. */
static const struct flag_map fd_create_flags_map[] = {
	FM_ANY(02000000, 1 << 12), /* O_CLOEXEC */
	FM_ANY(04000, 1 << 6),     /* O_NONBLOCK */
	FM_ANY(040000, 1 << 9),    /* O_DIRECT (pipe2) */
	FM_END,
};

static const struct flag_map io_uring_setup_map[] = {
	FM_ANY(0x01, 0x01), /* IORING_SETUP_IOPOLL */
	FM_ANY(0x02, 0x02), /* IORING_SETUP_SQPOLL */
	FM_ANY(0x04, 0x08), /* IORING_SETUP_SQ_AFF */
	FM_ANY(0x08, 0x10), /* IORING_SETUP_CQSIZE */
	FM_ANY(0x10, 0x20), /* IORING_SETUP_CLAMP */
	FM_ANY(0x20, 0x40), /* IORING_SETUP_ATTACH_WQ */
	FM_ANY(0x40, 0x80), /* IORING_SETUP_R_DISABLED */
	FM_END,
};

static const struct flag_map fchownat_flags_map[] = {
	FM_ANY(0x100, 0x400),   /* AT_SYMLINK_NOFOLLOW */
	FM_ANY(0x1000, 0x1000), /* AT_EMPTY_PATH */
	FM_END,
};

static const struct flag_map delete_module_flags_map[] = {
	FM_ANY(04000, 0x2), /* O_NONBLOCK */
	FM_ANY(01000, 0x1), /* O_TRUNC */
	FM_END,
};

static uint32_t fd_flags(uint64_t native) { return flags_to_ppm(fd_create_flags_map, native); }

/* The first 64 bits of a sigset the tracee passed (0 if unreadable). */
static uint32_t sigset_word(const struct enc_ctx *c, uint64_t addr)
{
	uint32_t w = 0;
	if (addr && mem_read_exact(c->mem, addr, &w, sizeof w) != 0)
		w = 0;
	return w;
}

void modern_dup_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	put_fd(b, c, 1); /* dup2/dup3: newfd (dup has no second param) */
	evb_u32(b, fd_flags(c->args[2]));
}

void modern_pipe2_x(struct evbuf *b, const struct enc_ctx *c)
{
	fd_pipe_x(b, c);
	evb_u32(b, fd_flags(c->args[1]));
}

void modern_flags16_x(struct evbuf *b, const struct enc_ctx *c) /* inotify_init1 */
{
	put_res(b, c);
	evb_u16(b, (uint16_t)fd_flags(c->args[0]));
}

void modern_eventfd2_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u16(b, (uint16_t)fd_flags(c->args[1]));
	evb_u64(b, (uint32_t)c->args[0]);
}

void modern_signalfd4_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u16(b, (uint16_t)fd_flags(c->args[3]));
	put_fd(b, c, 0);
	evb_u32(b, sigset_word(c, c->args[1]));
}

void modern_epoll_create_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_s32(b, (int32_t)c->args[0]);
}

void modern_epoll_create1_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u32(b, (c->args[0] & 02000000) ? 1 : 0); /* EPOLL_CLOEXEC */
}

void modern_accept4_x(struct evbuf *b, const struct enc_ctx *c)
{
	net_accept_x(b, c);
	evb_s32(b, (int32_t)c->args[3]);
}

void modern_umount2_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	ub_put_str(b, c->mem, c->args[0], STR_MAX);
	evb_u32(b, (uint32_t)c->args[1] & 0xf);
}

void modern_chown_x(struct evbuf *b, const struct enc_ctx *c) /* chown, lchown */
{
	put_res(b, c);
	ub_put_str(b, c->mem, c->args[0], STR_MAX);
	evb_u32(b, (uint32_t)c->args[1]);
	evb_u32(b, (uint32_t)c->args[2]);
}

void modern_fchown_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	evb_u32(b, (uint32_t)c->args[1]);
	evb_u32(b, (uint32_t)c->args[2]);
}

void modern_fchownat_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	ub_put_str(b, c->mem, c->args[1], STR_MAX);
	evb_u32(b, (uint32_t)c->args[2]);
	evb_u32(b, (uint32_t)c->args[3]);
	evb_u32(b, flags_to_ppm(fchownat_flags_map, c->args[4]));
}

void modern_mlock_x(struct evbuf *b, const struct enc_ctx *c) /* mlock, munlock, mlock2 */
{
	put_res(b, c);
	evb_u64(b, c->args[0]);
	evb_u64(b, c->args[1]);
	evb_u32(b, (uint32_t)c->args[2] & 0x1); /* mlock2: MLOCK_ONFAULT */
}

void modern_mlockall_x(struct evbuf *b, const struct enc_ctx *c) /* mlockall, munlockall */
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0] & 0x7);
}

/* capset: the sets the call asked for (v2/v3 layout: two 32-bit halves
 * of effective, permitted, inheritable); after a failure the sets did not
 * change, and the driver's read of the new sets is not known: zeros. */
void modern_capset_x(struct evbuf *b, const struct enc_ctx *c)
{
	uint32_t d[6] = { 0 };
	put_res(b, c);
	if (c->ret != 0 || mem_read_exact(c->mem, c->args[1], d, sizeof d) != 0) {
		for (int i = 0; i < 3; i++)
			evb_u64(b, 0);
		return;
	}
	evb_u64(b, d[2] | (uint64_t)d[5] << 32); /* inheritable */
	evb_u64(b, d[1] | (uint64_t)d[4] << 32); /* permitted */
	evb_u64(b, d[0] | (uint64_t)d[3] << 32); /* effective */
}

void modern_bpf_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]);
}

void modern_prctl_x(struct evbuf *b, const struct enc_ctx *c)
{
	enum { PR_SET_NAME = 15, PR_GET_NAME = 16, PR_GET_CHILD_SUBREAPER = 37 };
	uint32_t opt = (uint32_t)c->args[0];
	put_res(b, c);
	evb_u32(b, opt);
	if (opt == PR_SET_NAME || opt == PR_GET_NAME) {
		ub_put_str(b, c->mem, c->args[1], 16);
		evb_s64(b, 0);
		return;
	}
	evb_strn(b, "", 0);
	int32_t v = 0;
	if (opt == PR_GET_CHILD_SUBREAPER) {
		/* the value the call stored */
		if (c->ret < 0 || mem_read_exact(c->mem, c->args[1], &v, sizeof v) != 0)
			v = 0;
		evb_s64(b, v);
	} else {
		evb_s64(b, (int64_t)c->args[1]);
	}
}

void modern_memfd_create_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	ub_put_str(b, c->mem, c->args[0], 256);
	evb_u32(b, (uint32_t)c->args[1] & 0x7);
}

void modern_pidfd_getfd_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	put_fd(b, c, 1);
	evb_u32(b, (uint32_t)c->args[2]);
}

void modern_pidfd_open_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_s64(b, (int32_t)c->args[0]);
	evb_u32(b, (c->args[1] & 04000) ? 1 : 0); /* PIDFD_NONBLOCK */
}

void modern_init_module_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	uint64_t len = c->args[1];
	ub_put_bytes(b, c->mem, c->args[0], len < c->snaplen ? len : c->snaplen);
	evb_u64(b, len);
	ub_put_str(b, c->mem, c->args[2], STR_MAX);
}

void modern_finit_module_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	ub_put_str(b, c->mem, c->args[1], STR_MAX);
	evb_u32(b, (uint32_t)c->args[2] & 0x7);
}

void modern_delete_module_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	ub_put_str(b, c->mem, c->args[0], 256);
	evb_u32(b, flags_to_ppm(delete_module_flags_map, c->args[1]));
}

/* mknod's mode: type bits and permissions have the kernel's values */
void modern_mknod_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	ub_put_str(b, c->mem, c->args[0], STR_MAX);
	evb_u32(b, (uint32_t)c->args[1] & 0xffff);
	evb_u32(b, (uint32_t)c->args[2]);
}

void modern_mknodat_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	ub_put_str(b, c->mem, c->args[1], STR_MAX);
	evb_u32(b, (uint32_t)c->args[2] & 0xffff);
	evb_u32(b, (uint32_t)c->args[3]);
}

void modern_newfstatat_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	ub_put_str(b, c->mem, c->args[1], STR_MAX);
	/* AT_SYMLINK_NOFOLLOW, AT_NO_AUTOMOUNT, AT_EMPTY_PATH: kernel values */
	evb_u32(b, (uint32_t)c->args[3] & 0x1900);
}

/* process_vm_readv/writev: the local buffers' data, as read after the
 * call (what was copied in, or out) */
void modern_process_vm_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_s64(b, (int32_t)c->args[0]);
	size_t want = c->ret > 0 ? (size_t)c->ret : 0;
	if (want > c->snaplen)
		want = c->snaplen;
	uint8_t *d = evb_reserve(b, want);
	if (!d)
		return;
	size_t got = 0;
	if (want)
		ub_iov_read(c->mem, c->args[1], c->args[2], d, want, &got, false);
	evb_commit(b, got);
}

void modern_setreid_x(struct evbuf *b, const struct enc_ctx *c) /* setreuid, setregid */
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]);
	evb_u32(b, (uint32_t)c->args[1]);
}

void modern_io_uring_setup_x(struct evbuf *b, const struct enc_ctx *c)
{
	/* struct io_uring_params: sq_entries, cq_entries, flags,
	 * sq_thread_cpu, sq_thread_idle, features (u32 each) */
	uint32_t p[6] = { 0 };
	if (mem_read_exact(c->mem, c->args[1], p, sizeof p) != 0)
		for (int i = 0; i < 6; i++)
			p[i] = 0;
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]);
	evb_u32(b, p[0]);
	evb_u32(b, p[1]);
	evb_u32(b, flags_to_ppm(io_uring_setup_map, p[2]));
	evb_u32(b, p[3]);
	evb_u32(b, p[4]);
	evb_u32(b, p[5] & 0x7ff);
}

void modern_io_uring_enter_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	evb_u32(b, (uint32_t)c->args[1]);
	evb_u32(b, (uint32_t)c->args[2]);
	evb_u32(b, (uint32_t)c->args[3] & 0xf);
	/* with IORING_ENTER_EXT_ARG the pointer is not a sigset */
	evb_u32(b, (c->args[3] & 0x8) ? 0 : sigset_word(c, c->args[4]));
}

void modern_io_uring_register_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_fd(b, c, 0);
	evb_u16(b, (uint16_t)c->args[1]);
	evb_u64(b, c->args[2]);
	evb_u32(b, (uint32_t)c->args[3]);
}

void modern_fsconfig_x(struct evbuf *b, const struct enc_ctx *c)
{
	enum { SET_STRING = 1, SET_BINARY = 2, SET_PATH = 3, SET_PATH_EMPTY = 4 };
	uint32_t cmd = (uint32_t)c->args[1];
	int32_t aux = (int32_t)c->args[4];
	put_res(b, c);
	put_fd(b, c, 0);
	evb_u32(b, cmd);
	ub_put_str(b, c->mem, c->args[2], 256);
	if (cmd == SET_BINARY && aux > 0) {
		ub_put_bytes(b, c->mem, c->args[3], (size_t)aux < c->snaplen ? (size_t)aux : c->snaplen);
		evb_strn(b, "", 0);
	} else if (cmd == SET_STRING || cmd == SET_PATH || cmd == SET_PATH_EMPTY) {
		evb_bytes(b, NULL, 0);
		ub_put_str(b, c->mem, c->args[3], STR_MAX);
	} else {
		evb_bytes(b, NULL, 0);
		evb_strn(b, "", 0);
	}
	evb_s32(b, aux);
}

void modern_close_range_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]);
	evb_u32(b, (uint32_t)c->args[1]);
	evb_u32(b, (uint32_t)c->args[2] & 0x6);
}

/* keyctl: the operation and its four arguments as numbers (the dynamic
 * param's index 0) */
void modern_keyctl_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]);
	for (int i = 1; i <= 4; i++) {
		uint8_t *d = evb_reserve(b, 9);
		if (!d)
			return;
		d[0] = 0;
		uint64_t v = c->args[i];
		__builtin_memcpy(d + 1, &v, 8);
		evb_commit(b, 9);
	}
}

void modern_open_by_handle_at_x(struct evbuf *b, const struct enc_ctx *c)
{
	uint64_t dev = 0, ino = 0;
	put_res(b, c);
	put_fd(b, c, 0);
	evb_u32(b, flags_to_ppm(open_flags_map, c->args[2]));
	/* path: what the handle resolved to is not known without reading
	 * the new fd's link; left empty */
	evb_strn(b, "", 0);
	if (c->ret < 0 || !c->st || !c->st->fd_stat || c->st->fd_stat(c->st->ctx, c->pid, c->ret, &dev, &ino) != 0)
		dev = ino = 0;
	evb_u32(b, (uint32_t)dev);
	evb_u64(b, ino);
}
