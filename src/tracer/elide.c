/* Exit elision. A traced syscall costs two stops, its entry (seccomp) and
 * its exit. Where pdig knows at the entry exactly what the exit event will
 * say, it reports both at the entry and lets the call run with PTRACE_CONT:
 * one stop instead of two.
 *
 * close(fd) is the one call that qualifies. The kernel releases the fd and
 * then returns what the file's ->flush returned (-EBADF only when no file
 * was open there; -EINTR is a flush's interrupted wait). So the result is 0
 * exactly when fd is open and its file has no ->flush: a socket, or a
 * regular file, directory or FIFO on ext2/3/4, xfs, btrfs or tmpfs
 * (procfs_fd_closes_clean). pdig knows that only for fds it saw opened:
 * the per-process table below learns them at the exits of open*, creat,
 * socket and accept*, and forgets at the entry of every call that may close
 * or replace an fd (close, close_range, dup2, dup3, execve*), so what it
 * holds is true for as long as nobody else changes the table. A forked
 * child starts with a copy of its parent's table, and so of what pdig
 * knows of it (learnt at the fork's event stop, before the child runs).
 * Hence it
 * gives up on a process for good when its table may change behind pdig's
 * back: another thread or process sharing it (clone with CLONE_THREAD or
 * CLONE_FILES), an io_uring (IORING_OP_CLOSE runs no syscall), a 32-bit
 * call with no x86-64 twin. A ring pdig did not see made counts too: one
 * kept across the exec (checked in /proc at the exec), one received
 * (pidfd_getfd, recvmsg with control data, recvmmsg, when traced), and
 * any io_uring_enter/io_uring_register, which stop for that even when
 * not traced (elide_watched). It is off in attach mode (fds opened before
 * pdig came), when the traced set leaves out one of the calls above
 * (their entries would not stop) and with PDIG_NO_ELIDE=1.
 *
 * Left out on purpose: calls whose result depends on the state of the
 * kernel at run time (data, a socket's peer, a file's existence), which is
 * every other call in the default set.
 *
 * What an elided exit cannot say: its timestamp is the entry's (both
 * events are made at the entry stop). And a SIGKILL that lands while the
 * thread sits in the seccomp stop makes the kernel skip the close
 * (fatal_signal_pending at the stop's end): pdig has then reported res=0
 * for a close that never ran, in a process that dies at once (its table
 * with it). */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "elide.h"
#include "prelock.h"
#include "procfs/procfs.h"
#include "tracer_internal.h"

#define CLONE_SHARES_TABLE (0x00010000ull /* CLONE_THREAD */ | 0x00000400ull /* CLONE_FILES */)

void elide_init(struct tracer *tr)
{
	struct elide *e = &tr->elide;
	memset(e, 0, sizeof *e);
	const char *off = getenv("PDIG_NO_ELIDE");
	if (tr->attach_mode || (off && *off && strcmp(off, "0")))
		return;
	e->on = elide_possible(&tr->set);
}

bool elide_possible(const struct syscall_set *set)
{
	static const int needed[] = { SYS_close, SYS_close_range, SYS_dup2, SYS_dup3, SYS_execve, SYS_execveat,
		                      SYS_io_uring_setup };
	for (size_t i = 0; i < sizeof needed / sizeof *needed; i++)
		if (!set->on[needed[i]])
			return false;
	return true;
}

bool elide_watched(const struct syscall_set *set, uint64_t nr)
{
	/* (stopped silently: the entry is all elide needs) */
	return (nr == SYS_io_uring_enter || nr == SYS_io_uring_register) && elide_possible(set);
}

static struct elide_proc *find(struct elide *e, pid_t pid)
{
	for (unsigned i = 0; i < ELIDE_PROCS; i++)
		if (e->procs[i].pid == pid)
			return &e->procs[i];
	return NULL;
}

/* pid's slot, emptied (the next slot in turn when pid has none: the
 * process there becomes unknown). */
static struct elide_proc *fresh_slot(struct elide *e, pid_t pid)
{
	struct elide_proc *p = find(e, pid);
	if (!p)
		p = &e->procs[e->next++ % ELIDE_PROCS];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	return p;
}

void elide_on_exec(struct tracer *tr, pid_t pid)
{
	struct elide *e = &tr->elide;
	if (!e->on)
		return;
	/* a ring kept across the exec (its fd made inheritable) can close
	 * fds with no syscall pdig sees: IORING_OP_CLOSE run by an SQPOLL
	 * kernel thread */
	bool uring;
	if (!prelock_io_uring(pid, &uring)) /* scanned before the lock, or now */
		uring = procfs_has_io_uring(pid);
	fresh_slot(e, pid)->known = !uring;
}

void elide_on_fork(struct tracer *tr, pid_t parent, pid_t child)
{
	struct elide *e = &tr->elide;
	struct elide_proc *p = e->on ? find(e, parent) : NULL;
	if (!p || !p->known)
		return;
	uint64_t clean[ELIDE_FDS / 64];
	memcpy(clean, p->clean, sizeof clean);
	/* (p may be the slot reused: copied first.) No look in /proc for a
	 * ring: a known parent holds none, since pdig forgets a process at
	 * every way one can come (io_uring_setup, a received fd), and the
	 * child's table is a copy of the parent's. */
	struct elide_proc *c = fresh_slot(e, child);
	c->known = true;
	memcpy(c->clean, clean, sizeof clean);
}

static void forget_fd(struct elide_proc *p, uint64_t fd)
{
	if (fd < ELIDE_FDS)
		p->clean[fd / 64] &= ~(1ull << (fd % 64));
}

static bool fd_clean(const struct elide_proc *p, uint64_t fd)
{
	return fd < ELIDE_FDS && (p->clean[fd / 64] >> (fd % 64)) & 1;
}

bool elide_on_entry(struct tracer *tr, pid_t pid, pid_t tid, const struct thread *t, uint64_t nr,
                    const uint64_t *args, int64_t *ret)
{
	struct elide *e = &tr->elide;
	struct elide_proc *p = e->on ? find(e, pid) : NULL;
	if (!p || !p->known)
		return false;
	bool known = false;
	/* the kernel takes an fd as unsigned int: the upper 32 bits of the
	 * register are ignored, so close((1 << 32) | fd) closes fd */
	switch (nr) {
	case SYS_close:
		/* only this thread can touch the table (p->known), and the
		 * file there cannot fail its close */
		known = tid == pid && fd_clean(p, (uint32_t)args[0]);
		if (known)
			*ret = 0;
		forget_fd(p, (uint32_t)args[0]);
		break;
	case SYS_dup2:
	case SYS_dup3:
		forget_fd(p, (uint32_t)args[1]);
		break;
	case SYS_close_range:
	case SYS_execve:
	case SYS_execveat:
		memset(p->clean, 0, sizeof p->clean);
		break;
	case SYS_clone:
		p->known = !(args[0] & CLONE_SHARES_TABLE);
		break;
	case SYS_clone3:
		p->known = t->clone3_flags_ok && !(t->clone3_flags & CLONE_SHARES_TABLE);
		break;
	case SYS_io_uring_setup:
	/* a ring pdig did not see made (inherited, received by SCM_RIGHTS
	 * or pidfd_getfd) runs IORING_OP_CLOSE at io_uring_enter, and a
	 * registered file table at io_uring_register */
	case SYS_io_uring_enter:
	case SYS_io_uring_register:
	case COMPAT_NONE:
		p->known = false;
		break;
	default:
		break;
	}
	return known;
}

/* Whether call nr returns a new fd (other than the opens and sockets
 * elide_on_exit learns from). */
static bool returns_fd(uint64_t nr, const uint64_t *args)
{
	switch (nr) {
	case SYS_fcntl:
		return args[1] == 0 /* F_DUPFD */ || args[1] == 1030 /* F_DUPFD_CLOEXEC */;
	case SYS_dup:
	case SYS_dup2:
	case SYS_dup3:
	case SYS_eventfd:
	case SYS_eventfd2:
	case SYS_epoll_create:
	case SYS_epoll_create1:
	case SYS_signalfd:
	case SYS_signalfd4:
	case SYS_timerfd_create:
	case SYS_inotify_init:
	case SYS_inotify_init1:
	case SYS_fanotify_init:
	case SYS_memfd_create:
	case 447: /* memfd_secret (not in musl's headers) */
	case SYS_pidfd_open:
	case SYS_open_by_handle_at:
	case SYS_userfaultfd:
	case SYS_perf_event_open:
	case SYS_bpf:
	case SYS_fsopen:
	case SYS_fspick:
	case SYS_fsmount:
	case SYS_open_tree:
	case SYS_io_uring_setup:
	case SYS_landlock_create_ruleset:
	case SYS_mq_open:
		return true;
	default:
		return false;
	}
}

/* Whether a recvmsg's (x86-64 struct msghdr at addr) answer carried
 * control data: SCM_RIGHTS may have brought a ring's fd. Unreadable
 * counts as carried. */
static bool got_control(const struct tracee_mem *mem, uint64_t addr)
{
	uint64_t controllen; /* msg_controllen, set by the kernel to what came */
	return !mem || mem_read_exact(mem, addr + 40, &controllen, sizeof controllen) < 0 || controllen;
}

void elide_on_exit(struct tracer *tr, pid_t pid, uint64_t nr, const uint64_t *args, int64_t ret,
                   const struct tracee_mem *mem)
{
	struct elide *e = &tr->elide;
	if (!e->on || ret < 0)
		return;
	struct elide_proc *p = find(e, pid);
	if (!p || !p->known)
		return;
	/* an fd that came from elsewhere may be a ring's */
	if (nr == SYS_pidfd_getfd || nr == SYS_recvmmsg || (nr == SYS_recvmsg && got_control(mem, args[1]))) {
		p->known = false;
		return;
	}
	if (ret >= ELIDE_FDS)
		return;
	switch (nr) {
	case SYS_socket:
	case SYS_accept:
	case SYS_accept4:
		break; /* a socket's file has no ->flush */
	case SYS_open:
	case SYS_openat:
	case SYS_openat2:
	case SYS_creat:
		if (!procfs_fd_closes_clean(tr->procfs, pid, ret)) {
			forget_fd(p, (uint64_t)ret);
			return;
		}
		break;
	default:
		/* A new fd on a number pdig holds clean means pdig missed its
		 * close: unknown from now, so that a missed close can never
		 * turn into a wrong res=0 later. */
		if (returns_fd(nr, args))
			forget_fd(p, (uint64_t)ret);
		return;
	}
	p->clean[ret / 64] |= 1ull << (ret % 64);
}

void elide_on_death(struct tracer *tr, pid_t tid)
{
	struct elide_proc *p = find(&tr->elide, tid);
	if (p)
		p->pid = 0;
}
