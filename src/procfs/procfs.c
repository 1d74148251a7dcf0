/* /proc-based process snapshots for the process events (schema.md §4,
 * "Content conventions"), plus fd_stat. Sockets are in procfs_sock.c. */
#include "procfs.h"

#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "procfs_io.h"

#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif

/* fstat of a tracee's fd through a pidfd_getfd dup (procfs_sock.c). */
int procfs_fd_fstat(int64_t pid, int64_t fd, struct stat *st);

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

/* The events carry KiB in 32 bits: a larger size (a sanitizer's shadow
 * mapping reaches 20 TiB) saturates instead of wrapping. */
static uint32_t kb32(uint64_t kb)
{
	return kb > UINT32_MAX ? UINT32_MAX : (uint32_t)kb;
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
		s->vm_size_kb = kb32(nth_num(v, 0));
	} else if (!strcmp(line, "VmRSS")) {
		s->vm_rss_kb = kb32(nth_num(v, 0));
	} else if (!strcmp(line, "VmSwap")) {
		s->vm_swap_kb = kb32(nth_num(v, 0));
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

/* Where the kernel put argv and envp (stat fields 48-51): a fork child
 * shares its parent's values until it execs, and exec always lays out a
 * fresh stack, so equal values mean an equal, un-exec'd memory image. */
struct mm_mark {
	uint64_t arg_start, arg_end, env_start, env_end;
};

/* /proc/<tid>/stat: comm may hold spaces and ')', so fields start after
 * the last ')'. Returns -1 when the thread is gone. */
static int read_stat(struct proc_snapshot *s, struct mm_mark *mm, const char *path)
{
	char buf[1024];
	ssize_t n = pf_read(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = memrchr(buf, ')', (size_t)n);
	char *open_paren = memchr(buf, '(', (size_t)n);
	if (!p || !open_paren || open_paren > p)
		return -1;
	/* comm is what lies between the first '(' and the last ')': the same
	 * task name /proc/<tid>/comm shows, without another file read */
	size_t clen = (size_t)(p - open_paren - 1);
	if (clen > sizeof(s->comm) - 1)
		clen = sizeof(s->comm) - 1;
	memcpy(s->comm, open_paren + 1, clen);
	s->comm[clen] = '\0';
	/* after ')': state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt ...; f[i] is field i + 2 of proc(5) */
	uint64_t f[50] = {0};
	p++;
	while (*p == ' ')
		p++;
	if (*p)
		p++; /* state letter */
	for (int i = 1; i < 50; i++) {
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
	mm->arg_start = f[46];
	mm->arg_end = f[47];
	mm->env_start = f[48];
	mm->env_end = f[49];
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

/* The per-process part of the last full snapshot: the fields only exec
 * changes. Threads and fork children of a busy process reuse it, so a
 * thread or fork event costs 3 /proc reads instead of 15. Kept 100 ms at
 * most, which bounds what a rare in-place change (setproctitle, a
 * loginuid write, a cgroup move) can leave stale. */
#define INHERIT_TTL_NS 100000000ull
static struct inherited {
	bool valid;
	int64_t pid;  /* the process it was read from */
	uint64_t at;
	struct mm_mark mm;
	uint32_t fsuid, fsgid;
	uint64_t cap_eff;
	uint8_t exe_writable;
	int32_t loginuid;
	char exe[PROC_STR_MAX], exepath[PROC_STR_MAX], root[PROC_STR_MAX];
	char args[PROC_STR_MAX], env[PROC_STR_MAX], cgroups[PROC_STR_MAX];
	size_t args_len, env_len, cgroups_len;
} inh;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool inherit(struct proc_snapshot *s, const struct mm_mark *mm, const struct status_extra *x)
{
	/* only for the same process, or its child before any exec */
	bool kin = s->pid == inh.pid || (s->tid == s->pid && s->ptid == inh.pid);
	if (!inh.valid || !kin || mm->arg_start == 0 || memcmp(mm, &inh.mm, sizeof *mm) ||
	    x->fsuid != inh.fsuid || x->fsgid != inh.fsgid || x->cap_eff != inh.cap_eff ||
	    mono_ns() - inh.at > INHERIT_TTL_NS)
		return false;
	memcpy(s->exe, inh.exe, sizeof s->exe);
	memcpy(s->exepath, inh.exepath, sizeof s->exepath);
	memcpy(s->root, inh.root, sizeof s->root);
	memcpy(s->args, inh.args, inh.args_len);
	memcpy(s->env, inh.env, inh.env_len);
	memcpy(s->cgroups, inh.cgroups, inh.cgroups_len);
	s->args_len = inh.args_len;
	s->env_len = inh.env_len;
	s->cgroups_len = inh.cgroups_len;
	s->exe_writable = inh.exe_writable;
	s->loginuid = inh.loginuid;
	return true;
}

static void remember(const struct proc_snapshot *s, const struct mm_mark *mm, const struct status_extra *x)
{
	inh.valid = mm->arg_start != 0;
	inh.pid = s->pid;
	inh.at = mono_ns();
	inh.mm = *mm;
	inh.fsuid = x->fsuid;
	inh.fsgid = x->fsgid;
	inh.cap_eff = x->cap_eff;
	inh.exe_writable = s->exe_writable;
	inh.loginuid = s->loginuid;
	memcpy(inh.exe, s->exe, sizeof inh.exe);
	memcpy(inh.exepath, s->exepath, sizeof inh.exepath);
	memcpy(inh.root, s->root, sizeof inh.root);
	memcpy(inh.args, s->args, s->args_len);
	memcpy(inh.env, s->env, s->env_len);
	memcpy(inh.cgroups, s->cgroups, s->cgroups_len);
	inh.args_len = s->args_len;
	inh.env_len = s->env_len;
	inh.cgroups_len = s->cgroups_len;
}

void procfs_forget_image(void)
{
	inh.valid = false;
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

	struct mm_mark mm;
	memset(&mm, 0, sizeof mm);
	if (pf_path(path, sizeof(path), tid, "stat") || read_stat(s, &mm, path))
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

	/* cwd and the fd limit change without exec: always read (1 call each) */
	if (!pf_path(path, sizeof(path), tid, "cwd"))
		pf_readlink(path, s->cwd, sizeof(s->cwd));
	if (!pf_path(path, sizeof(path), tid, "limits"))
		s->fdlimit = read_fdlimit(tid, path);
	if (inherit(s, &mm, &x))
		return s;
	if (!pf_path(path, sizeof(path), tid, "cmdline"))
		read_cmdline(s, path);
	if (!pf_path(path, sizeof(path), tid, "environ"))
		read_env(s, path);
	if (!pf_path(path, sizeof(path), tid, "exe")) {
		pf_readlink(path, s->exepath, sizeof(s->exepath));
		s->exe_writable = exe_writable(path, &x);
	}
	if (!pf_path(path, sizeof(path), tid, "root"))
		pf_readlink(path, s->root, sizeof(s->root));
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
	remember(s, &mm, &x);
	return s;
}

int64_t procfs_status_field(int64_t tid, const char *key)
{
	char path[64], buf[2048];
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
	struct stat st;
	(void)ctx;
	if (fd < 0 || fd > INT32_MAX)
		return -1;
	/* a dup through the cached pidfd is cheaper than a /proc path walk */
	if (procfs_fd_fstat(pid, fd, &st) != 0) {
		snprintf(what, sizeof(what), "fd/%" PRId64, fd);
		if (pf_path(path, sizeof(path), pid, what) || stat(path, &st) != 0)
			return -1;
	}
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
