/* What the text renderer remembers between events: thread -> comm/pid and
 * (pid, fd) -> name. Direct-mapped tables: a collision evicts the older
 * entry, so memory stays fixed and a lost name only costs a prettier line. */
#include <errno.h>
#include <string.h>

#include "text_int.h"

#define TT_THREADS 1024 /* power of two */
#define TT_FDS 1024     /* power of two */
#define TT_NAME_LEN 255
#define PPM_CL_CLONE_THREAD (1u << 13)

struct tt_fd {
	int64_t pid, fd;
	bool used;
	char name[TT_NAME_LEN + 1];
};

static struct tt_thread threads[TT_THREADS];
static struct tt_fd fds[TT_FDS];

static size_t hash(uint64_t a, uint64_t b, size_t size)
{
	uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full);
	return (size_t)(h >> 32) & (size - 1);
}

const struct tt_thread *tt_thread(uint64_t tid)
{
	struct tt_thread *t = &threads[hash(tid, 0, TT_THREADS)];
	return t->used && t->tid == tid ? t : NULL;
}

/* The slot for tid, claimed (evicting) if needed. */
static struct tt_thread *thread_slot(uint64_t tid)
{
	struct tt_thread *t = &threads[hash(tid, 0, TT_THREADS)];
	if (!t->used || t->tid != tid) {
		memset(t, 0, sizeof *t);
		t->used = true;
		t->tid = tid;
		t->enter_fd = -1;
	}
	return t;
}

int64_t tt_pid_or_tid(uint64_t tid)
{
	const struct tt_thread *t = tt_thread(tid);
	return t && t->pid > 0 ? t->pid : (int64_t)tid;
}

static void set_thread(uint64_t tid, int64_t pid, const struct tev *e, int comm_idx)
{
	if (tid == 0)
		return;
	struct tt_thread *t = thread_slot(tid);
	if (pid > 0)
		t->pid = pid;
	if (comm_idx >= 0) {
		const uint8_t *v = e->val[comm_idx];
		size_t n = e->vlen[comm_idx];
		const uint8_t *z = memchr(v, 0, n);
		if (z)
			n = (size_t)(z - v);
		if (n > TT_COMM_LEN)
			n = TT_COMM_LEN;
		memcpy(t->comm, v, n);
		t->comm[n] = 0;
	}
}

void tt_describe(uint64_t tid, int64_t pid, const char *comm, size_t len)
{
	if (tid == 0)
		return;
	struct tt_thread *t = thread_slot(tid);
	if (pid > 0)
		t->pid = pid;
	size_t n = strnlen(comm, len < TT_COMM_LEN ? len : TT_COMM_LEN);
	memcpy(t->comm, comm, n);
	t->comm[n] = 0;
}

const char *tt_fd_name(int64_t pid, int64_t fd)
{
	const struct tt_fd *f = &fds[hash((uint64_t)pid, (uint64_t)fd, TT_FDS)];
	return f->used && f->pid == pid && f->fd == fd ? f->name : NULL;
}

static void fd_set(int64_t pid, int64_t fd, const char *name, size_t n)
{
	if (fd < 0 || n == 0)
		return;
	struct tt_fd *f = &fds[hash((uint64_t)pid, (uint64_t)fd, TT_FDS)];
	if (n > TT_NAME_LEN)
		n = TT_NAME_LEN;
	f->used = true;
	f->pid = pid;
	f->fd = fd;
	memcpy(f->name, name, n);
	f->name[n] = 0;
}

static void fd_drop(int64_t pid, int64_t fd)
{
	struct tt_fd *f = &fds[hash((uint64_t)pid, (uint64_t)fd, TT_FDS)];
	if (f->used && f->pid == pid && f->fd == fd)
		f->used = false;
}

static bool named(const struct tev *e, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(e->info->name, *names))
			return true;
	return false;
}

static const char *const exec_names[] = { "execve", "execveat", NULL };
static const char *const clone_names[] = { "clone", "fork", "vfork", "clone3", NULL };
static const char *const open_names[] = { "open", "openat", "openat2", "creat", NULL };

static void learn_clone(const struct tev *e)
{
	int64_t res, pid = 0, flags = 0;
	if (!tev_int_named(e, "res", &res) || res < 0)
		return;
	tev_int_named(e, "pid", &pid);
	tev_int_named(e, "flags", &flags);
	int comm = tev_find(e, "comm");
	/* Both sides describe the thread the event is about (docs/schema.md §6). */
	set_thread(e->tid, pid, e, comm);
	if (res > 0) /* parent side: the child starts with the parent's comm */
		set_thread((uint64_t)res, ((uint64_t)flags & PPM_CL_CLONE_THREAD) ? pid : res, e, comm);
}

static void learn_fd_from_str(const struct tev *e, int64_t fd, int idx)
{
	if (idx < 0)
		return;
	const uint8_t *z = memchr(e->val[idx], 0, e->vlen[idx]);
	size_t n = z ? (size_t)(z - e->val[idx]) : e->vlen[idx];
	fd_set(tt_pid_or_tid(e->tid), fd, (const char *)e->val[idx], n);
}

static void learn_fd_from_tuple(const struct tev *e, int64_t fd)
{
	int t = tev_find(e, "tuple");
	char buf[TT_NAME_LEN + 1];
	if (t >= 0 && text_tuple_str(e->val[t], e->vlen[t], buf, sizeof buf))
		fd_set(tt_pid_or_tid(e->tid), fd, buf, strlen(buf));
}

void tt_learn(const struct tev *e)
{
	if (!e->info || !e->info->name)
		return;
	bool exit_ev = e->type & 1;
	int64_t v, pid = 0;
	if (!exit_ev) {
		/* Exits of fd-using calls refer to the enter's fd (close, connect). */
		if (e->np >= 1 && e->info->params[0].type == PT_FD && tev_int(e, 0, &v))
			thread_slot(e->tid)->enter_fd = v;
		return;
	}
	if (named(e, exec_names)) {
		if (tev_int_named(e, "res", &v) && v == 0) {
			tev_int_named(e, "pid", &pid);
			set_thread(e->tid, pid, e, tev_find(e, "comm"));
		}
	} else if (named(e, clone_names)) {
		learn_clone(e);
	} else if (named(e, open_names)) {
		if (tev_int_named(e, "fd", &v) && v >= 0)
			learn_fd_from_str(e, v, tev_find(e, "name"));
	} else if (!strcmp(e->info->name, "accept")) {
		if (tev_int_named(e, "fd", &v) && v >= 0)
			learn_fd_from_tuple(e, v);
	} else if (!strcmp(e->info->name, "connect")) {
		const struct tt_thread *t = tt_thread(e->tid);
		if (t && t->enter_fd >= 0 && tev_int_named(e, "res", &v) && (v == 0 || v == -EINPROGRESS))
			learn_fd_from_tuple(e, t->enter_fd);
	}
}

void tt_after(const struct tev *e)
{
	if (!e->info || !e->info->name)
		return;
	int64_t v;
	if (e->type == EV_PROCEXIT_1_E) {
		const struct tt_thread *t = tt_thread(e->tid);
		int64_t pid = tt_pid_or_tid(e->tid);
		/* The process's fd table dies with its main thread. */
		if (pid == (int64_t)e->tid)
			for (size_t i = 0; i < TT_FDS; i++)
				if (fds[i].used && fds[i].pid == pid)
					fds[i].used = false;
		if (t)
			threads[hash(e->tid, 0, TT_THREADS)].used = false;
	} else if ((e->type & 1) && !strcmp(e->info->name, "close")) {
		const struct tt_thread *t = tt_thread(e->tid);
		if (t && t->enter_fd >= 0 && tev_int(e, 0, &v) && v >= 0)
			fd_drop(tt_pid_or_tid(e->tid), t->enter_fd);
	}
}

void tt_reset(void)
{
	memset(threads, 0, sizeof threads);
	memset(fds, 0, sizeof fds);
}
