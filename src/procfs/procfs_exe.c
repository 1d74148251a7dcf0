/* What exec needs to know of an executable file: its mode and owner (for
 * the writable flag and set-id), whether its filesystem is read-only and
 * whether it carries file capabilities. Kept per (mount view, path) for
 * PROCFS_TTL_NS: a shell or build running the same programs over and over
 * stats each once. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

#include "procfs_internal.h"
#include "procfs_io.h"

#ifndef ST_RDONLY
#define ST_RDONLY 1
#endif
/* statfs's f_type of an overlay mount (linux/magic.h) */
#define OVERLAYFS_MAGIC 0x794c7630

static uint64_t ts_ns(const struct timespec *t)
{
	return (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
}

/* The file behind /proc/<tid>/exe, not the path: the path names it in
 * pdig's mount view, which need not be the tracee's. */
static int read_facts(int64_t tid, const char *path, struct exe_facts *f)
{
	char link[64];
	struct stat st;
	struct statfs sf;
	memset(f, 0, sizeof *f);
	if (pf_path(link, sizeof link, tid, "exe") || stat(link, &st) != 0)
		return -1;
	f->mode = st.st_mode;
	f->uid = st.st_uid;
	f->gid = st.st_gid;
	f->ino = st.st_ino;
	f->ctime_ns = ts_ns(&st.st_ctim);
	f->mtime_ns = ts_ns(&st.st_mtim);
	f->unlinked = st.st_nlink == 0;
	bool sf_ok = statfs(link, &sf) == 0;
	f->rdonly = sf_ok && (sf.f_flags & ST_RDONLY);
	f->overlay = sf_ok && (uint32_t)sf.f_type == OVERLAYFS_MAGIC;
	if (f->overlay) {
		/* the file's mount, to find the overlay's upper layer */
		struct pdig_statx sx;
		bool id = procfs_statx(AT_FDCWD, link, 0, &sx) == 0 && (sx.mask & PDIG_STATX_MNT_ID);
		f->layer = id ? procfs_overlay_layer(tid, sx.mnt_id, path) : EXE_LAYER_UNKNOWN;
	}
	ssize_t n = getxattr(link, "security.capability", NULL, 0);
	/* unknown (a refused read) counts as present: the caller then reads
	 * the credentials rather than guessing them */
	f->file_caps = n > 0 || (n < 0 && errno != ENODATA && errno != ENOTSUP);
	return 0;
}

int procfs_exe_facts(struct procfs *pf, int64_t tid, uint64_t mnt_id, const char *path, struct exe_facts *out)
{
	struct exe_slot *cache = pf->exes;
	uint64_t now = procfs_mono_ns();
	int victim = 0;
	for (int i = 0; i < EXE_SLOTS; i++) {
		if (mnt_id && cache[i].mnt_id == mnt_id && now - cache[i].at < PROCFS_TTL_NS &&
		    !strcmp(cache[i].path, path)) {
			cache[i].used = ++pf->exe_clock;
			*out = cache[i].f;
			return 0;
		}
		if (cache[i].used < cache[victim].used)
			victim = i;
	}
	if (read_facts(tid, path, out))
		return -1;
	if (mnt_id && strlen(path) < sizeof cache[victim].path) {
		cache[victim].mnt_id = mnt_id;
		cache[victim].at = now;
		cache[victim].used = ++pf->exe_clock;
		cache[victim].f = *out;
		strcpy(cache[victim].path, path);
	}
	return 0;
}

/* The driver's EXE_WRITABLE: inode_permission(MAY_WRITE) or
 * inode_owner_or_capable, with the process's fs ids. The owner, or a
 * process with CAP_FOWNER, counts whatever the mount (the second test);
 * otherwise a read-only fs says no, CAP_DAC_OVERRIDE yes, and then the
 * group/other w bit decides (a simplified inode_permission). */
uint8_t procfs_exe_writable(const struct exe_facts *f, const struct thread_status *x)
{
	const uint64_t cap_dac_override = 1ULL << 1, cap_fowner = 1ULL << 3;
	if (f->uid == x->fsuid || (x->cap_eff & cap_fowner))
		return 1;
	if (f->rdonly)
		return 0;
	if (x->cap_eff & cap_dac_override)
		return 1;
	int in_group = f->gid == x->fsgid;
	for (size_t i = 0; !in_group && i < x->ngroups; i++)
		in_group = f->gid == x->groups[i];
	return (f->mode & (in_group ? S_IWGRP : S_IWOTH)) ? 1 : 0;
}
