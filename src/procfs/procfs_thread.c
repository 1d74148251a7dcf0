/* Per-thread cache behind the process snapshots. A thread's stat and status
 * fds stay open (a pread re-reads them); credentials, namespace ids and
 * the cwd are kept until the thread makes a syscall that changes them
 * (procfs_note_syscall) or PROCFS_TTL_NS passes; a new thread or child
 * starts with its creator's, which the kernel copied at the clone
 * (procfs_note_clone). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "procfs.h"
#include "procfs_internal.h"
#include "procfs_io.h"

#define TC_SLOTS 64

static struct tentry table[TC_SLOTS];
static uint64_t use_clock, seq, mnt_seq;
static uint64_t cwd_gen; /* bumped by any chdir-like call of any tracee */
static bool cache_on;

uint64_t procfs_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void tc_clear(struct tentry *e)
{
	if (e->stat_fd >= 0)
		close(e->stat_fd);
	if (e->status_fd >= 0)
		close(e->status_fd);
	memset(e, 0, offsetof(struct tentry, link_path));
	e->stat_fd = e->status_fd = -1;
}

struct tentry *tc_find(int64_t tid)
{
	if (tid <= 0)
		return NULL;
	for (int i = 0; i < TC_SLOTS; i++) {
		if (table[i].tid == tid) {
			table[i].used = ++use_clock;
			return &table[i];
		}
	}
	return NULL;
}

struct tentry *tc_get(int64_t tid)
{
	struct tentry *e = tc_find(tid);
	if (e || tid <= 0 || tid > INT32_MAX)
		return e;
	struct tentry *victim = &table[0];
	for (int i = 0; i < TC_SLOTS; i++) {
		if (!table[i].tid) {
			victim = &table[i];
			break;
		}
		if (table[i].used < victim->used)
			victim = &table[i];
	}
	if (victim->tid)
		tc_clear(victim);
	else
		victim->stat_fd = victim->status_fd = -1;
	victim->tid = tid;
	victim->used = ++use_clock;
	return victim;
}

/* Whole file through a kept fd, opened on first use; -1 (fd closed) when
 * the thread is gone. A tid that died is never reused behind our back: the
 * old fd keeps failing, and procfs_forget drops the entry at its death. */
static ssize_t kept_read(int64_t tid, int *fd, const char *what, char *buf, size_t cap)
{
	if (*fd < 0) {
		char path[64];
		if (pf_path(path, sizeof path, tid, what))
			return -1;
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		if (*fd < 0)
			return -1;
	}
	ssize_t n = pf_pread(*fd, buf, cap);
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return -1;
	}
	return n;
}

/* The events carry KiB in 32 bits: a larger size (a sanitizer's shadow
 * mapping reaches 20 TiB) saturates instead of wrapping. */
static uint32_t kb32(uint64_t kb)
{
	return kb > UINT32_MAX ? UINT32_MAX : (uint32_t)kb;
}

/* comm may hold spaces and ')', so fields start after the last ')'. */
int procfs_parse_stat(char *buf, size_t n, struct thread_stat *out)
{
	memset(out, 0, sizeof *out);
	char *p = memrchr(buf, ')', n);
	char *open_paren = memchr(buf, '(', n);
	if (!p || !open_paren || open_paren > p)
		return -1;
	/* comm is what lies between the first '(' and the last ')' */
	size_t clen = (size_t)(p - open_paren - 1);
	if (clen > sizeof(out->comm) - 1)
		clen = sizeof(out->comm) - 1;
	memcpy(out->comm, open_paren + 1, clen);
	out->comm[clen] = '\0';
	/* after ')': state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt ...; f[i] is field i + 3 of proc(5) */
	char *end_of_buf = buf + n;
	uint64_t f[50] = {0};
	p++;
	while (p < end_of_buf && *p == ' ')
		p++;
	if (p < end_of_buf)
		p++; /* state letter */
	for (int i = 1; i < 50 && p < end_of_buf; i++) {
		char *end;
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		f[i] = (uint64_t)v;
		p = end;
	}
	out->ptid = (int64_t)f[1];
	out->pgid = (int64_t)f[2];
	out->sid = (int64_t)f[3];
	out->tty = (int32_t)f[4];
	out->pgft_min = f[7];
	out->pgft_maj = f[9];
	/* vsize in bytes and rss in pages: the mm counters status shows as
	 * VmSize and VmRSS */
	out->vm_size_kb = kb32(f[20] / 1024);
	out->vm_rss_kb = kb32(f[21] * (uint64_t)sysconf(_SC_PAGESIZE) / 1024);
	out->mm.arg_start = f[45];
	out->mm.arg_end = f[46];
	out->mm.env_start = f[47];
	out->mm.env_end = f[48];
	return 0;
}

int tc_read_stat(struct tentry *e)
{
	char buf[1024];
	ssize_t n = kept_read(e->tid, &e->stat_fd, "stat", buf, sizeof buf - 1);
	e->stat_ok = false;
	e->stat_reuse_once = false;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (procfs_parse_stat(buf, (size_t)n, &e->st))
		return -1;
	e->stat_ok = true;
	e->stat_seq = ++seq;
	e->stat_at = procfs_mono_ns();
	return 0;
}

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

static void status_line(char *line, char *v, struct thread_status *s, bool *have_tgid)
{
	if (!strcmp(line, "Tgid")) {
		s->pid = strtoll(v, NULL, 10);
		*have_tgid = true;
	} else if (!strcmp(line, "PPid")) {
		s->ppid = strtoll(v, NULL, 10);
	} else if (!strcmp(line, "Uid")) {
		s->uid = (uint32_t)nth_num(v, 1);
		s->fsuid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Gid")) {
		s->gid = (uint32_t)nth_num(v, 1);
		s->fsgid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Groups")) {
		char *p = v, *end;
		while (s->ngroups < sizeof(s->groups) / sizeof(s->groups[0])) {
			unsigned long g = strtoul(p, &end, 10);
			if (end == p)
				break;
			s->groups[s->ngroups++] = (gid_t)g;
			p = end;
		}
	} else if (!strcmp(line, "VmSwap")) {
		s->vm_swap_kb = kb32(nth_num(v, 0));
	} else if (!strcmp(line, "NSpid")) {
		/* innermost namespace id = last column */
		s->vtid = last_num(v);
	} else if (!strcmp(line, "NStgid")) {
		s->vpid = last_num(v);
	} else if (!strcmp(line, "CapEff")) {
		s->cap_eff = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapBnd")) {
		s->cap_bnd = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapAmb")) {
		s->cap_amb = strtoull(v, NULL, 16);
	}
}

void procfs_parse_status(char *buf, size_t n, struct thread_status *out, bool *have_tgid)
{
	memset(out, 0, sizeof *out);
	out->vtid = out->vpid = -1;
	*have_tgid = false;
	char *p = buf, *end = buf + n;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		*eol = '\0';
		char *colon = strchr(p, ':');
		if (colon) {
			*colon = '\0';
			status_line(p, colon + 1, out, have_tgid);
		}
		p = eol + 1;
	}
}

int tc_read_status(struct tentry *e)
{
	char buf[4096];
	ssize_t n = kept_read(e->tid, &e->status_fd, "status", buf, sizeof buf - 1);
	e->status_ok = false;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	bool have_tgid;
	procfs_parse_status(buf, (size_t)n, &e->su, &have_tgid);
	if (!have_tgid)
		return -1;
	/* no NSpid (very old kernels): not namespaced as far as we know */
	if (e->su.vtid < 0)
		e->su.vtid = e->tid;
	if (e->su.vpid < 0)
		e->su.vpid = e->su.pid;
	e->status_ok = true;
	e->exec_pending = false;
	e->status_at = procfs_mono_ns();
	return 0;
}

bool tc_status_fresh(const struct tentry *e, uint64_t now)
{
	return cache_on && e->status_ok && now - e->status_at < PROCFS_TTL_NS;
}

const char *tc_fs_link(struct tentry *e, enum fs_link which, uint64_t now)
{
	static const char *const names[FS_LINKS] = { "cwd", "root" };
	char *buf = e->link_path[which];
	if (cache_on && e->link[which].ok && e->link[which].gen == cwd_gen && now - e->link[which].at < PROCFS_TTL_NS)
		return buf;
	char path[64];
	e->link[which].ok = false;
	buf[0] = '\0';
	/* the generation before the read: a change racing with it is seen next time */
	uint64_t gen = cwd_gen;
	if (pf_path(path, sizeof path, e->tid, names[which]) || pf_readlink(path, buf, PROC_STR_MAX) < 0)
		return buf;
	e->link[which].ok = true;
	e->link[which].gen = gen;
	e->link[which].at = now;
	return buf;
}

uint64_t tc_read_fdlimit(int64_t tid)
{
	struct rlimit rl;
	if (syscall(SYS_prlimit64, (pid_t)tid, RLIMIT_NOFILE, NULL, &rl) == 0)
		return (uint64_t)rl.rlim_cur;
	/* prlimit needs matching creds; /proc/<pid>/limits is world-readable */
	char path[64], buf[2048];
	ssize_t n;
	if (pf_path(path, sizeof path, tid, "limits") || (n = pf_read(path, buf, sizeof(buf) - 1)) <= 0)
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

int tc_stat_of_new_thread(struct tentry *e)
{
	int64_t creator = e->creator;
	e->creator = 0;
	struct tentry *c = creator ? tc_find(creator) : NULL;
	if (!c)
		return -1;
	/* the creator's stat from after the clone: the parent's clone exit
	 * usually read it already; else read it now and let that exit use it */
	if (!c->stat_ok || c->stat_seq < e->clone_seq) {
		if (tc_read_stat(c))
			return -1;
		c->fdlimit = tc_read_fdlimit(c->tid);
		c->stat_reuse_once = true;
	}
	e->st = c->st;
	e->fdlimit = c->fdlimit;
	if (e->fork_child) {
		/* A copy of the creator's mm, its own process: fault counts
		 * start at zero, the parent is the creator's process. The rss is
		 * the creator's; the kernel counts only the pages it copied. */
		e->st.ptid = e->clone_parent ? c->st.ptid : c->su.pid;
		e->st.pgft_maj = e->st.pgft_min = 0;
	}
	e->stat_ok = true;
	e->stat_seq = ++seq;
	e->stat_at = c->stat_at;
	return 0;
}

int procfs_thread_cpu(int64_t tid)
{
	struct tentry *e = tc_get(tid);
	char buf[1024];
	ssize_t n = e ? kept_read(tid, &e->stat_fd, "stat", buf, sizeof buf - 1) : -1;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = memrchr(buf, ')', (size_t)n); /* comm may hold spaces */
	if (!p)
		return -1;
	/* after ')': field 3 (state) onwards; the CPU is field 39 */
	int field = 2;
	for (; *p && field < 39; p++)
		if (*p == ' ')
			field++;
	char *end;
	long cpu = strtol(p, &end, 10);
	return end == p || cpu < 0 || cpu > 65535 ? -1 : (int)cpu;
}

uint64_t tc_mnt_id(struct tentry *e)
{
	if (!e->mnt_id)
		e->mnt_id = ++mnt_seq;
	return e->mnt_id;
}

void procfs_forget(int64_t tid)
{
	struct tentry *e = tc_find(tid);
	if (e)
		tc_clear(e);
	procfs_forget_pidfd(tid);
}

void procfs_cache_enable(bool on)
{
	cache_on = on;
}

/* Syscalls after which the caller's credentials (status), some thread's
 * cwd or root, or the caller's mount view may have changed. exec is
 * handled by procfs_forget_exec. A switch: every traced syscall asks twice. */
enum { CHANGES_CREDS = 1, CHANGES_FS = 2, CHANGES_MNT = 4 };

static int changes(uint64_t nr)
{
	switch (nr) {
	case 105: case 106: case 113: case 114: case 116: /* set[ug]id, setre[ug]id, setgroups */
	case 117: case 119: case 122: case 123:           /* setres[ug]id, setfs[ug]id */
	case 126:                                         /* capset */
		return CHANGES_CREDS;
	case 80: case 81: case 161: case 155: /* chdir, fchdir, chroot, pivot_root */
		return CHANGES_FS;
	case 308: case 272: /* setns, unshare: credentials, fs and mounts */
		return CHANGES_CREDS | CHANGES_FS | CHANGES_MNT;
	default:
		return 0;
	}
}

bool procfs_watched(uint64_t nr)
{
	return changes(nr) != 0;
}

void procfs_note_syscall(int64_t tid, uint64_t nr)
{
	int what = changes(nr);
	if (!what)
		return;
	if (what & CHANGES_FS)
		cwd_gen++;
	struct tentry *e = (what & CHANGES_CREDS) ? tc_find(tid) : NULL;
	if (e) {
		e->status_ok = e->exec_pending = false;
		if (what & CHANGES_MNT)
			e->mnt_id = 0;
	}
}

/* Opened for writing, these change a lineage (procfs_image.c). */
static bool lineage_file(const char *path)
{
	static const char *const names[] = { "loginuid", "cgroup.procs", "cgroup.threads", "tasks" };
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(base, names[i]))
			return true;
	return false;
}

void procfs_note_exit(int64_t tid, uint64_t nr, const uint64_t *args, int64_t ret, const struct tracee_mem *mem)
{
	procfs_note_syscall(tid, nr);
	uint64_t path_arg, flags;
	switch (nr) {
	case 2: /* open */
		path_arg = args[0];
		flags = args[1];
		break;
	case 85: /* creat */
		path_arg = args[0];
		flags = O_WRONLY;
		break;
	case 257: /* openat */
		path_arg = args[1];
		flags = args[2];
		break;
	case 437: /* openat2: struct open_how starts with the u64 flags */
		path_arg = args[1];
		if (args[3] < 8 || mem_read_exact(mem, args[2], &flags, sizeof flags))
			flags = O_RDWR;
		break;
	default:
		return;
	}
	if (ret < 0 || (flags & O_ACCMODE) == O_RDONLY)
		return;
	char path[PROC_STR_MAX];
	if (mem_read_str(mem, path_arg, path, sizeof path) < 0 || lineage_file(path))
		image_lineage_dirty(procfs_mono_ns());
}

void procfs_note_clone(int64_t child, int64_t creator, uint64_t flags)
{
	const uint64_t clone_thread = 0x00010000;
	/* CLONE_NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID,
	 * NEWNET and CLONE_INTO_CGROUP: the child's view differs, read it */
	const uint64_t own_view = 0x80 | 0x00020000 | 0xfe000000 | 0x200000000ull;
	if (!cache_on || (flags & own_view) || child <= 0 || child == creator)
		return;
	uint64_t now = procfs_mono_ns();
	struct tentry *c = tc_get(creator);
	if (!c || (!tc_status_fresh(c, now) && tc_read_status(c)))
		return;
	/* namespaced ids cannot be derived from the tid: read them */
	if (c->su.vtid != creator || c->su.vpid != c->su.pid)
		return;
	for (int i = 0; i < FS_LINKS; i++)
		tc_fs_link(c, (enum fs_link)i, now);
	struct tentry *e = tc_get(child); /* c is the most recent: never the victim */
	if (!e)
		return;
	/* the kernel copied the creator's credentials and fs to the child */
	e->su = c->su;
	e->su.vtid = child;
	if (!(flags & clone_thread)) {
		e->su.pid = e->su.vpid = child;
		e->su.ppid = (flags & 0x00008000) ? c->su.ppid : c->su.pid; /* CLONE_PARENT */
	}
	e->status_ok = true;
	e->status_at = c->status_at;
	for (int i = 0; i < FS_LINKS; i++) {
		e->link[i] = c->link[i];
		copy_cstr(e->link_path[i], c->link_path[i], PROC_STR_MAX);
	}
	e->mnt_id = tc_mnt_id(c);
	e->creator = creator;
	e->fork_child = !(flags & clone_thread);
	e->forked_from = e->fork_child ? c->su.pid : 0;
	e->clone_parent = (flags & 0x00008000) != 0;
	e->clone_seq = ++seq;
}
