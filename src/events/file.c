/* file family: path-based syscalls (open*, creat, chdir, chroot, mkdir*,
 * rmdir, unlink*, rename*, link*, symlink*, chmod*, mount, umount, stat,
 * access, quotactl). Params follow the e5c53d64 kernel fillers; where the driver
 * would drop the event on a bad user pointer we emit an empty param. */
#include <stdbool.h>
#include <string.h>

#include "events/encoder.h"
#include "families.h"
#include "events/flags.h"

#define PATH_CAP 4096  /* PATH_MAX, NUL included */
#define PPM_AT_FDCWD (-100)

enum { BAD_EMPTY, BAD_NULL };

/* A path/string param read from the tracee. NULL pointer -> "(NULL)" as
 * the driver writes. Unreadable -> "" for exit events; the enter fillers
 * of open/creat/openat/openat2 write "(NULL)" instead (on_bad). */
static void put_path(struct evbuf *b, const struct enc_ctx *c, uint64_t addr, int on_bad)
{
	char s[PATH_CAP];
	if (!addr) {
		evb_str(b, NULL);
		return;
	}
	ssize_t n = mem_read_str(c->mem, addr, s, sizeof(s));
	if (n < 0) {
		evb_str(b, on_bad == BAD_NULL ? NULL : "");
		return;
	}
	evb_strn(b, s, (size_t)n);
}

/* dirfd params: AT_FDCWD is compared as an int, like the driver does. */
static void put_dirfd(struct evbuf *b, uint64_t v)
{
	evb_s64(b, (int32_t)v == PPM_AT_FDCWD ? PPM_AT_FDCWD : (int64_t)v);
}

/* "dev" and "ino" of an opened fd (one stat): 0 when the open failed or
 * the state is unknown. */
struct dev_ino {
	uint32_t dev;
	uint64_t ino;
};

static struct dev_ino fd_dev_ino(const struct enc_ctx *c, int64_t fd)
{
	uint64_t dev = 0, ino = 0;
	if (fd < 0 || !c->st || !c->st->fd_stat ||
	    c->st->fd_stat(c->st->ctx, c->pid, fd, &dev, &ino) != 0)
		return (struct dev_ino){ 0, 0 };
	/* For any kernel device (12-bit major, 20-bit minor) the low 32 bits
	 * of a stat(2) dev_t are exactly the driver's new_encode_dev(). */
	return (struct dev_ino){ (uint32_t)dev, ino };
}

/* dev, then ino (4.0.1+; the buffer drops it for 1.0.0) */
static void put_dev_ino(struct evbuf *b, const struct enc_ctx *c)
{
	struct dev_ino di = fd_dev_ino(c, c->ret);
	evb_u32(b, di.dev);
	evb_u64(b, di.ino);
}

/* ---- open family ---- */

void file_open_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_path(b, c, c->args[0], BAD_NULL);
	evb_u32(b, flags_to_ppm(open_flags_map, c->args[1]));
	evb_u32(b, open_mode_to_ppm(c->args[1], c->args[2]));
}

void file_open_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_path(b, c, c->args[0], BAD_EMPTY);
	evb_u32(b, flags_to_ppm(open_flags_map, c->args[1]));
	evb_u32(b, open_mode_to_ppm(c->args[1], c->args[2]));
	put_dev_ino(b, c);
}

#define NATIVE_O_CREAT 0100

void file_creat_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_path(b, c, c->args[0], BAD_NULL);
	evb_u32(b, open_mode_to_ppm(NATIVE_O_CREAT, c->args[1]));
}

void file_creat_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_path(b, c, c->args[0], BAD_EMPTY);
	evb_u32(b, open_mode_to_ppm(NATIVE_O_CREAT, c->args[1]));
	put_dev_ino(b, c);
	/* creat_flags (4.0.1+): the overlay layer of the new file, which pdig
	 * cannot see: none */
	evb_u16(b, 0);
}

void file_openat_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_NULL);
	evb_u32(b, flags_to_ppm(open_flags_map, c->args[2]));
	evb_u32(b, open_mode_to_ppm(c->args[2], c->args[3]));
}

void file_openat_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_EMPTY);
	evb_u32(b, flags_to_ppm(open_flags_map, c->args[2]));
	evb_u32(b, open_mode_to_ppm(c->args[2], c->args[3]));
	put_dev_ino(b, c);
}

/* struct open_how (linux/openat2.h): u64 flags, mode, resolve. Only the
 * first min(size, 24) bytes are read, the rest stays 0. Returns false when
 * nothing could be read: then all three params are empty (0), rather than
 * flags 0 claiming O_RDONLY. */
struct open_how_v0 {
	uint64_t flags, mode, resolve;
};

static bool read_how(const struct enc_ctx *c, struct open_how_v0 *how)
{
	uint8_t raw[sizeof(*how)] = { 0 };
	uint64_t size = c->args[3];
	size_t want = size < sizeof(raw) ? (size_t)size : sizeof(raw);
	bool ok = c->args[2] && want &&
		  c->mem->read(c->mem->ctx, c->args[2], raw, want) == (ssize_t)want;
	if (!ok)
		memset(raw, 0, sizeof(raw));
	memcpy(how, raw, sizeof(*how));
	return ok;
}

static void put_how(struct evbuf *b, const struct enc_ctx *c)
{
	struct open_how_v0 how;
	bool ok = read_how(c, &how);
	evb_u32(b, ok ? flags_to_ppm(open_flags_map, how.flags) : 0);
	evb_u32(b, open_mode_to_ppm(how.flags, how.mode));
	evb_u32(b, flags_to_ppm(resolve_flags_map, how.resolve));
}

void file_openat2_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_NULL);
	put_how(b, c);
}

void file_openat2_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_EMPTY);
	put_how(b, c);
	/* dev and ino since 4.0.1: a stat only when the schema has them */
	if (evb_keeps(b, 6))
		put_dev_ino(b, c);
}

/* ---- res + path(s) exits ---- */

/* Two or three path params of one event, read together (one readv). */
struct paths {
	uint64_t addr[3];
	ssize_t len[3];
	char s[3][PATH_CAP];
};

static void read_paths(const struct enc_ctx *c, struct paths *p, size_t n)
{
	char *const dst[3] = { p->s[0], p->s[1], p->s[2] };
	const size_t cap[3] = { PATH_CAP, PATH_CAP, PATH_CAP };
	mem_read_strs(c->mem, n, p->addr, dst, cap, p->len);
}

/* As put_path(..., BAD_EMPTY) would write path i. */
static void put_read_path(struct evbuf *b, const struct paths *p, size_t i)
{
	if (!p->addr[i])
		evb_str(b, NULL);
	else if (p->len[i] < 0)
		evb_str(b, "");
	else
		evb_strn(b, p->s[i], (size_t)p->len[i]);
}

/* res, path(arg0): chdir, chroot, mkdir, rmdir, unlink, stat, lstat,
 * access, umount. */
void file_res_path0_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_path(b, c, c->args[0], BAD_EMPTY);
}

/* res, path(arg0), path(arg1): rename, link, symlink. */
void file_res_path01_x(struct evbuf *b, const struct enc_ctx *c)
{
	struct paths p = { .addr = { c->args[0], c->args[1] } };
	read_paths(c, &p, 2);
	evb_s64(b, c->ret);
	put_read_path(b, &p, 0);
	put_read_path(b, &p, 1);
}

void file_fchdir_e(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, (int64_t)c->args[0]); }
void file_res_x(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }

/* The driver leaves mkdir's enter mode at its default, 0. */
void file_mkdir_e(struct evbuf *b, const struct enc_ctx *c) { evb_u32(b, 0); }

void file_mkdirat_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_EMPTY);
	evb_u32(b, (uint32_t)c->args[2]); /* raw, as the driver does */
}

void file_unlinkat_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_EMPTY);
	evb_u32(b, flags_to_ppm(unlinkat_flags_map, c->args[2]));
}

/* res, olddirfd, oldpath, newdirfd, newpath */
static void at2_paths(struct evbuf *b, const struct enc_ctx *c)
{
	struct paths p = { .addr = { c->args[1], c->args[3] } };
	read_paths(c, &p, 2);
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_read_path(b, &p, 0);
	put_dirfd(b, c->args[2]);
	put_read_path(b, &p, 1);
}

void file_renameat_x(struct evbuf *b, const struct enc_ctx *c) { at2_paths(b, c); }

void file_renameat2_x(struct evbuf *b, const struct enc_ctx *c)
{
	at2_paths(b, c);
	/* RENAME_* and PPM_RENAME_* coincide; the driver copies the register */
	evb_u32(b, (uint32_t)c->args[4]);
}

void file_linkat_x(struct evbuf *b, const struct enc_ctx *c)
{
	at2_paths(b, c);
	evb_u32(b, flags_to_ppm(linkat_flags_map, c->args[4]));
}

void file_symlinkat_x(struct evbuf *b, const struct enc_ctx *c)
{
	struct paths p = { .addr = { c->args[0], c->args[2] } };
	read_paths(c, &p, 2);
	evb_s64(b, c->ret);
	put_read_path(b, &p, 0);
	put_dirfd(b, c->args[1]);
	put_read_path(b, &p, 1);
}

void file_chmod_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_path(b, c, c->args[0], BAD_EMPTY);
	evb_u32(b, flags_to_ppm(file_mode_map, c->args[1]));
}

void file_fchmod_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	evb_s64(b, (int64_t)c->args[0]);
	evb_u32(b, flags_to_ppm(file_mode_map, c->args[1]));
}

void file_fchmodat_x(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, c->ret);
	put_dirfd(b, c->args[0]);
	put_path(b, c, c->args[1], BAD_EMPTY);
	evb_u32(b, flags_to_ppm(file_mode_map, c->args[2]));
}

/* ---- mount ---- */

/* MS_MGC_VAL in the top 16 bits is a legacy marker the kernel strips. */
#define MS_MGC_MSK 0xffff0000ull
#define MS_MGC_VAL 0xc0ed0000ull

void file_mount_e(struct evbuf *b, const struct enc_ctx *c)
{
	uint64_t f = c->args[3];
	if ((f & MS_MGC_MSK) == MS_MGC_VAL)
		f &= ~MS_MGC_MSK;
	evb_u32(b, (uint32_t)f); /* PPM_MS_* == MS_* bit for bit */
}

void file_mount_x(struct evbuf *b, const struct enc_ctx *c)
{
	/* dev (source), dir, type */
	struct paths p = { .addr = { c->args[0], c->args[1], c->args[2] } };
	read_paths(c, &p, 3);
	evb_s64(b, c->ret);
	put_read_path(b, &p, 0);
	put_read_path(b, &p, 1);
	put_read_path(b, &p, 2);
}

/* umount2 flags: PPM_MNT_* == MNT_* (and UMOUNT_NOFOLLOW); copied raw. */
void file_umount_e(struct evbuf *b, const struct enc_ctx *c) { evb_u32(b, (uint32_t)c->args[1]); }

/* access(2) mode is an int: only the low 32 bits count. */
void file_access_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u32(b, flags_to_ppm(access_flags_map, (uint32_t)c->args[1]));
}

/* ---- quotactl ---- */

#define PPM_Q_QUOTAON (1 << 0)
#define PPM_Q_GETFMT (1 << 2)
#define PPM_Q_GETINFO (1 << 3)
#define PPM_Q_SETINFO (1 << 4)
#define PPM_Q_GETQUOTA (1 << 5)
#define PPM_Q_SETQUOTA (1 << 6)
#define PPM_Q_XGETQUOTA (1 << 10)
#define PPM_Q_XSETQLIM (1 << 11)
#define PPM_QFMT_NOT_USED (1 << 0)

static uint16_t quota_cmd(uint64_t cmd) { return (uint16_t)flags_to_ppm(quotactl_cmd_map, cmd >> 8); }

static uint8_t quota_fmt(uint64_t fmt)
{
	uint32_t f = flags_to_ppm(quotactl_fmt_map, fmt);
	return f ? (uint8_t)f : PPM_QFMT_NOT_USED;
}

/* cmd, type, id (only for the per-id commands), quota_fmt (QUOTAON's id
 * argument is the format). */
void file_quotactl_e(struct evbuf *b, const struct enc_ctx *c)
{
	uint16_t cmd = quota_cmd(c->args[0]);
	bool per_id = cmd & (PPM_Q_GETQUOTA | PPM_Q_SETQUOTA | PPM_Q_XGETQUOTA | PPM_Q_XSETQLIM);
	evb_u16(b, cmd);
	evb_u8(b, (uint8_t)flags_to_ppm(quotactl_type_map, c->args[0] & 0xff));
	evb_u32(b, per_id ? (uint32_t)c->args[2] : 0);
	evb_u8(b, cmd == PPM_Q_QUOTAON ? quota_fmt(c->args[2]) : PPM_QFMT_NOT_USED);
}

/* linux/quota.h: struct if_dqblk, struct if_dqinfo and their valid bits. */
struct q_dqblk {
	uint64_t bhard, bsoft, curspace, ihard, isoft, curinodes, btime, itime;
	uint32_t valid;
};
struct q_dqinfo {
	uint64_t bgrace, igrace;
	uint32_t flags, valid;
};

/* The exit reports the struct addr points to, decoded by cmd, whatever
 * the result (as the driver does); an unreadable struct reports zeros. */
void file_quotactl_x(struct evbuf *b, const struct enc_ctx *c)
{
	uint16_t cmd = quota_cmd(c->args[0]);
	uint64_t addr = c->args[3];
	struct q_dqblk q = { 0 };
	struct q_dqinfo i = { 0 };
	uint32_t fmt = 0;

	evb_s64(b, c->ret);
	put_path(b, c, c->args[1], BAD_EMPTY);
	if (cmd == PPM_Q_QUOTAON)
		put_path(b, c, addr, BAD_EMPTY);
	else
		evb_str(b, "");
	if ((cmd & (PPM_Q_GETQUOTA | PPM_Q_SETQUOTA)) && mem_read_exact(c->mem, addr, &q, sizeof(q)) != 0)
		memset(&q, 0, sizeof(q));
	evb_u64(b, q.valid & 1 ? q.bhard : 0);     /* QIF_BLIMITS */
	evb_u64(b, q.valid & 1 ? q.bsoft : 0);
	evb_u64(b, q.valid & 2 ? q.curspace : 0);  /* QIF_SPACE */
	evb_u64(b, q.valid & 4 ? q.ihard : 0);     /* QIF_ILIMITS */
	evb_u64(b, q.valid & 4 ? q.isoft : 0);
	evb_u64(b, q.valid & 16 ? q.btime : 0);    /* QIF_BTIME */
	evb_u64(b, q.valid & 32 ? q.itime : 0);    /* QIF_ITIME */
	if ((cmd & (PPM_Q_GETINFO | PPM_Q_SETINFO)) && mem_read_exact(c->mem, addr, &i, sizeof(i)) != 0)
		memset(&i, 0, sizeof(i));
	evb_u64(b, i.valid & 1 ? i.bgrace : 0);    /* IIF_BGRACE */
	evb_u64(b, i.valid & 2 ? i.igrace : 0);    /* IIF_IGRACE */
	evb_u8(b, i.valid & 4 ? (uint8_t)i.flags : 0); /* IIF_FLAGS, raw like the driver */
	if (cmd == PPM_Q_GETFMT && mem_read_exact(c->mem, addr, &fmt, sizeof(fmt)) == 0)
		evb_u8(b, quota_fmt(fmt));
	else
		evb_u8(b, PPM_QFMT_NOT_USED);
}
