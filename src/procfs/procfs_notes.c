/* The observer hooks: what the tracer tells the readers, once per stop.
 * Syscalls that make cached state stale (credentials, cwd and root, mount
 * view, lineage files opened for writing), clones, whose children start
 * with their creator's state, execs and deaths. */
#include <fcntl.h>
#include <string.h>

#include "abi/kernel_abi.h"
#include "procfs/procfs.h"
#include "procfs_internal.h"

/* Syscalls after which the caller's credentials (status), some thread's
 * cwd or root, the caller's mount view, or some process's resource limits
 * may have changed, or the caller's process may gain threads without a
 * clone (io_uring's workers). exec is handled by procfs_on_exec. A switch:
 * every traced syscall asks twice. */
enum { CHANGES_CREDS = 1, CHANGES_FS = 2, CHANGES_MNT = 4, CHANGES_LIMITS = 8, CHANGES_THREADS = 16 };

static int changes(uint64_t nr)
{
	switch (nr) {
	case SYS_setuid: case SYS_setgid: case SYS_setreuid: case SYS_setregid: case SYS_setgroups:
	case SYS_setresuid: case SYS_setresgid: case SYS_setfsuid: case SYS_setfsgid:
	case SYS_capset:
		return CHANGES_CREDS;
	case SYS_chdir: case SYS_fchdir: case SYS_chroot: case SYS_pivot_root:
		return CHANGES_FS;
	case SYS_setns: case SYS_unshare: /* credentials, fs and mounts */
		return CHANGES_CREDS | CHANGES_FS | CHANGES_MNT;
	case SYS_setrlimit: case SYS_prlimit64: /* of any process */
		return CHANGES_LIMITS;
	case SYS_io_uring_setup: /* the kernel adds worker threads, no clone */
		return CHANGES_THREADS;
	default:
		return 0;
	}
}

bool procfs_watched(uint64_t nr)
{
	return changes(nr) != 0;
}

int procfs_watched_arg(uint64_t nr)
{
	/* prlimit64 changes nothing with a NULL new limit: that is every
	 * getrlimit of glibc, which must not stop */
	return nr == SYS_prlimit64 ? 2 : -1;
}

void procfs_on_entry(struct procfs *pf, int64_t tid, uint64_t nr)
{
	int what = changes(nr);
	if (!what)
		return;
	if (what & CHANGES_FS)
		tc_fs_changed(pf);
	if (what & CHANGES_LIMITS)
		tc_limits_changed(pf);
	if (what & CHANGES_THREADS)
		tc_clone_made(pf, tid);
	struct tentry *e = (what & CHANGES_CREDS) ? tc_find(pf, tid) : NULL;
	if (e) {
		e->status_ok = e->exec_pending = false;
		if (what & CHANGES_MNT) {
			e->mnt_id = 0;
			e->kids_ns = KIDS_UNKNOWN; /* setns or unshare: pid_for_children too */
		}
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

void procfs_on_exit(struct procfs *pf, int64_t tid, uint64_t nr, const uint64_t *args, int64_t ret,
                    const struct tracee_mem *mem)
{
	/* whatever the entry announced is done now: reads made meanwhile
	 * are stale */
	procfs_on_entry(pf, tid, nr);
	pf->last_fd.valid = false;
	uint64_t path_arg, flags;
	switch (nr) {
	case SYS_open:
		path_arg = args[0];
		flags = args[1];
		break;
	case SYS_creat:
		path_arg = args[0];
		flags = O_WRONLY;
		break;
	case SYS_openat:
		path_arg = args[1];
		flags = args[2];
		break;
	case SYS_openat2: /* struct open_how starts with the u64 flags */
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
		image_lineage_dirty(pf, procfs_mono_ns());
}

void procfs_on_clone(struct procfs *pf, int64_t creator, int64_t child, uint64_t flags, bool creator_sure)
{
	/* the child's view differs: read it */
	const uint64_t own_view = CLONE_NEWTIME | CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
				  CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET |
				  CLONE_IO | CLONE_INTO_CGROUP;
	tc_clone_made(pf, creator);
	if (!tc_cache_on(pf) || child <= 0 || child == creator)
		return;
	struct tentry *e;
	if (flags & own_view) {
		if ((e = tc_get(pf, child)) != NULL)
			e->kids_ns = KIDS_HERE; /* see struct tentry */
		return;
	}
	uint64_t now = procfs_mono_ns();
	struct tentry *c = tc_get(pf, creator);
	if (!c || (!tc_status_fresh(pf, c, now) && tc_read_status(pf, c)))
		return;
	e = tc_get(pf, child); /* c is the most recent: never the victim */
	if (!e)
		return;
	/* a thread, or a CLONE_PARENT child, gets the creator's parent */
	if (flags & (CLONE_THREAD | CLONE_PARENT)) {
		e->rparent_tid = c->rparent_tid;
		e->rparent_pid = c->rparent_pid;
	} else {
		e->rparent_tid = creator;
		e->rparent_pid = c->su.pid;
		/* a new process with one thread, until it clones; not when
		 * the creator was only guessed (a sibling's pthread_create
		 * may have made it) */
		e->solo = creator_sure;
	}
	/* namespaced ids cannot be derived from the tid: read them, also
	 * for a child the creator sends to another namespace (after its
	 * unshare(CLONE_NEWPID) or setns) */
	if (c->su.ns_count != 1 || tc_kids_elsewhere(pf, c))
		return;
	for (int i = 0; i < FS_LINKS; i++)
		tc_fs_link(pf, c, (enum fs_link)i, now);
	/* the kernel copied the creator's credentials and fs to the child */
	e->su = c->su;
	e->su.vtid = e->su.ns_tid[0] = (int32_t)child;
	e->ns_known = true;
	e->kids_ns = KIDS_HERE;
	if (!(flags & CLONE_THREAD)) {
		e->su.pid = e->su.vpid = child;
		e->su.ppid = (flags & CLONE_PARENT) ? c->su.ppid : c->su.pid;
	}
	e->status_ok = true;
	e->status_at = c->status_at;
	for (int i = 0; i < FS_LINKS; i++) {
		e->link[i] = c->link[i];
		copy_cstr(e->link_path[i], c->link_path[i], PROC_STR_MAX);
	}
	e->mnt_id = tc_mnt_id(pf, c);
	e->creator = creator;
	e->fork_child = !(flags & CLONE_THREAD);
	e->birth_faults = !(flags & CLONE_VM) && (flags & CLONE_CHILD_SETTID);
	e->forked_from = e->fork_child ? c->su.pid : 0;
	e->clone_parent = (flags & CLONE_PARENT) != 0;
	e->clone_seq = tc_next_seq(pf);
}

int64_t procfs_id_seen_by(struct procfs *pf, int64_t tid, int64_t viewer)
{
	struct tentry *v = tc_get(pf, viewer);
	if (!v || (!v->ns_known && tc_read_status(pf, v)) || v->su.ns_count <= 1)
		return tid;
	/* the viewer sees ids one level below pdig's per namespace it is in */
	unsigned level = v->su.ns_count - 1u;
	struct tentry *e = tc_get(pf, tid); /* v is the most recent: never the victim */
	if (!e || (!e->ns_known && tc_read_status(pf, e)) || e->su.ns_count <= level)
		return tid;
	return e->su.ns_tid[level];
}

void procfs_on_exec(struct procfs *pf, int64_t tid, int64_t former)
{
	/* the cached argv/env/exe and credentials are the old image's */
	snap_forget_exec(pf, tid);
	if (former == tid)
		return;
	/* from a non-leader, the leader's cached state was never the
	 * caller's; exec keeps the process's real parent: carry it over */
	struct tentry *e = tc_find(pf, tid);
	int64_t rtid = e ? e->rparent_tid : 0, rpid = e ? e->rparent_pid : 0;
	tc_forget(pf, former);
	tc_forget(pf, tid);
	if (rtid && (e = tc_get(pf, tid)) != NULL) {
		e->rparent_tid = rtid;
		e->rparent_pid = rpid;
	}
}

void procfs_on_death(struct procfs *pf, int64_t tid)
{
	tc_forget(pf, tid);
}
