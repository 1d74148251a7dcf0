/* Per-process fields of the snapshots that few syscalls change, kept for a
 * few recently seen processes, in two parts:
 * - the image (exe, args, env, exe path, the exe's inode and flags): changed by exec
 *   only; shared with the process's threads and with its fork children
 *   until they exec (same argv/envp addresses prove the same image);
 * - the lineage (loginuid, cgroups): kept across exec and copied at fork,
 *   so a fork child's exec takes its parent's. It changes when a process
 *   writes its loginuid or moves a process between cgroups: a tracee
 *   opening such a file for writing (procfs_on_exit) makes every
 *   cached lineage untrusted for PROCFS_TTL_NS; one changed by someone pdig
 *   does not trace is trusted PROCFS_TTL_NS at most. */
#include <string.h>

#include "procfs_internal.h"

static struct image *image_find(struct procfs *pf, int64_t pid)
{
	for (int i = 0; i < IMG_SLOTS; i++)
		if (pid > 0 && pf->images[i].pid == pid)
			return &pf->images[i];
	return NULL;
}

static bool exec_part_usable(const struct image *h, const struct mm_mark *mm, const struct thread_status *x,
                             uint64_t now)
{
	return h->exec_ok && mm->arg_start != 0 && !memcmp(mm, &h->mm, sizeof *mm) && x->fsuid == h->fsuid &&
	       x->fsgid == h->fsgid && x->cap_eff == h->cap_eff && now - h->exec_at < PROCFS_TTL_NS;
}

bool image_exec_get(struct procfs *pf, struct proc_snapshot *s, const struct mm_mark *mm,
                    const struct thread_status *x, uint64_t now)
{
	struct image *h = image_find(pf, s->pid);
	if (!h && s->tid == s->pid)
		h = image_find(pf, s->ptid); /* a fork child that has not exec'd */
	if (!h || !exec_part_usable(h, mm, x, now))
		return false;
	h->used = ++pf->image_clock;
	copy_cstr(s->exe, h->exe, sizeof s->exe);
	copy_cstr(s->exepath, h->exepath, sizeof s->exepath);
	memcpy(s->args, h->args, h->args_len);
	memcpy(s->env, h->env, h->env_len);
	s->args_len = h->args_len;
	s->env_len = h->env_len;
	s->exe_writable = h->exe_writable;
	s->exe_memfd = h->exe_memfd;
	s->exe_layer = h->exe_layer;
	s->exe_ino = h->exe_ino;
	s->exe_ctime_ns = h->exe_ctime_ns;
	s->exe_mtime_ns = h->exe_mtime_ns;
	return true;
}

static bool lineage_usable(const struct procfs *pf, const struct image *h, uint64_t now)
{
	return h && h->lin_ok && pf->lineage_seen && now - h->lin_at < PROCFS_TTL_NS &&
	       h->lin_at >= pf->lineage_dirty_at + PROCFS_TTL_NS;
}

int image_lineage_get(struct procfs *pf, struct proc_snapshot *s, int64_t forked_from, uint64_t now,
                      uint64_t *read_at)
{
	struct image *h = image_find(pf, s->pid);
	if (!lineage_usable(pf, h, now))
		h = forked_from > 0 ? image_find(pf, forked_from) : NULL;
	if (!lineage_usable(pf, h, now))
		return -1;
	s->loginuid = h->loginuid;
	memcpy(s->cgroups, h->cgroups, h->cgroups_len);
	s->cgroups_len = h->cgroups_len;
	*read_at = h->lin_at;
	return 0;
}

static struct image *image_slot(struct procfs *pf, int64_t pid)
{
	struct image *h = image_find(pf, pid);
	for (int i = 0; !h && i < IMG_SLOTS; i++)
		if (!pf->images[i].pid)
			h = &pf->images[i];
	if (!h) {
		h = &pf->images[0];
		for (int i = 1; i < IMG_SLOTS; i++)
			if (pf->images[i].used < h->used)
				h = &pf->images[i];
	}
	if (h->pid != pid) {
		h->exec_ok = h->lin_ok = false;
		h->pid = pid;
	}
	h->used = ++pf->image_clock;
	return h;
}

void image_put(struct procfs *pf, const struct proc_snapshot *s, const struct mm_mark *mm,
               const struct thread_status *x, uint64_t now, uint64_t lineage_at)
{
	if (mm->arg_start == 0 || s->pid <= 0)
		return;
	struct image *h = image_slot(pf, s->pid);
	h->exec_ok = true;
	h->exec_at = now;
	h->mm = *mm;
	h->fsuid = x->fsuid;
	h->fsgid = x->fsgid;
	h->cap_eff = x->cap_eff;
	h->exe_writable = s->exe_writable;
	h->exe_memfd = s->exe_memfd;
	h->exe_layer = s->exe_layer;
	h->exe_ino = s->exe_ino;
	h->exe_ctime_ns = s->exe_ctime_ns;
	h->exe_mtime_ns = s->exe_mtime_ns;
	copy_cstr(h->exe, s->exe, sizeof h->exe);
	copy_cstr(h->exepath, s->exepath, sizeof h->exepath);
	memcpy(h->args, s->args, s->args_len);
	memcpy(h->env, s->env, s->env_len);
	h->args_len = s->args_len;
	h->env_len = s->env_len;
	/* an inherited lineage keeps the time it was read at */
	h->lin_ok = true;
	h->lin_at = lineage_at;
	h->loginuid = s->loginuid;
	memcpy(h->cgroups, s->cgroups, s->cgroups_len);
	h->cgroups_len = s->cgroups_len;
}

void image_forget_exec(struct procfs *pf, int64_t pid)
{
	struct image *h = image_find(pf, pid);
	if (h)
		h->exec_ok = false;
}

void image_lineage_dirty(struct procfs *pf, uint64_t now)
{
	pf->lineage_dirty_at = now;
}
