/* Keeps a tracee from slipping out of tracing with CLONE_UNTRACED: the flag
 * is cleared at the clone/clone3 entry stop, before the kernel reads it.
 * clone passes flags in a register, clone3 in memory; for clone3 a cleaned
 * copy of struct clone_args, trimmed to the fields the kernel knows, is
 * placed below the thread's stack pointer and the syscall is pointed at it,
 * so a sibling thread rewriting the original after our check changes
 * nothing. The copy is in the program's memory all the same, and a sibling
 * thread that knows the stack pointer (or writes through /proc/self/mem)
 * can put the flag back before the kernel reads it; it wins nearly every
 * time (tests/tamper/test_clone_race.sh). So every clone3 is followed to
 * its exit, and to its thread's exit stop: a child made without the clone
 * event that tracing it would have given is an escape, and its creator's
 * process and the child are killed (clone_escaped, clone3_creator_exits). */
#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "abi/kernel_abi.h"
#include "procfs/procfs.h"
#include "tracer_internal.h"

#define CLONE_UNTRACED_FLAG 0x00800000ull
#define CLONE_THREAD_FLAG 0x00010000ull
/* What the kernel accepts as clone3's size: at least version 0 of the
 * struct, at most a page, any alignment; bytes past the struct it knows
 * must be zero (else E2BIG). */
#define CLONE_ARGS_MIN 64
#define CLONE_ARGS_KNOWN 88 /* version 2 (cgroup), the newest so far */
#define CLONE_ARGS_LIMIT 4096
#define PIDFD_THREAD_FLAG O_EXCL /* PIDFD_THREAD: a pidfd for a thread, not a process */

/* The register of argument i (0 or 1): rdi/rsi on x86-64, ebx/ecx for int 0x80. */
static int set_arg(pid_t tid, uint32_t arch, int i, uint64_t value)
{
	size_t reg = arch == PDIG_AUDIT_ARCH_I386 ? (i ? offsetof(struct user_regs_struct, rcx)
	                                               : offsetof(struct user_regs_struct, rbx))
	                                          : (i ? offsetof(struct user_regs_struct, rsi)
	                                               : offsetof(struct user_regs_struct, rdi));
	return (int)ptrace(PTRACE_POKEUSER, tid, (void *)reg, (void *)value);
}

/* Clock ticks since boot, the unit of a process's start time in /proc. */
static uint64_t boot_ticks(void)
{
	struct timespec ts;
	long hz = sysconf(_SC_CLK_TCK);
	if (hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		return 0;
	return (uint64_t)ts.tv_sec * (uint64_t)hz + (uint64_t)ts.tv_nsec / (1000000000ull / (uint64_t)hz);
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

void keep_traced(struct thread *t, uint32_t arch, uint64_t nr, uint64_t *args, uint64_t sp)
{
	/* Only the kernel's copy is cleaned: args keep the flags as the
	 * program passed them, which its events report (as the driver does). */
	if (nr == SYS_clone) {
		if (args[0] & CLONE_UNTRACED_FLAG)
			set_arg(t->tid, arch, 0, args[0] & ~CLONE_UNTRACED_FLAG);
		return;
	}
	if (nr != SYS_clone3)
		return;
	t->clone3_flags_ok = false;
	/* whatever its flags say now: a sibling may change them before the
	 * kernel reads them, so every clone3's child is checked for */
	t->untraced_asked = true;
	t->untraced_flags = 0;
	t->clone3_since = boot_ticks();
	size_t size = args[1];
	if (size < CLONE_ARGS_MIN || size > CLONE_ARGS_LIMIT)
		return; /* the kernel rejects these sizes itself */
	unsigned char ca[CLONE_ARGS_LIMIT];
	struct mem_reader r;
	if (mem_read_exact(mem_reader_init(&r, NULL, t->tid, MEM_PLAIN), args[0], ca, size) < 0)
		return; /* unreadable: the kernel fails it (EFAULT), or the exit check catches it */
	uint64_t flags;
	memcpy(&flags, ca, sizeof flags);
	/* the clone exits report these flags: no need to read them again */
	t->clone3_flags = flags;
	t->clone3_flags_ok = true;
	t->untraced_flags = flags;
	/* a nonzero byte past the struct: the kernel fails it with E2BIG.
	 * The copy keeps one such byte so it fails the same way, whatever
	 * the original says by then. */
	size_t kept = size;
	if (size > CLONE_ARGS_KNOWN)
		kept = all_zero(ca + CLONE_ARGS_KNOWN, size - CLONE_ARGS_KNOWN) ? CLONE_ARGS_KNOWN : CLONE_ARGS_KNOWN + 8;
	if (kept == CLONE_ARGS_KNOWN + 8)
		memset(ca + CLONE_ARGS_KNOWN, 0xff, 8);
	if (!(flags & CLONE_UNTRACED_FLAG))
		return; /* nothing to clean; a race against the original is caught at the exit */
	flags &= ~CLONE_UNTRACED_FLAG;
	memcpy(ca, &flags, sizeof flags);
	/* below the red zone of the stopped thread: free scratch space */
	uint64_t copy = (sp - 128 - kept) & ~15ull;
	if (arch != PDIG_AUDIT_ARCH_I386 || copy <= UINT32_MAX) {
		if (mem_write(t->tid, copy, ca, kept) == 0 && set_arg(t->tid, arch, 0, copy) == 0) {
			args[0] = copy;
			if (kept != size && set_arg(t->tid, arch, 1, kept) == 0)
				args[1] = kept;
			return;
		}
	}
	/* no copy (int 0x80 from a 64-bit stack cannot point that high, or
	 * the stack is not writable): clean the original in place; the
	 * exit check catches a sibling that puts the flag back */
	mem_write(t->tid, args[0], ca, 8);
}

/* pid is a child the tracer does not trace (TracerPid 0) that started at
 * or after since (clock ticks since boot): one a clone3 just made, not one
 * forked before an attach. */
static bool fresh_untraced(pid_t pid, uint64_t since)
{
	if (procfs_status_field(pid, "TracerPid") != 0) /* traced, or gone (-1) */
		return false;
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return false;
	/* field 3, the state, follows the ") ". A zombie is not taken for an
	 * escape: a traced child that exited and that pdig, its tracer, has
	 * reaped is one too, untraced from then on (TracerPid 0) until its
	 * parent reaps it, and a parent that forks in a loop has some of them
	 * fresh at any time; killing one does nothing, and an escaped child
	 * that is one already has run its course (clone_escaped kills the
	 * creator's process all the same). */
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return false;
	/* starttime is field 22 */
	for (int field = 3; field < 22 && p; field++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	unsigned long long start;
	return p && sscanf(p, "%llu", &start) == 1 && start + 1 >= since;
}

static int kill_fresh_children(struct tracer *tr, pid_t tid, uint64_t since, int depth);

/* SIGKILL for pid, if it still is an untraced child made since `since`,
 * and for what it made since (a child that forks and calls setsid before
 * the kill would outlive it): stopped first, so that it makes no more,
 * then its children, then itself. Through a pidfd, so that a pid reused
 * after the check is not hit (the signal to the pidfd fails if that
 * process is gone). */
static bool kill_escaped_pid(struct tracer *tr, pid_t pid, uint64_t since, int depth)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		fd = (int)syscall(SYS_pidfd_open, pid, PIDFD_THREAD_FLAG);
	if (fd < 0)
		return false;
	bool hit = fresh_untraced(pid, since) && syscall(SYS_pidfd_send_signal, fd, SIGSTOP, NULL, 0) == 0;
	if (hit) {
		if (depth < 16)
			kill_fresh_children(tr, pid, since, depth + 1);
		syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	}
	close(fd);
	return hit;
}

/* Kills tid's children that pdig does not trace and that started since
 * its clone3 began: the escaped child when the clone's result is a pid of
 * another namespace (/proc shows pdig's), or when tid exits before its
 * clone3's exit. A CLONE_PARENT child is its grandparent's and is missed
 * here. */
static int kill_fresh_children(struct tracer *tr, pid_t tid, uint64_t since, int depth)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)tid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	long pid;
	int n = 0;
	while (fscanf(f, "%ld", &pid) == 1)
		if (pid > 0 && !threads_find(&tr->threads, (pid_t)pid))
			n += kill_escaped_pid(tr, (pid_t)pid, since, depth);
	fclose(f);
	return n;
}

static bool same_pid_ns(pid_t tid)
{
	char path[64];
	struct stat mine, theirs;
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)tid);
	return stat("/proc/self/ns/pid", &mine) == 0 && stat(path, &theirs) == 0 && mine.st_ino == theirs.st_ino &&
	       mine.st_dev == theirs.st_dev;
}

void clone_escaped(struct tracer *tr, struct thread *t, int64_t ret)
{
	t->untraced_asked = false;
	if (ret <= 0)
		return; /* failed: no child */
	fprintf(stderr, "pdig: thread %d made a child (%lld) that is not traced: CLONE_UNTRACED was put back "
	                "after pdig read or cleared it (a race against pdig): the process and the child are killed\n",
	        (int)t->tid, (long long)ret);
	/* a thread dies with its process; a process of its own is killed by
	 * its pid, before its creator, whose children list shows it */
	if (!(same_pid_ns(t->tid) && kill_escaped_pid(tr, (pid_t)ret, t->clone3_since, 0)))
		kill_fresh_children(tr, t->tid, t->clone3_since, 0);
	kill(t->tid, SIGKILL); /* a tid of a process ends the whole process */
}

void clone3_creator_exits(struct tracer *tr, struct thread *t)
{
	if (!t->untraced_asked)
		return;
	t->untraced_asked = false;
	/* killed (a sibling's exit_group) between making the child and its
	 * clone3's exit stop: the child, if it escaped, is still its child */
	if (kill_fresh_children(tr, t->tid, t->clone3_since, 0) > 0) {
		fprintf(stderr, "pdig: thread %d exited in a clone3 that made a child that is not traced: "
		                "the child and the process are killed\n", (int)t->tid);
		kill(t->tid, SIGKILL);
	}
}
