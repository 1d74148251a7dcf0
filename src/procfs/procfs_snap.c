/* Process snapshots for the process events (docs/schema.md §6, "What
 * the process events carry"), assembled from three layers:
 * - the thread's stat, re-read through a kept fd for each event (comm,
 *   ppid, page faults, memory: what changes all the time);
 * - its status and cwd, cached per thread (procfs_thread.c);
 * - per process, the image and the lineage fields (procfs_image.c).
 * A cached value lives PROCFS_TTL_NS at most, which bounds what an in-place
 * change nobody reports (setproctitle, a loginuid write, a cgroup move, a
 * renamed cwd) can leave stale. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "procfs/procfs.h"
#include "procfs_internal.h"
#include "procfs_io.h"

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

/* The argv and envp areas straight from the process's memory, both in one
 * process_vm_readv: cheaper than /proc/<pid>/cmdline and environ for a new
 * process, and the same bytes while argv is as exec laid it out. Sets each
 * area's byte count, or -1 when it was not read. The text goes to
 * pf->scratch and pf->env_scratch (kept there, not on the stack). */
static void read_areas(struct procfs *pf, int64_t pid, const struct mm_mark *mm, ssize_t *argv_n, ssize_t *env_n)
{
	char *scratch = pf->scratch, *env_scratch = pf->env_scratch;
	struct iovec local[2], remote[2];
	size_t len[2] = { 0, 0 };
	int count = 0;
	*argv_n = *env_n = -1;
	if (mm->arg_start && mm->arg_end > mm->arg_start) {
		/* the driver's page of it */
		len[0] = mm->arg_end - mm->arg_start < PROC_STR_MAX ? (size_t)(mm->arg_end - mm->arg_start) : PROC_STR_MAX;
		local[count] = (struct iovec){ scratch, len[0] };
		remote[count++] = (struct iovec){ (void *)(uintptr_t)mm->arg_start, len[0] };
	}
	if (mm->env_start && mm->env_end > mm->env_start) {
		len[1] = mm->env_end - mm->env_start < sizeof pf->env_scratch ? (size_t)(mm->env_end - mm->env_start)
		                                                              : sizeof pf->env_scratch;
		local[count] = (struct iovec){ env_scratch, len[1] };
		remote[count++] = (struct iovec){ (void *)(uintptr_t)mm->env_start, len[1] };
	}
	if (!count)
		return;
	ssize_t n = process_vm_readv((pid_t)pid, local, (unsigned long)count, remote, (unsigned long)count, 0);
	if (n <= 0)
		return;
	/* a transfer never splits an iovec: each area is whole or absent */
	size_t got = (size_t)n;
	if (len[0]) {
		if (got < len[0])
			return;
		*argv_n = (ssize_t)len[0];
		got -= len[0];
	}
	if (len[1] && got >= len[1])
		*env_n = (ssize_t)len[1];
}

/* n: what read_areas got of argv (in pf->scratch), or -1 */
static void read_cmdline(struct procfs *pf, struct proc_snapshot *s, const char *path, ssize_t n)
{
	char *scratch = pf->scratch;
	/* As the driver: the argv area's first page, its last byte made a NUL
	 * (a rewritten argv, setproctitle, is taken as it is); argv[0] is the
	 * exe, the rest the args. /proc only when the memory was unreadable. */
	if (n <= 0)
		n = pf_read(path, scratch, PROC_STR_MAX);
	if (n <= 0) {
		/* kernel thread or zombie: no argv */
		memcpy(s->exe, s->comm, sizeof(s->comm));
		return;
	}
	size_t len = (size_t)n < PROC_STR_MAX ? (size_t)n : PROC_STR_MAX;
	scratch[len - 1] = '\0';
	size_t a0 = strnlen(scratch, len);
	memcpy(s->exe, scratch, a0 + 1);
	s->args_len = len - (a0 + 1);
	memcpy(s->args, scratch + a0 + 1, s->args_len);
}

/* n: what read_areas got of the env (in pf->env_scratch), or -1 */
static void read_env(struct procfs *pf, struct proc_snapshot *s, const char *path, ssize_t n)
{
	if (n <= 0)
		n = pf_read(path, pf->env_scratch, PROC_STR_MAX);
	if (n > 0)
		s->env_len = copy_strlist(s->env, PROC_STR_MAX, pf->env_scratch, (size_t)n);
}

static void read_cgroups(struct procfs *pf, struct proc_snapshot *s, const char *path)
{
	char *scratch = pf->scratch;
	ssize_t n = pf_read(path, scratch, sizeof(pf->scratch));
	/* a full buffer may end mid-line: keep whole lines only, so no cut
	 * path is reported as a real cgroup */
	if (n == (ssize_t)sizeof(pf->scratch)) {
		char *nl = memrchr(scratch, '\n', sizeof(pf->scratch));
		n = nl ? nl - scratch + 1 : 0;
	}
	if (n > 0)
		s->cgroups_len = procfs_cgroups_convert(scratch, (size_t)n, s->cgroups, sizeof(s->cgroups));
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

void snap_forget_exec(struct procfs *pf, int64_t tid)
{
	image_forget_exec(pf, tid);
	/* a set-id program changes the credentials: see exec_creds */
	struct tentry *e = tc_find(pf, tid);
	if (e) {
		e->exec_pending = tc_status_fresh(pf, e, procfs_mono_ns());
		e->status_ok = false;
	}
}

/* The credentials after an exec, without reading status when the program
 * cannot have changed them: no set-id bit, no file capabilities. The ids
 * stay; the fs ids follow the effective ones; the capabilities follow the
 * kernel's exec rules for a file without capabilities: permitted is the
 * bounding and inheritable sets for root (real or effective) plus the
 * ambient set, effective is permitted for an effective root and the
 * ambient set for anyone else; inheritable and ambient stay. Fills
 * s->exepath and *f on the way: returns 1 when
 * the credentials are known, 0 when they must be read, -1 when the exe could
 * not be looked at either. */
static int exec_creds(struct procfs *pf, struct tentry *e, struct proc_snapshot *s, struct exe_facts *f)
{
	char path[64];
	e->exec_pending = false;
	if (pf_path(path, sizeof path, e->tid, "exe") || pf_readlink(path, s->exepath, sizeof s->exepath) < 0 ||
	    procfs_exe_facts(pf, e->tid, tc_mnt_id(pf, e), s->exepath, f))
		return -1;
	if ((f->mode & (S_ISUID | S_ISGID)) || f->file_caps)
		return 0;
	struct thread_status *su = &e->su;
	su->fsuid = su->uid;
	su->fsgid = su->gid;
	bool root = su->uid == 0 || su->ruid == 0;
	su->cap_prm = (root ? su->cap_bnd | su->cap_inh : 0) | su->cap_amb;
	su->cap_eff = su->uid == 0 ? su->cap_prm : su->cap_amb;
	su->vm_swap_kb = 0; /* a new mm */
	e->status_ok = true;
	return 1;
}

/* The exe's inode, times and kind, as the driver's execve exit gives them. */
static void exe_identity(struct proc_snapshot *s, const struct exe_facts *f)
{
	s->exe_ino = f->ino;
	s->exe_ctime_ns = f->ctime_ns;
	s->exe_mtime_ns = f->mtime_ns;
	/* memfd_create names the file "memfd:NAME", and /proc shows an
	 * unlinked one with " (deleted)" */
	s->exe_memfd = f->unlinked && !strncmp(s->exepath, "/memfd:", 7);
	s->exe_layer = f->overlay ? f->layer : EXE_NOT_OVERLAY;
}

/* The image fields, read in full. f: the exe's facts, if known. */
static void read_image(struct procfs *pf, struct tentry *e, struct proc_snapshot *s, const struct exe_facts *f)
{
	const struct thread_status *x = &e->su;
	const struct mm_mark *mm = &e->st.mm;
	char path[64];
	int64_t tid = s->tid;
	ssize_t argv_n, env_n;
	read_areas(pf, tid, mm, &argv_n, &env_n);
	if (!pf_path(path, sizeof(path), tid, "cmdline"))
		read_cmdline(pf, s, path, argv_n);
	if (!pf_path(path, sizeof(path), tid, "environ"))
		read_env(pf, s, path, env_n);
	struct exe_facts facts;
	if (!f && !pf_path(path, sizeof(path), tid, "exe") && pf_readlink(path, s->exepath, sizeof(s->exepath)) >= 0 &&
	    procfs_exe_facts(pf, tid, tc_mnt_id(pf, e), s->exepath, &facts) == 0)
		f = &facts;
	s->exe_writable = f ? procfs_exe_writable(f, x) : 0;
	if (f)
		exe_identity(s, f);
}

/* When the init of pdig's PID namespace (its /proc/1) started, in ns since
 * boot: stat's starttime, in clock ticks. It lives as long as the
 * namespace, so it is read once. 0 when unreadable. */
static uint64_t init_start_ns(struct procfs *pf)
{
	if (!pf->init_start_ns) {
		char buf[1024];
		ssize_t n = pf_read("/proc/1/stat", buf, sizeof buf - 1);
		const char *f = NULL;
		if (n > 0) {
			buf[n] = '\0';
			f = procfs_stat_field(buf, (size_t)n, 22);
		}
		long hz = sysconf(_SC_CLK_TCK);
		unsigned long long ticks = f ? strtoull(f, NULL, 10) : 0;
		pf->init_start_ns = ticks && hz > 0 ? ticks * (1000000000ull / (uint64_t)hz) : UINT64_MAX;
	}
	return pf->init_start_ns == UINT64_MAX ? 0 : pf->init_start_ns;
}

/* loginuid and cgroups: a fork child's are its parent's, exec keeps them. */
static uint64_t lineage(struct procfs *pf, struct tentry *e, struct proc_snapshot *s, uint64_t now)
{
	char path[64];
	uint64_t at;
	if (image_lineage_get(pf, s, e->forked_from, now, &at) == 0)
		return at;
	if (!pf_path(path, sizeof(path), s->tid, "loginuid"))
		s->loginuid = read_loginuid(path);
	if (!pf_path(path, sizeof(path), s->tid, "cgroup"))
		read_cgroups(pf, s, path);
	return now;
}

/* The thread's stat as of now: a pread, or what its creator's clone just
 * read (a new thread shares its creator's mm, comm and process ids). */
static int fresh_stat(struct procfs *pf, struct tentry *e, uint64_t now, bool *derived)
{
	*derived = e->creator && tc_stat_of_new_thread(pf, e) == 0;
	if (*derived)
		return 0;
	if (e->stat_reuse_once && e->stat_ok && now - e->stat_at < PROCFS_TTL_NS / 10) {
		e->stat_reuse_once = false;
		return 0;
	}
	return tc_read_stat(pf, e);
}

const struct proc_snapshot *procfs_proc(void *ctx, int64_t tid)
{
	struct procfs *pf = ctx;
	struct proc_snapshot *s = &pf->snap;
	/* the scalars; the 4 KiB buffers only need to be empty strings */
	memset(s, 0, offsetof(struct proc_snapshot, exe));
	s->exe[0] = s->exepath[0] = s->cwd[0] = s->root[0] = '\0';
	s->args_len = s->env_len = s->cgroups_len = 0;
	s->loginuid = -1;
	struct tentry *e = tc_get(pf, tid);
	if (!e)
		return NULL;
	uint64_t now = procfs_mono_ns();
	bool derived;
	struct exe_facts facts;
	const struct exe_facts *f = NULL;
	if (fresh_stat(pf, e, now, &derived)) {
		tc_forget(pf, tid);
		return NULL;
	}
	if (!tc_status_fresh(pf, e, now)) {
		int known = e->exec_pending ? exec_creds(pf, e, s, &facts) : -1;
		if (known >= 0)
			f = &facts;
		if (known < 1 && tc_read_status(pf, e)) {
			tc_forget(pf, tid);
			return NULL;
		}
	}
	const struct thread_stat *st = &e->st;
	const struct thread_status *su = &e->su;
	s->tid = tid;
	s->pid = su->pid;
	s->ptid = st->ptid;
	s->pgid = st->pgid;
	s->sid = st->sid;
	s->tty = st->tty;
	s->pgft_maj = st->pgft_maj;
	s->pgft_min = st->pgft_min;
	s->vm_size_kb = st->vm_size_kb;
	s->vm_rss_kb = st->vm_rss_kb;
	memcpy(s->comm, st->comm, sizeof s->comm);
	s->vtid = su->vtid;
	s->vpid = su->vpid;
	s->in_pidns = su->ns_count > 1 || tc_kids_elsewhere(pf, e);
	/* the init of a nested namespace is not looked for: unknown */
	s->pidns_init_start_ns = su->ns_count <= 1 ? init_start_ns(pf) : 0;
	s->uid = su->uid;
	s->gid = su->gid;
	s->cap_inh = su->cap_inh;
	s->cap_prm = su->cap_prm;
	s->cap_eff = su->cap_eff;
	/* NSpgid: the group id in the thread's own namespace; in pdig's,
	 * stat's pgrp is that already, and fresh */
	s->vpgid = su->ns_count > 1 && su->vpgid >= 0 ? su->vpgid : st->pgid;
	s->vm_swap_kb = su->vm_swap_kb;
	copy_cstr(s->cwd, tc_fs_link(pf, e, FS_CWD, now), sizeof s->cwd);
	/* exec keeps the root: cached like the cwd */
	copy_cstr(s->root, tc_fs_link(pf, e, FS_ROOT, now), sizeof s->root);
	/* a new thread shares its creator's limits */
	s->fdlimit = derived ? e->fdlimit.value : tc_fdlimit(pf, e, now);
	if (image_exec_get(pf, s, &st->mm, su, now)) {
		lineage(pf, e, s, now);
	} else {
		read_image(pf, e, s, f);
		image_put(pf, s, &st->mm, su, now, lineage(pf, e, s, now));
	}
	/* last: the image cache looks a fork child up by its parent process */
	if (e->rparent_tid && e->rparent_pid == s->ptid)
		s->ptid = e->rparent_tid;
	return s;
}

int procfs_ids(struct procfs *pf, int64_t tid, int64_t *tgid, int64_t *ppid)
{
	struct tentry *e = tc_get(pf, tid);
	if (!e || (!tc_status_fresh(pf, e, procfs_mono_ns()) && tc_read_status(pf, e)))
		return -1;
	*tgid = e->su.pid;
	*ppid = e->su.ppid;
	return 0;
}
