/* pdig's guard against its own tracees (issue 17): the traced program is
 * the suspect, and it runs with pdig's uid.
 *
 * - pdig is non-dumpable, so the kernel refuses ptrace, process_vm_readv/
 *   writev, /proc/PID/mem and pidfd_getfd against it to any process of the
 *   same uid without CAP_SYS_PTRACE. Its spawned child turns dumpable
 *   again before pdig seizes it (a non-dumpable tracee's memory could not
 *   be read), and exec resets it anyway.
 * - Writing opens of pdig's own files are refused (guard_files.c).
 * - A tracee may not make itself non-dumpable, which would blind pdig's
 *   reads of its memory (dumpable_check). A filter of its own cannot
 *   take its calls from pdig (guard_seccomp.c).
 * - A signal a tracee sends to pdig is refused at the syscall's entry: the
 *   call is skipped and fails with EPERM, as the kernel answers a process
 *   it may not signal. Its enter and exit events are made like any other.
 *   A signal to a process group (or to all) runs, and pdig drops its own
 *   copy (guard_group.c), so a script's `kill 0` works as without pdig;
 *   only SIGKILL and SIGSTOP are refused where they would reach pdig.
 *
 * - A tracee may not ptrace-attach a thread pdig traces (ptrace_check).
 * - A tracee may not make pdig (or a process group pdig is in) the owner
 *   of a file's signals (fcntl F_SETOWN/F_SETOWN_EX, ioctl FIOSETOWN/
 *   SIOCSPGRP): with O_ASYNC, I/O on the file would send pdig SIGIO, or
 *   with F_SETSIG any signal, SIGKILL included, with no kill call
 *   (owner_check). The call fails with EPERM, as a refused kill.
 *
 * What stays open is listed in the README's "Tamper resistance". */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

#include "procfs/procfs.h"
#include "tracer_internal.h"

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
/* pidfd_send_signal(2) flag (Linux 6.9): signal the target's process group */
#define PIDFD_SIGNAL_PROCESS_GROUP_FLAG 4u

void guard_protect_self(void)
{
	/* Also makes pdig's /proc files root's: pdig only opens /proc/self files
	 * that stay readable (status, thread-self/schedstat: mode 0444). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void guard_child_dumpable(void)
{
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

bool guard_always_stops(uint64_t nr)
{
	switch (nr) {
	case SYS_kill:
	case SYS_tkill:
	case SYS_tgkill:
	case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo:
	case SYS_pidfd_send_signal:
	case SYS_seccomp: /* a filter of the program's own (guard_seccomp.c) */
	case SYS_prctl:   /* PR_SET_SECCOMP */
		return true;
	case SYS_open:
	case SYS_openat:
		return false; /* only some: guard_stops_for_flags */
	default:
		return guard_file_call(nr);
	}
}

bool guard_stops_for_flags(uint64_t nr, int *arg, uint32_t *mask)
{
	if (nr == SYS_ptrace) {
		/* an attach to a thread pdig hands between its tracer threads
		 * (ptrace_check): only with several, and only for requests
		 * with a bit of PTRACE_ATTACH (0x10) or PTRACE_SEIZE (0x4206)
		 * beyond the low four: 0x10-0x1f and 0x42xx stop (a superset:
		 * DETACH, SYSCALL, SEIZE, INTERRUPT...), PEEK/POKE/CONT/GETREGS
		 * (1-15) do not */
		*mask = 0x4210;
		*arg = 0;
		return workers_count() > 1;
	}
	/* an open that could change a file: write access or O_TRUNC (a
	 * read-only open, nearly all of them, does not stop for the guard) */
	*mask = O_WRONLY | O_RDWR | O_TRUNC;
	*arg = nr == SYS_open ? 1 : nr == SYS_openat ? 2 : -1;
	return *arg >= 0;
}

bool guard_stops_for_cmd(uint64_t nr, int *arg, uint32_t *first, uint32_t *last)
{
	*arg = 1;
	if (nr == SYS_fcntl) {
		/* F_SETOWN (8) to F_SETOWN_EX (15): also F_GETOWN, F_SETSIG,
		 * F_GETSIG, none of them frequent; F_GETFL, F_SETFD, F_SETFL,
		 * locks and F_DUPFD_CLOEXEC do not stop */
		*first = F_SETOWN;
		*last = F_SETOWN_EX;
		return true;
	}
	if (nr == SYS_ioctl) {
		*first = 0x8901; /* FIOSETOWN */
		*last = 0x8902;  /* SIOCSPGRP */
		return true;
	}
	return false;
}

/* Is pid pdig: this process, or with -S the front that forwards its
 * ending signals here (keeper.c)? */
static bool pdig_pid(long pid)
{
	return pid == getpid() || (tracer_process.front_pid > 0 && pid == tracer_process.front_pid);
}

/* Is tid a thread of pdig? (/proc/self/task/TID exists only then; the
 * front has one thread.) */
static bool pdig_thread(long tid)
{
	if (tid <= 0)
		return false;
	if (pdig_pid(tid))
		return true;
	char p[48];
	snprintf(p, sizeof p, "/proc/self/task/%ld", tid);
	return access(p, F_OK) == 0;
}

/* Signals that change nothing for pdig: 0 (an existence probe) and those
 * whose default is to be ignored and which pdig does not handle, or (SIGURG
 * with several tracer threads, guard_mask.c) handles doing nothing harmful. */
static bool harmless_signal(long sig)
{
	return sig == 0 || sig == SIGCONT || sig == SIGURG || sig == SIGWINCH || sig == SIGCHLD;
}

/* The process group kill(2)'s pid argument names (0: the caller's), or 0
 * for a single process or every process (-1). */
static pid_t kill_group(pid_t caller, long pid)
{
	pid = (int)pid; /* the kernel reads an int */
	if (pid > 0 || pid == -1)
		return 0;
	return pid == 0 ? getpgid(caller) : (pid_t)-pid;
}

/* With -S: does the group call reach the front, another process of pdig's
 * that cannot take its copy out of the way (guard_group.c)? */
static bool group_reaches_front(pid_t group, bool all)
{
	return tracer_process.front_pid > 0 && (all || group == getpgid(tracer_process.front_pid));
}

/* Is pdig (or with -S its front) in process group `group`? */
static bool group_reaches_pdig(pid_t group)
{
	return group > 0 && (group == getpgrp() || group_reaches_front(group, false));
}

/* kill(2)'s pid argument: does it reach pdig? */
static bool kill_reaches_pdig(pid_t caller, long pid)
{
	pid = (int)pid;
	if (pid > 0)
		return pdig_pid(pid);
	if (pid == -1)
		return getpid() != 1 || tracer_process.front_pid > 0; /* every process but the namespace's init */
	pid_t group = kill_group(caller, pid);
	return group_reaches_pdig(group);
}

/* The process a pidfd of tid refers to (its fdinfo's Pid line), or 0. */
static pid_t pidfd_target(pid_t tid, long fd)
{
	char p[64], line[128];
	snprintf(p, sizeof p, "/proc/%d/fdinfo/%d", tid, (int)fd);
	FILE *f = fopen(p, "re");
	if (!f)
		return 0;
	long pid = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Pid: %ld", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? (pid_t)pid : 0;
}

/* The process of thread t (its table entry may not know it yet). */
static pid_t process_of(struct tracer *tr, const struct thread *t)
{
	if (t->pid)
		return t->pid;
	int64_t pid = 0, ppid = 0;
	procfs_ids(tr->procfs, t->tid, &pid, &ppid);
	return pid > 0 ? (pid_t)pid : t->tid;
}

/* A group call of a catchable signal runs, as without pdig; pdig drops
 * its own copy (guard_group.c). One pdig cannot survive (SIGKILL,
 * SIGSTOP), one that reaches the -S front, or one the guard cannot take
 * out of the way is refused where it reaches pdig. */
static int group_check(struct tracer *tr, const struct thread *t, long sig, bool hits, bool front)
{
	if (!front && guard_group_begin(t->tid, process_of(tr, t), (int)sig))
		return 0;
	return hits ? EPERM : 0;
}

static int signal_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *a)
{
	pid_t tid = t->tid;
	long sig;
	bool hits, group = false, front = false;
	switch (nr) {
	case SYS_kill:
		sig = (int)a[1];
		hits = kill_reaches_pdig(tid, (long)a[0]);
		group = (int)a[0] <= 0;
		front = group && group_reaches_front(kill_group(tid, (long)a[0]), (int)a[0] == -1);
		break;
	case SYS_tkill:
		sig = (int)a[1];
		hits = pdig_thread((int)a[0]);
		break;
	case SYS_tgkill:
	case SYS_rt_tgsigqueueinfo:
		sig = (int)a[2];
		hits = pdig_pid((int)a[0]) || pdig_thread((int)a[1]);
		break;
	case SYS_rt_sigqueueinfo:
		sig = (int)a[1];
		hits = pdig_pid((int)a[0]);
		break;
	case SYS_pidfd_send_signal: {
		sig = (int)a[1];
		pid_t target = pidfd_target(tid, (long)a[0]);
		group = target > 0 && (a[3] & PIDFD_SIGNAL_PROCESS_GROUP_FLAG);
		front = group && group_reaches_front(getpgid(target), false);
		hits = pdig_pid(target) || (group && kill_reaches_pdig(tid, -getpgid(target)));
		break;
	}
	default:
		return 0;
	}
	/* a probe is harmless whoever it names, and so is a signal pdig
	 * ignores; one aimed at pdig itself is refused whole */
	if (harmless_signal(sig))
		return 0;
	if (group)
		return group_check(tr, t, sig, hits, front);
	return hits ? EPERM : 0;
}

/* A file's signal owner (F_SETOWN and the like): refused with EPERM when it
 * names pdig's process, one of its threads, or a process group pdig (or
 * its -S front) is in. The kernel sends an owner given by a thread id to
 * that thread's whole process, so any of pdig's threads counts. */
static bool owner_reaches_pdig(int type, long who)
{
	if (type == F_OWNER_PGRP)
		return group_reaches_pdig((pid_t)who);
	return who > 0 && pdig_thread(who);
}

static int owner_check(const struct thread *t, uint64_t nr, const uint64_t *args)
{
	unsigned cmd = (unsigned)args[1];
	int type = F_OWNER_PID;
	long who;
	if (nr == SYS_fcntl && cmd == F_SETOWN) {
		who = (int)args[2];
	} else if ((nr == SYS_fcntl && cmd == F_SETOWN_EX) ||
		   (nr == SYS_ioctl && (cmd == 0x8901 || cmd == 0x8902))) {
		struct mem_reader r;
		const struct tracee_mem *m = mem_reader_init(&r, NULL, t->tid, MEM_PLAIN);
		struct f_owner_ex o = { F_OWNER_PID, 0 };
		int pid;
		if (nr == SYS_ioctl) {
			/* FIOSETOWN and SIOCSPGRP: an int read as F_SETOWN's */
			if (mem_read_exact(m, args[2], &pid, sizeof pid) < 0)
				return 0; /* unreadable: the kernel fails it */
			o.pid = pid;
		} else if (mem_read_exact(m, args[2], &o, sizeof o) < 0) {
			return 0;
		}
		type = o.type;
		who = o.pid;
	} else {
		return 0;
	}
	if (nr == SYS_ioctl || cmd == F_SETOWN) {
		/* a negative owner is a process group */
		if (who < 0) {
			type = F_OWNER_PGRP;
			who = -who;
		}
	}
	return owner_reaches_pdig(type, who) ? EPERM : 0;
}

/* prctl(PR_SET_DUMPABLE, 0): a process that is not dumpable cannot be
 * read by its tracer without CAP_SYS_PTRACE (process_vm_readv and
 * PTRACE_PEEKDATA alike), so every path and buffer in its later events
 * would be empty. Without that capability pdig refuses the call with
 * EPERM; with it, the call runs. */
static int dumpable_check(const uint64_t *args)
{
	static int can_read = -1; /* pdig reads non-dumpable processes */
	if (args[1] != 0)
		return 0; /* 1 changes nothing for pdig; others fail with EINVAL */
	if (can_read < 0)
		can_read = tracer_has_cap(19 /* CAP_SYS_PTRACE */);
	return can_read ? 0 : EPERM;
}

/* ptrace attaching a thread pdig traces: refused as the kernel refuses an
 * attach to a traced thread (EPERM). The kernel would anyway, but for the
 * moment pdig hands a new thread from one tracer thread to another, when
 * it has no tracer (workers.c): its creator must not take it then. */
static int ptrace_check(struct tracer *tr, const uint64_t *args)
{
	if (args[0] != PTRACE_ATTACH && args[0] != PTRACE_SEIZE)
		return 0;
	return threads_find(&tr->threads, (pid_t)args[1]) ? EPERM : 0;
}

int guard_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args)
{
	if (nr == SYS_ptrace)
		return ptrace_check(tr, args);
	if (guard_file_call(nr))
		return guard_file_check(tr, t, nr, args);
	if (nr == SYS_prctl && (int)args[0] == PR_SET_DUMPABLE)
		return dumpable_check(args);
	if (nr == SYS_seccomp || nr == SYS_prctl)
		return guard_seccomp_check(tr, t, nr, args);
	if (guard_always_stops(nr))
		return signal_check(tr, t, nr, args);
	if (nr == SYS_fcntl || nr == SYS_ioctl)
		return owner_check(t, nr, args);
	return 0;
}

bool guard_follows(pid_t tid)
{
	return guard_group_follows(tid) || guard_seccomp_follows(tid);
}

void guard_call_over(pid_t tid, bool alive)
{
	guard_group_end(tid);
	guard_seccomp_done(tid, alive);
}

int guard_refuse(pid_t tid, int err)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return -1;
	/* syscall -1 is skipped and returns whatever rax holds (at a seccomp
	 * stop and at a syscall-entry stop alike) */
	r.orig_rax = (unsigned long long)-1;
	r.rax = (unsigned long long)-(long long)err;
	return ptrace(PTRACE_SETREGS, tid, 0, &r);
}
