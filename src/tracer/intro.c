/* Introducing the processes pdig already traces to a consumer that
 * attaches while they run. A kernel driver's consumer learns them from
 * its own /proc scan at open; the Falco plugin's host does not scan
 * (measured: Falco 0.44 with a syscall-source plugin knew no process that
 * started before it), and a sidecar could not see them in its /proc
 * anyway. So each one gets what the driver would have sent when it was
 * made: the child side of a clone exit, read from /proc now, parents
 * before children, threads after their process. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>

#include "procfs/procfs.h"
#include "tracer_internal.h"

/* The kernel's clone flags for a thread of an existing process. */
#define THREAD_CLONE_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM)

struct intro_list {
	struct thread **t;
	int64_t *parent; /* process's parent pid, 0 when not known */
	size_t n, cap;
};

static void collect(struct thread *t, void *arg)
{
	struct intro_list *l = arg;
	if (l->n < l->cap)
		l->t[l->n++] = t;
}

static bool in_list(const struct intro_list *l, const bool *done, int64_t pid, bool *is_done)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->t[i]->tid == pid && l->t[i]->pid == pid) {
			*is_done = done[i];
			return true;
		}
	return false;
}

void core_introduce(struct tracer *tr)
{
	size_t cap = threads_count(&tr->threads);
	struct intro_list l = { calloc(cap + 1, sizeof *l.t), calloc(cap + 1, sizeof *l.parent), 0, cap };
	bool *done = calloc(cap + 1, sizeof *done);
	if (!l.t || !l.parent || !done)
		goto out;
	threads_each(&tr->threads, collect, &l);
	for (size_t i = 0; i < l.n; i++) {
		int64_t tgid = 0, ppid = 0;
		procfs_ids(tr->procfs, l.t[i]->tid, &tgid, &ppid);
		if (!l.t[i]->pid && tgid > 0)
			l.t[i]->pid = (pid_t)tgid;
		l.parent[i] = ppid;
	}
	/* Processes whose parent is not traced or already introduced, round
	 * after round: a parent comes before its children. n rounds at most. */
	for (size_t round = 0, left = l.n; left && round <= l.n; round++) {
		for (size_t i = 0; i < l.n; i++) {
			struct thread *t = l.t[i];
			if (done[i] || t->tid != t->pid)
				continue;
			bool parent_done = true;
			if (!in_list(&l, done, l.parent[i], &parent_done) || parent_done) {
				core_describe_thread(tr, t, SIGCHLD);
				done[i] = true;
				left--;
			}
		}
		/* then the other threads of the processes now known */
		for (size_t i = 0; i < l.n; i++) {
			struct thread *t = l.t[i];
			bool leader_done = true;
			if (done[i] || t->tid == t->pid)
				continue;
			if (!in_list(&l, done, t->pid, &leader_done) || leader_done) {
				core_describe_thread(tr, t, THREAD_CLONE_FLAGS);
				done[i] = true;
				left--;
			}
		}
	}
out:
	free(l.t);
	free(l.parent);
	free(done);
}
