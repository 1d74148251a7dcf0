/* pdig's own files (the udig ring objects, the -w capture file, the -o
 * file) are out of its tracees' reach for writing (issue 17).
 *
 * They are known by inode (st_dev, st_ino), not by name: a hard link, a
 * symlink, /proc/self/root/... or another mount of /dev/shm leads to the
 * same inode. Two checks, both only for opens that could change a file
 * (write access or O_TRUNC; creat; truncate), so a read-only open costs
 * nothing more:
 *
 * - at the entry, the path is looked up as the tracee sees it (relative to
 *   its cwd, its dirfd or its root, through /proc/TID/...) with one stat;
 *   pdig's inode refuses the call with EACCES (skipped, events made).
 * - at the exit of a successful open, the new fd's inode (stat of
 *   /proc/TID/fd/N) is compared again. The entry check can lose a race (a
 *   second thread or process swaps a symlink, renames a file or rewrites
 *   the path between pdig's lookup and the kernel's); the exit check
 *   cannot, since the fd names the inode the kernel opened. A process that
 *   won that race is killed with SIGKILL: it holds a writable fd to pdig's
 *   output, and taking it away again would need a close injected into a
 *   process whose other threads may be using it. Its events (the open's
 *   exit with the fd, its procexit) are made as usual.
 *
 * Nor may a tracee take a protected file's name away (unlink, rename from
 * it or over it, or rename a folder on its path): the ring's folder may be
 * a volume every uid can write (a Kubernetes emptyDir is 0777 without the
 * sticky bit), and a ring whose name is gone is one pdig lets go of, which
 * would blind the consumer. Refused with EACCES, as a folder the caller
 * may not write answers. The name is looked up without following its last
 * symlink, as these calls do.
 *
 * Left open: an O_TRUNC that wins the race has truncated the file before
 * the exit check; see the README's "Tamper resistance". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tracer_internal.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#define MAX_PROTECTED 16

/* Each entry keeps the path it was given: when that path no longer leads
 * to its file (a ring its consumer removed, or replaced by a newer one),
 * the entry may go to another file. No fd is kept: pdig may run with
 * very few (a program started under `prlimit --nofile=12`), and each is
 * needed to read /proc. */
static struct {
	dev_t dev;
	ino_t ino;
	char *path;
} protected_files[MAX_PROTECTED];
static unsigned nprotected;

static bool entry_gone(unsigned i)
{
	struct stat st;
	return stat(protected_files[i].path, &st) < 0 || st.st_dev != protected_files[i].dev ||
	       st.st_ino != protected_files[i].ino;
}

void guard_protect_path(const char *path)
{
	struct stat st;
	char *copy;
	/* only regular files: -o /dev/null must not take /dev/null away from
	 * the tracee, and a tty or pipe has nothing to truncate */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return;
	for (unsigned i = 0; i < nprotected; i++)
		if (protected_files[i].dev == st.st_dev && protected_files[i].ino == st.st_ino)
			return; /* held already (a ring attached to again) */
	unsigned at = nprotected;
	for (unsigned i = 0; at == nprotected && i < nprotected; i++)
		if (entry_gone(i))
			at = i;
	if (at == MAX_PROTECTED) {
		fprintf(stderr, "pdig: cannot protect %s from the traced programs: pdig already "
			"guards %u files\n", path, MAX_PROTECTED);
		return;
	}
	copy = strdup(path);
	if (!copy) {
		fprintf(stderr, "pdig: cannot protect %s from the traced programs: out of memory\n", path);
		return;
	}
	if (at < nprotected)
		free(protected_files[at].path);
	else
		nprotected++;
	protected_files[at].dev = st.st_dev;
	protected_files[at].ino = st.st_ino;
	protected_files[at].path = copy;
}

static bool is_protected(const struct stat *st)
{
	for (unsigned i = 0; i < nprotected; i++)
		if (protected_files[i].dev == st->st_dev && protected_files[i].ino == st->st_ino)
			return true;
	return false;
}

/* calls that take a name away: unlink(2), rename(2) and their *at forms */
static bool name_call(uint64_t nr)
{
	return nr == SYS_unlink || nr == SYS_unlinkat || nr == SYS_rename || nr == SYS_renameat ||
	       nr == SYS_renameat2;
}

bool guard_file_call(uint64_t nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_openat2 || nr == SYS_creat || nr == SYS_truncate ||
	       name_call(nr);
}

/* Could this call change the file it names? Its flags from the args (or,
 * for openat2, from its struct open_how in the tracee's memory). */
static bool changes_file(const struct tracee_mem *m, uint64_t nr, const uint64_t *args)
{
	uint64_t flags;
	switch (nr) {
	case SYS_creat:
	case SYS_truncate:
		return true;
	case SYS_open:
		flags = args[1];
		break;
	case SYS_openat:
		flags = args[2];
		break;
	case SYS_openat2:
		/* open_how.flags is its first u64; unreadable: the kernel fails it */
		if (args[3] < 8 || mem_read_exact(m, args[2], &flags, sizeof flags) < 0)
			return false;
		break;
	default:
		return false;
	}
	return (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
}

/* stat of the file a path names as tid would look it up (dirfd for the
 * *at calls, AT_FDCWD otherwise); its last symlink followed or not (flags
 * 0 or AT_SYMLINK_NOFOLLOW). */
static int stat_as(pid_t tid, int dirfd, const char *path, struct stat *st, int flags)
{
	char full[STR_MAX + 64];
	if (!*path)
		return -1;
	if (path[0] == '/')
		snprintf(full, sizeof full, "/proc/%d/root%s", tid, path);
	else if (dirfd == AT_FDCWD)
		snprintf(full, sizeof full, "/proc/%d/cwd/%s", tid, path);
	else
		snprintf(full, sizeof full, "/proc/%d/fd/%d/%s", tid, dirfd, path);
	return fstatat(AT_FDCWD, full, st, flags);
}

/* Is the folder st one on the path of a protected file (renaming it would
 * take the file's name away too)? */
static bool holds_protected(const struct stat *st)
{
	if (!S_ISDIR(st->st_mode))
		return false;
	for (unsigned i = 0; i < nprotected; i++) {
		char dir[STR_MAX];
		snprintf(dir, sizeof dir, "%s", protected_files[i].path);
		for (char *slash; (slash = strrchr(dir, '/')) != NULL;) {
			struct stat d;
			slash[slash == dir] = 0; /* "/x" -> "/" */
			if (stat(dir, &d) == 0 && d.st_dev == st->st_dev && d.st_ino == st->st_ino)
				return true;
			if (slash == dir)
				break;
		}
	}
	return false;
}

/* the name at args[path_arg] (relative to args[dir_arg], -1: the cwd) */
static bool names_protected(const struct thread *t, const struct tracee_mem *m, const uint64_t *args,
			    int dir_arg, int path_arg)
{
	char path[STR_MAX];
	struct stat st;
	if (mem_read_str(m, args[path_arg], path, sizeof path) < 0)
		return false; /* unreadable: the kernel fails it with EFAULT */
	if (stat_as(t->tid, dir_arg < 0 ? AT_FDCWD : (int)args[dir_arg], path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return false;
	return is_protected(&st) || holds_protected(&st);
}

static int name_check(const struct thread *t, const struct tracee_mem *m, uint64_t nr, const uint64_t *args)
{
	bool hit;
	switch (nr) {
	case SYS_unlink:
		hit = names_protected(t, m, args, -1, 0);
		break;
	case SYS_unlinkat:
		hit = names_protected(t, m, args, 0, 1);
		break;
	case SYS_rename:
		hit = names_protected(t, m, args, -1, 0) || names_protected(t, m, args, -1, 1);
		break;
	default: /* renameat, renameat2: from and to */
		hit = names_protected(t, m, args, 0, 1) || names_protected(t, m, args, 2, 3);
		break;
	}
	return hit ? EACCES : 0;
}

int guard_file_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args)
{
	if (!nprotected)
		return 0;
	(void)tr;
	struct mem_reader r;
	/* not kept for the exit: an untraced call has no exit stop to forget it */
	const struct tracee_mem *m = mem_reader_init(&r, NULL, t->tid, MEM_PLAIN);
	if (name_call(nr))
		return name_check(t, m, nr, args);
	if (!changes_file(m, nr, args))
		return 0;
	bool at = nr == SYS_openat || nr == SYS_openat2;
	char path[STR_MAX];
	if (mem_read_str(m, args[at ? 1 : 0], path, sizeof path) < 0)
		return 0;
	struct stat st;
	if (stat_as(t->tid, at ? (int)args[0] : AT_FDCWD, path, &st, 0) < 0)
		return 0; /* nothing there yet: a new file is not pdig's */
	return is_protected(&st) ? EACCES : 0;
}

void guard_file_opened(struct tracer *tr, const struct thread *t, int64_t rval)
{
	if (!nprotected || rval < 0 || t->nr == SYS_truncate || !guard_file_call(t->nr))
		return;
	(void)tr;
	struct mem_reader r;
	const struct tracee_mem *m = mem_reader_init(&r, NULL, t->tid, MEM_PLAIN);
	if (!changes_file(m, t->nr, t->args))
		return;
	char fdpath[64];
	struct stat st;
	snprintf(fdpath, sizeof fdpath, "/proc/%d/fd/%d", t->tid, (int)rval);
	if (stat(fdpath, &st) < 0 || !is_protected(&st))
		return;
	pid_t pid = t->pid ? t->pid : t->tid;
	fprintf(stderr, "pdig: process %d opened one of pdig's output files for writing past the "
	                "guard's check (a race): killed\n", (int)pid);
	kill(pid, SIGKILL);
}
