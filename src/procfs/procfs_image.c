/* Per-process fields of the snapshots that few syscalls change, kept for a
 * few recently seen processes, in two parts:
 * - the image (exe, args, env, exe path, writable flag): changed by exec
 *   only; shared with the process's threads and with its fork children
 *   until they exec (same argv/envp addresses prove the same image);
 * - the lineage (loginuid, cgroups): kept across exec and copied at fork,
 *   so a fork child's exec takes its parent's. It changes when a process
 *   writes its loginuid or moves a process between cgroups: a tracee
 *   opening such a file for writing (procfs_note_syscall) makes every
 *   cached lineage untrusted for PROCFS_TTL_NS; one changed by someone pdig
 *   does not trace is trusted PROCFS_TTL_NS at most. */
#include <string.h>

#include "procfs_internal.h"

#define IMG_SLOTS 4

static struct image {
	int64_t pid; /* 0 = free */
	uint64_t used;
	bool exec_ok;
	uint64_t exec_at;
	struct mm_mark mm;
	uint32_t fsuid, fsgid;
	uint64_t cap_eff;
	uint8_t exe_writable;
	char exe[PROC_STR_MAX], exepath[PROC_STR_MAX];
	char args[PROC_STR_MAX], env[PROC_STR_MAX];
	size_t args_len, env_len;
	bool lin_ok;
	uint64_t lin_at;
	int32_t loginuid;
	char cgroups[PROC_STR_MAX];
	size_t cgroups_len;
} images[IMG_SLOTS];
static uint64_t image_clock;
static uint64_t lineage_dirty_at;
static bool lineage_seen; /* does pdig see every write-open? */

static struct image *image_find(int64_t pid)
{
	for (int i = 0; i < IMG_SLOTS; i++)
		if (pid > 0 && images[i].pid == pid)
			return &images[i];
	return NULL;
}

static bool exec_part_usable(const struct image *h, const struct mm_mark *mm, const struct thread_status *x,
                             uint64_t now)
{
	return h->exec_ok && mm->arg_start != 0 && !memcmp(mm, &h->mm, sizeof *mm) && x->fsuid == h->fsuid &&
	       x->fsgid == h->fsgid && x->cap_eff == h->cap_eff && now - h->exec_at < PROCFS_TTL_NS;
}

bool image_exec_get(struct proc_snapshot *s, const struct mm_mark *mm, const struct thread_status *x, uint64_t now)
{
	struct image *h = image_find(s->pid);
	if (!h && s->tid == s->pid)
		h = image_find(s->ptid); /* a fork child that has not exec'd */
	if (!h || !exec_part_usable(h, mm, x, now))
		return false;
	h->used = ++image_clock;
	copy_cstr(s->exe, h->exe, sizeof s->exe);
	copy_cstr(s->exepath, h->exepath, sizeof s->exepath);
	memcpy(s->args, h->args, h->args_len);
	memcpy(s->env, h->env, h->env_len);
	s->args_len = h->args_len;
	s->env_len = h->env_len;
	s->exe_writable = h->exe_writable;
	return true;
}

static bool lineage_usable(const struct image *h, uint64_t now)
{
	return h && h->lin_ok && lineage_seen && now - h->lin_at < PROCFS_TTL_NS &&
	       h->lin_at >= lineage_dirty_at + PROCFS_TTL_NS;
}

int image_lineage_get(struct proc_snapshot *s, int64_t forked_from, uint64_t now, uint64_t *read_at)
{
	struct image *h = image_find(s->pid);
	if (!lineage_usable(h, now))
		h = forked_from > 0 ? image_find(forked_from) : NULL;
	if (!lineage_usable(h, now))
		return -1;
	s->loginuid = h->loginuid;
	memcpy(s->cgroups, h->cgroups, h->cgroups_len);
	s->cgroups_len = h->cgroups_len;
	*read_at = h->lin_at;
	return 0;
}

static struct image *image_slot(int64_t pid)
{
	struct image *h = image_find(pid);
	for (int i = 0; !h && i < IMG_SLOTS; i++)
		if (!images[i].pid)
			h = &images[i];
	if (!h) {
		h = &images[0];
		for (int i = 1; i < IMG_SLOTS; i++)
			if (images[i].used < h->used)
				h = &images[i];
	}
	if (h->pid != pid) {
		h->exec_ok = h->lin_ok = false;
		h->pid = pid;
	}
	h->used = ++image_clock;
	return h;
}

void image_put(const struct proc_snapshot *s, const struct mm_mark *mm, const struct thread_status *x, uint64_t now,
               uint64_t lineage_at)
{
	if (mm->arg_start == 0 || s->pid <= 0)
		return;
	struct image *h = image_slot(s->pid);
	h->exec_ok = true;
	h->exec_at = now;
	h->mm = *mm;
	h->fsuid = x->fsuid;
	h->fsgid = x->fsgid;
	h->cap_eff = x->cap_eff;
	h->exe_writable = s->exe_writable;
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

void image_forget_exec(int64_t pid)
{
	struct image *h = image_find(pid);
	if (h)
		h->exec_ok = false;
}

void procfs_lineage_watch(bool every_open_seen)
{
	lineage_seen = every_open_seen;
}

void image_lineage_dirty(uint64_t now)
{
	lineage_dirty_at = now;
}
