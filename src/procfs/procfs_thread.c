/* Per-thread cache behind the process snapshots. A thread's stat and status
 * fds stay open (a pread re-reads them); credentials, namespace ids and
 * the cwd are kept until the thread makes a syscall that changes them
 * (procfs_on_entry) or PROCFS_TTL_NS passes; a new thread or child
 * starts with its creator's, which the kernel copied at the clone
 * (procfs_on_clone, in procfs_notes.c; parsers in procfs_parse.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "abi/time_ns.h"
#include "procfs/procfs.h"
#include "procfs_internal.h"
#include "procfs_io.h"

uint64_t procfs_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
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

struct tentry *tc_find(struct procfs *pf, int64_t tid)
{
	if (tid <= 0)
		return NULL;
	for (int i = 0; i < TC_SLOTS; i++) {
		if (pf->table[i].tid == tid) {
			pf->table[i].used = ++pf->use_clock;
			return &pf->table[i];
		}
	}
	return NULL;
}

struct tentry *tc_get(struct procfs *pf, int64_t tid)
{
	struct tentry *e = tc_find(pf, tid);
	if (e || tid <= 0 || tid > INT32_MAX)
		return e;
	struct tentry *victim = &pf->table[0];
	for (int i = 0; i < TC_SLOTS; i++) {
		if (!pf->table[i].tid) {
			victim = &pf->table[i];
			break;
		}
		if (pf->table[i].used < victim->used)
			victim = &pf->table[i];
	}
	if (victim->tid)
		tc_clear(victim);
	else
		victim->stat_fd = victim->status_fd = -1;
	victim->tid = tid;
	victim->used = ++pf->use_clock;
	return victim;
}

/* Whole file through a kept fd, opened on first use; -1 (fd closed) when
 * the thread is gone. A tid that died is never reused behind our back: the
 * old fd keeps failing, and procfs_on_death drops the entry. */
/* Out of fds (a low RLIMIT_NOFILE): close the kept fds of the least
 * recently used other entry that has any; false if none has. */
static bool give_back_fds(struct procfs *pf, int64_t keep_tid)
{
	struct tentry *victim = NULL;
	for (int i = 0; i < TC_SLOTS; i++) {
		struct tentry *e = &pf->table[i];
		if (e->tid && e->tid != keep_tid && (e->stat_fd >= 0 || e->status_fd >= 0) &&
		    (!victim || e->used < victim->used))
			victim = e;
	}
	if (!victim)
		return false;
	if (victim->stat_fd >= 0)
		close(victim->stat_fd);
	if (victim->status_fd >= 0)
		close(victim->status_fd);
	victim->stat_fd = victim->status_fd = -1;
	return true;
}

static ssize_t kept_read(struct procfs *pf, int64_t tid, int *fd, const char *what, char *buf, size_t cap)
{
	if (*fd < 0) {
		char path[64];
		if (pf_path(path, sizeof path, tid, what))
			return -1;
		*fd = open(path, O_RDONLY | O_CLOEXEC);
		while (*fd < 0 && (errno == EMFILE || errno == ENFILE) && give_back_fds(pf, tid))
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

/* The stat to read: the driver reports the calling thread's own fault
 * counts, which /proc/TID/task/TID/stat shows. /proc/TID/stat adds up the
 * whole process, threads living and dead, so it is the same only for a
 * process that never had a second thread: a fork child pdig saw born that
 * has not cloned since (e->solo). Its first open costs ~5 us less here (no
 * task/TID entries to make), which a short-lived program feels. */
static const char *stat_name(struct tentry *e, char *buf, size_t cap)
{
	if (e->stat_fd >= 0 && e->stat_whole != e->solo) {
		close(e->stat_fd);
		e->stat_fd = -1;
	}
	int n = snprintf(buf, cap, "task/%lld/stat", (long long)e->tid);
	e->stat_whole = e->solo || n <= 0 || (size_t)n >= cap;
	return e->stat_whole ? "stat" : buf;
}

void tc_clone_made(struct procfs *pf, int64_t tid)
{
	struct tentry *e = tc_find(pf, tid);
	if (e)
		e->solo = false;
}

int tc_read_stat(struct procfs *pf, struct tentry *e)
{
	char buf[1024], what[40];
	const char *name = stat_name(e, what, sizeof what);
	bool was_open = e->stat_fd >= 0;
	ssize_t n = kept_read(pf, e->tid, &e->stat_fd, name, buf, sizeof buf - 1);
	if (n <= 0 && was_open) {
		/* the thread this entry described is gone (a process pdig only
		 * looked at, never saw die): whatever it cached is not about
		 * whoever has the id now; start afresh once */
		int64_t tid = e->tid;
		tc_clear(e);
		e->tid = tid;
		e->used = ++pf->use_clock;
		n = kept_read(pf, tid, &e->stat_fd, stat_name(e, what, sizeof what), buf, sizeof buf - 1);
	}
	e->stat_ok = false;
	e->stat_reuse_once = false;
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (procfs_parse_stat(buf, (size_t)n, &e->st))
		return -1;
	e->stat_ok = true;
	e->stat_seq = ++pf->seq;
	e->stat_at = procfs_mono_ns();
	return 0;
}

int tc_read_status(struct procfs *pf, struct tentry *e)
{
	char buf[4096];
	ssize_t n = kept_read(pf, e->tid, &e->status_fd, "status", buf, sizeof buf - 1);
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
	if (!e->su.ns_count) {
		e->su.ns_count = 1;
		e->su.ns_tid[0] = (int32_t)e->tid;
	}
	e->ns_known = true;
	e->status_ok = true;
	e->exec_pending = false;
	e->status_at = procfs_mono_ns();
	return 0;
}

bool tc_status_fresh(const struct procfs *pf, const struct tentry *e, uint64_t now)
{
	return pf->cache_on && e->status_ok && now - e->status_at < PROCFS_TTL_NS;
}

const char *tc_fs_link(struct procfs *pf, struct tentry *e, enum fs_link which, uint64_t now)
{
	static const char *const names[FS_LINKS] = { "cwd", "root" };
	char *buf = e->link_path[which];
	if (pf->cache_on && e->link[which].ok && e->link[which].gen == pf->cwd_gen && now - e->link[which].at < PROCFS_TTL_NS)
		return buf;
	char path[64];
	e->link[which].ok = false;
	buf[0] = '\0';
	/* the generation before the read: a change racing with it is seen next time */
	uint64_t gen = pf->cwd_gen;
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

void tc_limits_changed(struct procfs *pf)
{
	pf->limits_gen++;
}

uint64_t tc_fdlimit(struct procfs *pf, struct tentry *e, uint64_t now)
{
	if (pf->cache_on && e->fdlimit.ok && e->fdlimit.gen == pf->limits_gen && now - e->fdlimit.at < PROCFS_TTL_NS)
		return e->fdlimit.value;
	/* the generation before the read: a change racing with it is seen next time */
	e->fdlimit.gen = pf->limits_gen;
	e->fdlimit.value = tc_read_fdlimit(e->tid);
	e->fdlimit.ok = true;
	e->fdlimit.at = now;
	return e->fdlimit.value;
}

bool tc_kids_elsewhere(struct procfs *pf, struct tentry *e)
{
	if (!pf->cache_on || e->kids_ns == KIDS_UNKNOWN) {
		/* "pid:[INODE]" each; unreadable (no pid_for_children before
		 * Linux 4.12): taken as the thread's own */
		char own[64], kids[64], path[64];
		bool elsewhere = !pf_path(path, sizeof path, e->tid, "ns/pid") &&
				 pf_readlink(path, own, sizeof own) > 0 &&
				 !pf_path(path, sizeof path, e->tid, "ns/pid_for_children") &&
				 pf_readlink(path, kids, sizeof kids) > 0 && strcmp(own, kids) != 0;
		e->kids_ns = elsewhere ? KIDS_ELSEWHERE : KIDS_HERE;
	}
	return e->kids_ns == KIDS_ELSEWHERE;
}

int tc_stat_of_new_thread(struct procfs *pf, struct tentry *e)
{
	int64_t creator = e->creator;
	e->creator = 0;
	struct tentry *c = creator ? tc_find(pf, creator) : NULL;
	if (!c)
		return -1;
	/* the creator's stat from after the clone: the parent's clone exit
	 * usually read it already; else read it now and let that exit use it */
	if (!c->stat_ok || c->stat_seq < e->clone_seq) {
		if (tc_read_stat(pf, c))
			return -1;
		tc_fdlimit(pf, c, procfs_mono_ns());
		c->stat_reuse_once = true;
	}
	e->st = c->st;
	/* limits are per process and copied at fork */
	e->fdlimit = c->fdlimit;
	/* the kernel starts every child's fault counts at zero */
	e->st.pgft_maj = 0;
	e->st.pgft_min = e->birth_faults;
	if (e->fork_child) {
		/* A copy of the creator's mm, its own process: the parent is
		 * the creator's process. The rss is the creator's; the kernel
		 * counts only the pages it copied. */
		e->st.ptid = e->clone_parent ? c->st.ptid : c->su.pid;
	}
	e->stat_ok = true;
	e->stat_seq = ++pf->seq;
	e->stat_at = c->stat_at;
	return 0;
}

ssize_t tc_read_text(struct procfs *pf, int64_t tid, bool status, char *buf, size_t cap)
{
	struct tentry *e = tc_get(pf, tid);
	char what[40];
	if (!e || cap < 2)
		return -1;
	ssize_t n = status ? kept_read(pf, tid, &e->status_fd, "status", buf, cap - 1)
	                   : kept_read(pf, tid, &e->stat_fd, stat_name(e, what, sizeof what), buf, cap - 1);
	if (n > 0)
		buf[n] = '\0';
	return n;
}

const char *procfs_stat_field(const char *buf, size_t n, int field)
{
	const char *p = memrchr(buf, ')', n); /* comm may hold spaces */
	if (!p)
		return NULL;
	/* after ')': field 3 (state) onwards */
	int f = 2;
	for (; *p && f < field; p++)
		if (*p == ' ')
			f++;
	return p;
}

int procfs_thread_cpu(struct procfs *pf, int64_t tid)
{
	char buf[1024];
	ssize_t n = tc_read_text(pf, tid, false, buf, sizeof buf);
	const char *p = n > 0 ? procfs_stat_field(buf, (size_t)n, 39) : NULL; /* the CPU */
	if (!p)
		return -1;
	char *end;
	long cpu = strtol(p, &end, 10);
	return end == p || cpu < 0 || cpu > 65535 ? -1 : (int)cpu;
}

uint64_t tc_mnt_id(struct procfs *pf, struct tentry *e)
{
	if (!e->mnt_id)
		e->mnt_id = ++pf->mnt_seq;
	return e->mnt_id;
}

void tc_forget(struct procfs *pf, int64_t tid)
{
	struct tentry *e = tc_find(pf, tid);
	if (e)
		tc_clear(e);
	/* its children now belong to another of its process's threads, as a
	 * rule the leader: the process id stat shows */
	for (int i = 0; i < TC_SLOTS; i++)
		if (pf->table[i].rparent_tid == tid)
			pf->table[i].rparent_tid = pf->table[i].rparent_pid = 0;
	procfs_forget_pidfd(pf, tid);
}

bool tc_cache_on(const struct procfs *pf)
{
	return pf->cache_on;
}

void tc_fs_changed(struct procfs *pf)
{
	pf->cwd_gen++;
}

uint64_t tc_next_seq(struct procfs *pf)
{
	return ++pf->seq;
}
