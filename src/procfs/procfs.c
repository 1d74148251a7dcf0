/* /proc-based process snapshots for the process events (schema.md §4,
 * "Content conventions"), plus fd_stat. Sockets are in procfs_sock.c. */
#include "procfs.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "procfs_io.h"

#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif

/* One snapshot, reused: proc() results are valid until the next call. */
static struct proc_snapshot snap;

/* Scratch for cmdline/cgroup text; static to keep the stack small. */
static char scratch[2 * PROC_STR_MAX];

/* What /proc/<tid>/status tells beyond the snapshot fields. */
struct status_extra {
	uint32_t fsuid, fsgid;
	uint64_t cap_eff;
	gid_t groups[64]; /* enough to be useful; the check is conservative */
	size_t ngroups;
	int have_tgid;
};

struct status_ctx {
	struct proc_snapshot *s;
	struct status_extra *x;
};

/* Value of the last whitespace-separated number on the line. */
static int64_t last_num(const char *p)
{
	const char *last = NULL;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		last = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return last ? strtoll(last, NULL, 10) : 0;
}

/* The idx-th (0-based) number of the line. */
static uint64_t nth_num(const char *p, int idx)
{
	char *end;
	uint64_t v = 0;
	for (int i = 0; i <= idx; i++) {
		v = strtoull(p, &end, 10);
		if (end == p)
			return 0;
		p = end;
	}
	return v;
}

static int status_line(char *line, void *arg)
{
	struct status_ctx *c = arg;
	struct proc_snapshot *s = c->s;
	char *v = strchr(line, ':');
	if (!v)
		return 0;
	*v++ = '\0';
	if (!strcmp(line, "Tgid")) {
		s->pid = strtoll(v, NULL, 10);
		c->x->have_tgid = 1;
	} else if (!strcmp(line, "PPid")) {
		s->ptid = strtoll(v, NULL, 10);
	} else if (!strcmp(line, "Uid")) {
		s->uid = (uint32_t)nth_num(v, 1);
		c->x->fsuid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Gid")) {
		s->gid = (uint32_t)nth_num(v, 1);
		c->x->fsgid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Groups")) {
		char *p = v, *end;
		while (c->x->ngroups < sizeof(c->x->groups) / sizeof(c->x->groups[0])) {
			unsigned long g = strtoul(p, &end, 10);
			if (end == p)
				break;
			c->x->groups[c->x->ngroups++] = (gid_t)g;
			p = end;
		}
	} else if (!strcmp(line, "VmSize")) {
		s->vm_size_kb = (uint32_t)nth_num(v, 0);
	} else if (!strcmp(line, "VmRSS")) {
		s->vm_rss_kb = (uint32_t)nth_num(v, 0);
	} else if (!strcmp(line, "VmSwap")) {
		s->vm_swap_kb = (uint32_t)nth_num(v, 0);
	} else if (!strcmp(line, "NSpid")) {
		/* innermost namespace id = last column */
		s->vtid = last_num(v);
	} else if (!strcmp(line, "NStgid")) {
		s->vpid = last_num(v);
	} else if (!strcmp(line, "CapEff")) {
		c->x->cap_eff = strtoull(v, NULL, 16);
	}
	return 0;
}

/* /proc/<tid>/stat: comm may hold spaces and ')', so fields start after
 * the last ')'. Returns -1 when the thread is gone. */
static int read_stat(struct proc_snapshot *s, const char *path)
{
	char buf[1024];
	ssize_t n = pf_read(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = memrchr(buf, ')', (size_t)n);
	if (!p)
		return -1;
	/* after ')': state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt */
	uint64_t f[10] = {0};
	p++;
	while (*p == ' ')
		p++;
	if (*p)
		p++; /* state letter */
	for (int i = 1; i < 10; i++) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		f[i] = (uint64_t)v;
		p = end;
	}
	s->pgid = (int64_t)f[2];
	s->sid = (int64_t)f[3];
	s->tty = (int32_t)f[4];
	s->pgft_min = f[7];
	s->pgft_maj = f[9];
	return 0;
}

/* Copies a NUL-separated list (cmdline args, environ) bounded to cap bytes;
 * a cut entry still ends in NUL. Returns the length. */
static size_t copy_strlist(char *dst, size_t cap, const char *src, size_t len)
{
	if (len > cap)
		len = cap;
	memcpy(dst, src, len);
	if (len && dst[len - 1] != '\0') {
		if (len == cap)
			dst[len - 1] = '\0';
		else
			dst[len++] = '\0';
	}
	return len;
}

static void read_cmdline(struct proc_snapshot *s, const char *path)
{
	/* argv[0] up to PROC_STR_MAX plus args up to PROC_STR_MAX: a larger
	 * argv is cut, never read in full. */
	ssize_t n = pf_read(path, scratch, sizeof(scratch));
	if (n <= 0) {
		/* kernel thread or zombie: no argv */
		memcpy(s->exe, s->comm, sizeof(s->comm));
		return;
	}
	size_t len = (size_t)n;
	char *nul = memchr(scratch, '\0', len);
	size_t a0 = nul ? (size_t)(nul - scratch) : len;
	size_t e = a0 < PROC_STR_MAX - 1 ? a0 : PROC_STR_MAX - 1;
	memcpy(s->exe, scratch, e);
	s->exe[e] = '\0';
	if (!nul)
		return;
	size_t off = a0 + 1;
	s->args_len = copy_strlist(s->args, PROC_STR_MAX, scratch + off, len - off);
}

static void read_env(struct proc_snapshot *s, const char *path)
{
	ssize_t n = pf_read(path, scratch, PROC_STR_MAX);
	if (n > 0)
		s->env_len = copy_strlist(s->env, PROC_STR_MAX, scratch, (size_t)n);
}

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

static uint64_t read_fdlimit(int64_t tid, const char *limits_path)
{
	struct rlimit rl;
	if (syscall(SYS_prlimit64, (pid_t)tid, RLIMIT_NOFILE, NULL, &rl) == 0)
		return (uint64_t)rl.rlim_cur;
	/* prlimit needs matching creds; /proc/<pid>/limits is world-readable */
	char buf[2048];
	ssize_t n = pf_read(limits_path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	char *l = strstr(buf, "Max open files");
	if (!l)
		return 0;
	l += strlen("Max open files");
	while (*l == ' ')
		l++;
	if (!strncmp(l, "unlimited", 9))
		return UINT64_MAX;
	return strtoull(l, NULL, 10);
}

static int32_t read_loginuid(const char *path)
{
	char buf[32];
	ssize_t n = pf_read(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *end;
	unsigned long long v = strtoull(buf, &end, 10);
	if (end == buf || v >= 4294967295ULL)
		return -1;
	return (int32_t)v;
}

/* A simplified inode_permission(MAY_WRITE) for the exe, checked with the
 * process's fs ids, like the kernel driver: read-only fs -> no; owner ->
 * yes; CAP_DAC_OVERRIDE/CAP_FOWNER -> yes; else the group/other w bit. */
static uint8_t exe_writable(const char *exe_link, const struct status_extra *x)
{
	struct stat st;
	struct statfs sf;
	if (stat(exe_link, &st) != 0)
		return 0;
	if (statfs(exe_link, &sf) == 0 && (sf.f_flags & ST_RDONLY))
		return 0;
	if (st.st_uid == x->fsuid)
		return 1;
	if (x->cap_eff & ((1ULL << 1) | (1ULL << 3)))
		return 1;
	int in_group = st.st_gid == x->fsgid;
	for (size_t i = 0; !in_group && i < x->ngroups; i++)
		in_group = st.st_gid == x->groups[i];
	return (st.st_mode & (in_group ? S_IWGRP : S_IWOTH)) ? 1 : 0;
}

static const struct proc_snapshot *procfs_proc(void *ctx, int64_t tid)
{
	char path[64];
	struct proc_snapshot *s = &snap;
	struct status_extra x;
	(void)ctx;
	memset(s, 0, sizeof(*s));
	memset(&x, 0, sizeof(x));
	s->loginuid = -1;
	s->vtid = s->vpid = -1;

	if (pf_path(path, sizeof(path), tid, "stat") || read_stat(s, path))
		return NULL;
	s->tid = tid;

	struct status_ctx sc = {s, &x};
	if (pf_path(path, sizeof(path), tid, "status") || pf_lines(path, status_line, &sc) < 0 ||
	    !x.have_tgid)
		return NULL;
	/* no NSpid (very old kernels): not namespaced as far as we know */
	if (s->vtid < 0)
		s->vtid = tid;
	if (s->vpid < 0)
		s->vpid = s->pid;

	if (!pf_path(path, sizeof(path), tid, "comm")) {
		ssize_t n = pf_read(path, s->comm, sizeof(s->comm) - 1);
		if (n < 0)
			n = 0;
		s->comm[n] = '\0';
		char *nl = strchr(s->comm, '\n');
		if (nl)
			*nl = '\0';
	}
	if (!pf_path(path, sizeof(path), tid, "cmdline"))
		read_cmdline(s, path);
	if (!pf_path(path, sizeof(path), tid, "environ"))
		read_env(s, path);
	if (!pf_path(path, sizeof(path), tid, "exe")) {
		pf_readlink(path, s->exepath, sizeof(s->exepath));
		s->exe_writable = exe_writable(path, &x);
	}
	if (!pf_path(path, sizeof(path), tid, "cwd"))
		pf_readlink(path, s->cwd, sizeof(s->cwd));
	if (!pf_path(path, sizeof(path), tid, "root"))
		pf_readlink(path, s->root, sizeof(s->root));
	if (!pf_path(path, sizeof(path), tid, "limits"))
		s->fdlimit = read_fdlimit(tid, path);
	if (!pf_path(path, sizeof(path), tid, "loginuid"))
		s->loginuid = read_loginuid(path);
	if (!pf_path(path, sizeof(path), tid, "cgroup")) {
		ssize_t n = pf_read(path, scratch, sizeof(scratch));
		/* a full buffer may end mid-line: keep whole lines only, so no
		 * cut path is reported as a real cgroup */
		if (n == (ssize_t)sizeof(scratch)) {
			char *nl = memrchr(scratch, '\n', sizeof(scratch));
			n = nl ? nl - scratch + 1 : 0;
		}
		if (n > 0)
			s->cgroups_len = procfs_cgroups_convert(scratch, (size_t)n, s->cgroups,
								sizeof(s->cgroups));
	}
	return s;
}

static int procfs_fd_stat(void *ctx, int64_t pid, int64_t fd, uint64_t *dev, uint64_t *ino)
{
	char what[32], path[64];
	struct stat st;
	(void)ctx;
	if (fd < 0 || fd > INT32_MAX)
		return -1;
	snprintf(what, sizeof(what), "fd/%" PRId64, fd);
	if (pf_path(path, sizeof(path), pid, what) || stat(path, &st) != 0)
		return -1;
	*dev = procfs_encode_dev(major(st.st_dev), minor(st.st_dev));
	*ino = (uint64_t)st.st_ino;
	return 0;
}

/* in procfs_sock.c */
int procfs_sock(void *ctx, int64_t pid, int64_t fd, struct sock_names *out);
uint64_t procfs_sock_id(void *ctx, int64_t pid, int64_t fd);

void procfs_state_init(struct tracee_state *st)
{
	st->ctx = NULL;
	st->proc = procfs_proc;
	st->sock = procfs_sock;
	st->fd_stat = procfs_fd_stat;
	st->sock_id = procfs_sock_id;
}
