/* A stop's work that needs nothing shared, done before the core lock
 * (docs/scale.md, "Where the held time goes"). With several tracer
 * threads each stop is handled under one lock; the stop's report
 * (waitid) and its syscall info (ptrace) were two of the three or four
 * syscalls made under it. Both ask the kernel about a tracee only this
 * thread acts on, so they are made before the lock:
 *
 * - The report is taken here only if it is a stop (waitid without
 *   WEXITED): a death frees the tid for reuse, so deaths are still taken
 *   under the lock, as before. A stopped thread stays in that stop until
 *   this thread resumes it; if it is killed meanwhile its death comes as
 *   a report of its own, after the stop, to its tracer.
 * - The one other pdig thread that may reap a tracee's death is its real
 *   parent (worker 0, for pdig's child and what is reparented to it) and
 *   it does so under the lock. A stop taken here whose thread's death was
 *   handled so before this thread got the lock is stale: dropped
 *   (prelock_stale), since its thread is gone and the tid may be
 *   another's by now.
 * - The syscall info of a syscall or seccomp stop is read once the stop
 *   is taken; the handler takes it from here (prelock_syscall_info).
 * - At the entry of an open or exec, the path's first chunk (to its page's
 *   end, as the encoders read it) is read from the tracee's memory; the
 *   encoders' reads inside it are served from here (prelock_read). The
 *   thread is stopped, so what is read is what it passes, as under the
 *   lock (a sibling thread may change it either way; the kernel reads it
 *   after both).
 * - At an exec, whether the process holds an io_uring (elide.c) is a scan
 *   of its /proc fd directory, the longest part of that stop: made here.
 *   Its fd table cannot change meanwhile: after the exec it is the stopped
 *   process's own (prelock_io_uring). A forked child needs no scan: it
 *   inherits what pdig knows of its parent (elide_on_fork). */
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "prelock.h"
#include "procfs/procfs.h"

bool prelock_take_stop(pid_t tid, int *status, int wait_flags)
{
	siginfo_t si;
	si.si_pid = 0;
	if (waitid(P_PID, (id_t)tid, &si, WSTOPPED | WNOHANG | wait_flags) < 0 || si.si_pid != tid)
		return false;
	/* a ptrace stop's si_status is the whole stop code (signal, event
	 * and the 0x80 of a syscall stop), as waitpid's status has it */
	*status = (si.si_status << 8) | 0x7f;
	return true;
}

/* this tracer thread's answer for the stop of `tid` it is about to handle */
static __thread struct {
	pid_t tid; /* 0: none */
	long n;
	struct pdig_syscall_info info;
} early;

/* ... and the first chunk of its path, for the entry of these */
static __thread struct {
	pid_t tid; /* 0: none */
	uint64_t addr;
	size_t got;
	char buf[4096];
} path;

/* The path argument of the syscalls whose entry reads one first (the
 * opens and execs: the file events rules look at most), or -1. */
static int path_arg(uint64_t nr)
{
	switch (nr) {
	case SYS_open:
	case SYS_creat:
	case SYS_execve:
		return 0;
	case SYS_openat:
	case SYS_openat2:
	case SYS_execveat:
		return 1;
	default:
		return -1;
	}
}

static void read_path(pid_t tid, uint64_t addr)
{
	/* read_str's first chunk: to the end of the page, less the NUL */
	size_t len = 4096 - (addr & 4095);
	if (len > sizeof path.buf - 1)
		len = sizeof path.buf - 1;
	struct iovec local = { path.buf, len }, remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = addr ? process_vm_readv(tid, &local, 1, &remote, 1, 0) : -1;
	if (n > 0) {
		path.tid = tid;
		path.addr = addr;
		path.got = (size_t)n;
	}
}

/* ... and whether the process an exec stop is about holds an io_uring */
static __thread struct {
	pid_t pid; /* 0: none */
	bool has;
} uring;

static void scan_io_uring(pid_t pid)
{
	uring.has = procfs_has_io_uring(pid);
	uring.pid = pid;
}

bool prelock_io_uring(pid_t pid, bool *has)
{
	if (uring.pid != pid || !pid)
		return false;
	*has = uring.has;
	return true;
}

void prelock_info(pid_t tid, int status, bool elide)
{
	early.tid = 0;
	path.tid = 0;
	uring.pid = 0;
	int event = status >> 16;
	if (elide && WIFSTOPPED(status) && event == PTRACE_EVENT_EXEC) {
		scan_io_uring(tid); /* the process's tid after the exec, its leader's */
		return;
	}
	if (!WIFSTOPPED(status) || (WSTOPSIG(status) != (SIGTRAP | 0x80) && event != PTRACE_EVENT_SECCOMP))
		return;
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof early.info, &early.info);
	if (n > 0) {
		early.n = n;
		early.tid = tid;
	}
	/* the entry (the seccomp stop, with pdig's filter) of a 64-bit call */
	if (n > 0 && early.info.op == PDIG_SYSCALL_INFO_SECCOMP && early.info.arch == PDIG_AUDIT_ARCH_X86_64) {
		int arg = path_arg(early.info.seccomp.nr);
		if (arg >= 0)
			read_path(tid, early.info.seccomp.args[arg]);
	}
}

bool prelock_stop_is(pid_t tid, int status)
{
	int event = status >> 16;
	bool seccomp = event == PTRACE_EVENT_SECCOMP;
	if (!WIFSTOPPED(status) || (WSTOPSIG(status) != (SIGTRAP | 0x80) && !seccomp))
		return true; /* no kind the kernel tells apart here */
	if (early.tid != tid || !tid)
		return true; /* nothing read (gone, or not stopped): its handler finds out */
	if (seccomp)
		return early.info.op == PDIG_SYSCALL_INFO_SECCOMP;
	return early.info.op == PDIG_SYSCALL_INFO_ENTRY || early.info.op == PDIG_SYSCALL_INFO_EXIT;
}

void prelock_forget(void)
{
	early.tid = 0;
	path.tid = 0;
	uring.pid = 0;
}

ssize_t prelock_read(pid_t tid, uint64_t addr, void *dst, size_t len)
{
	if (path.tid != tid || !tid || addr < path.addr || addr - path.addr >= path.got)
		return -1;
	size_t off = (size_t)(addr - path.addr);
	if (len > path.got - off) {
		/* past what was read: short only where the tracee's memory
		 * ended (the read was short), else asked of the kernel */
		if (path.got == 4096 - (path.addr & 4095) || path.got == sizeof path.buf - 1)
			return -1;
		len = path.got - off;
	}
	memcpy(dst, path.buf + off, len);
	return (ssize_t)len;
}

long prelock_syscall_info(pid_t tid, struct pdig_syscall_info *info)
{
	if (early.tid == tid && tid) {
		early.tid = 0; /* once: a stop's handler asks once */
		memcpy(info, &early.info, sizeof *info);
		return early.n;
	}
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof *info, info);
	if (n <= 0)
		info->op = 0; /* PTRACE_SYSCALL_INFO_NONE: nothing read */
	return n;
}

/* The last deaths reaped elsewhere, by their count: written under the
 * lock; the count also read before it (atomically). More than REAPS of
 * them between a take and its lock (never seen: a handful of µs apart)
 * make every stop taken meanwhile checked as if its tid were among them. */
#define REAPS 64
static struct {
	uint64_t count;
	pid_t tid[REAPS];
} reaps;

uint64_t prelock_reaps_mark(void)
{
	return __atomic_load_n(&reaps.count, __ATOMIC_ACQUIRE);
}

void prelock_reaped_elsewhere(pid_t tid)
{
	reaps.tid[reaps.count % REAPS] = tid;
	__atomic_store_n(&reaps.count, reaps.count + 1, __ATOMIC_RELEASE);
}


bool prelock_stale(uint64_t mark, pid_t tid, int wait_flags)
{
	uint64_t now = reaps.count;
	bool maybe = now - mark > REAPS; /* too many to tell */
	for (uint64_t i = mark; i < now && !maybe; i++)
		maybe = reaps.tid[i % REAPS] == tid;
	if (!maybe)
		return false;
	/* tid's thread died and was reaped, before or after the take: the
	 * stop taken is the current task's (the tid reused by a new tracee of
	 * this thread) only if that task is in a stop this thread may act on
	 * and has no report of its own waiting; else it was the dead one's */
	prelock_forget();
	unsigned long msg;
	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) < 0)
		return true;
	siginfo_t si;
	si.si_pid = 0;
	return waitid(P_PID, (id_t)tid, &si, WSTOPPED | WEXITED | WNOHANG | WNOWAIT | wait_flags) == 0 &&
	       si.si_pid == tid;
}
