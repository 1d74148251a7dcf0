/* The /proc-backed tracee_state: its setup, fd_stat, cgroup text
 * conversion and single status fields here; process snapshots in
 * procfs_snap.c (through the per-thread cache of procfs_thread.c); sockets
 * in procfs_sock.c; what the tracer tells procfs in procfs_notes.c. */
#include "procfs/procfs.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "procfs_internal.h"
#include "procfs_io.h"

/* statx of a tracee's fd through a pidfd_getfd dup (procfs_sock.c). */
int procfs_fd_statx(struct procfs *pf, int64_t pid, int64_t fd, struct pdig_statx *sx);

static size_t put_cgroup(char *out, size_t cap, size_t at, const char *ctrl, size_t clen,
			 const char *path, size_t plen)
{
	size_t need = clen + 1 + plen + 1;
	if (need > cap - at)
		return at;
	memcpy(out + at, ctrl, clen);
	out[at + clen] = '=';
	memcpy(out + at + clen + 1, path, plen);
	out[at + need - 1] = '\0';
	return at + need;
}

/* cgroup v1 lines "N:c1,c2:/path" give one entry per controller (named
 * hierarchies stay "name=systemd=/path"), as libscap and the kernel driver
 * do. The v2 line "0::/path" names no controller; like libscap's /proc scan
 * we give its path to cpu, memory and cpuset (the subsystems libsinsp looks
 * up), but only on a pure-v2 host: on hybrid hosts the v1 lines already
 * carry the container path and duplicates would shadow them. Container
 * engines match the path of any entry, so docker/containerd/crio paths
 * resolve on both layouts. */
size_t procfs_cgroups_convert(const char *text, size_t len, char *out, size_t cap)
{
	static const char *const v2_ctrls[] = {"cpu", "memory", "cpuset"};
	size_t at = 0;
	const char *v2path = NULL;
	size_t v2len = 0;
	int have_v1 = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		const char *c1 = memchr(p, ':', (size_t)(eol - p));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(eol - c1 - 1)) : NULL;
		if (c2) {
			const char *path = c2 + 1;
			size_t plen = (size_t)(eol - path);
			if (c2 == c1 + 1) {
				if (c1 - p == 1 && *p == '0') {
					v2path = path;
					v2len = plen;
				}
			} else {
				have_v1 = 1;
				const char *c = c1 + 1;
				while (c < c2) {
					const char *comma = memchr(c, ',', (size_t)(c2 - c));
					const char *ce = comma ? comma : c2;
					if (ce > c)
						at = put_cgroup(out, cap, at, c, (size_t)(ce - c), path, plen);
					c = ce + 1;
				}
			}
		}
		p = eol + 1;
	}
	if (!have_v1 && v2path) {
		for (size_t i = 0; i < sizeof(v2_ctrls) / sizeof(v2_ctrls[0]); i++)
			at = put_cgroup(out, cap, at, v2_ctrls[i], strlen(v2_ctrls[i]), v2path, v2len);
	}
	return at;
}

int64_t procfs_status_field(int64_t tid, const char *key)
{
	/* the whole file: a long Groups line pushes the late fields
	 * (Seccomp_filters) well past 2 KiB */
	char path[64], buf[16384];
	ssize_t n;
	if (pf_path(path, sizeof(path), tid, "status") || (n = pf_read(path, buf, sizeof(buf) - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	size_t klen = strlen(key);
	for (char *p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoll(p + klen + 1, NULL, 10);
	return -1;
}

static int procfs_fd_stat(void *ctx, int64_t pid, int64_t fd, uint64_t *dev, uint64_t *ino)
{
	char what[32], path[64];
	struct pdig_statx sx;
	if (fd < 0 || fd > INT32_MAX)
		return -1;
	/* a dup through the cached pidfd is cheaper than a /proc path walk */
	if (procfs_fd_statx(ctx, pid, fd, &sx) != 0) {
		snprintf(what, sizeof(what), "fd/%" PRId64, fd);
		if (pf_path(path, sizeof(path), pid, what) || procfs_statx(AT_FDCWD, path, 0, &sx) != 0) {
			/* no statx (older kernels, a seccomp profile that refuses it) */
			struct stat st;
			if (pf_path(path, sizeof(path), pid, what) || stat(path, &st) != 0)
				return -1;
			*dev = procfs_encode_dev(major(st.st_dev), minor(st.st_dev));
			*ino = (uint64_t)st.st_ino;
			return 0;
		}
	}
	/* the driver's dev is the superblock's, which st_dev is not everywhere */
	uint32_t maj = sx.dev_major, min = sx.dev_minor;
	bool no_flush = false;
	if (sx.mask & PDIG_STATX_MNT_ID)
		no_flush = procfs_mount_dev(pid, sx.mnt_id, &maj, &min, &no_flush) == 0 && no_flush;
	/* a device node's file takes its driver's operations, whatever the
	 * filesystem it lives on */
	struct procfs *pf = ctx;
	pf->last_fd.pid = pid;
	pf->last_fd.fd = fd;
	pf->last_fd.valid = true;
	pf->last_fd.clean = no_flush && (sx.mask & PDIG_STATX_TYPE) &&
	                    (S_ISREG(sx.mode) || S_ISDIR(sx.mode) || S_ISFIFO(sx.mode));
	*dev = procfs_encode_dev(maj, min);
	*ino = sx.ino;
	return 0;
}

static ssize_t procfs_fd_path(void *ctx, int64_t pid, int64_t fd, char *buf, size_t cap)
{
	char what[32], path[64];
	(void)ctx;
	if (fd < 0 || fd > INT32_MAX || cap < 2)
		return -1;
	snprintf(what, sizeof(what), "fd/%" PRId64, fd);
	return pf_path(path, sizeof(path), pid, what) ? -1 : pf_readlink(path, buf, cap);
}

/* in procfs_sock.c */
int procfs_sock(void *ctx, int64_t pid, int64_t fd, struct sock_names *out);
uint64_t procfs_sock_id(void *ctx, int64_t pid, int64_t fd);

void procfs_state_bind(struct tracee_state *st, struct procfs *pf)
{
	st->ctx = pf;
	st->proc = procfs_proc;
	st->sock = procfs_sock;
	st->fd_stat = procfs_fd_stat;
	st->sock_id = procfs_sock_id;
	st->fd_path = procfs_fd_path;
}

/* The process's instance (procfs.h says who reads through it). Until the
 * sinks stop reading /proc themselves, a reader wired with
 * procfs_state_init has no tracer to ask for its instance, so this one
 * stays file-level; a second tracer thread opens its own (procfs_open).
 * Static: it never fails and costs nothing until used. */
static struct procfs default_procfs;

struct procfs *procfs_default(void)
{
	return &default_procfs;
}

void procfs_state_init(struct tracee_state *st)
{
	procfs_state_bind(st, &default_procfs);
}

struct procfs *procfs_open(void)
{
	/* all zero is empty: fds are opened on first use */
	return calloc(1, sizeof(struct procfs));
}

void procfs_close(struct procfs *pf)
{
	if (!pf)
		return;
	for (int i = 0; i < TC_SLOTS; i++)
		if (pf->table[i].tid)
			tc_forget(pf, pf->table[i].tid);
	for (int i = 0; i < PIDFD_SLOTS; i++)
		if (pf->pidfds[i].pid)
			procfs_forget_pidfd(pf, pf->pidfds[i].pid);
	if (pf == &default_procfs)
		memset(pf, 0, sizeof *pf);
	else
		free(pf);
}

void procfs_cache_enable(struct procfs *pf, bool on, bool every_open_seen)
{
	pf->cache_on = on;
	pf->lineage_seen = every_open_seen;
}
