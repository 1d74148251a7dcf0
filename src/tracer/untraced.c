/* Keeps a tracee from slipping out of tracing with CLONE_UNTRACED: the flag
 * is cleared at the clone/clone3 entry stop, before the kernel reads it.
 * clone passes flags in a register, clone3 in memory; for clone3 a cleaned
 * copy of struct clone_args is placed below the thread's stack pointer and
 * the syscall is pointed at it, so a sibling thread rewriting the original
 * after our check changes nothing. The copy is in the program's memory
 * all the same, and a sibling thread that knows the stack pointer (or
 * writes through /proc/self/mem) can put the flag back before the kernel
 * reads it; it wins nearly every time (tests/tamper/test_clone_race.sh).
 * So such a clone3 is followed to its exit: a child made without the
 * clone event that tracing it would have given is an escape, and its
 * creator's process and the child are killed (clone_escaped). */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "abi/kernel_abi.h"
#include "tracer_internal.h"

#define CLONE_UNTRACED_FLAG 0x00800000ull
#define CLONE_ARGS_MAX 128 /* larger than any struct clone_args version so far */

/* The first argument's register: rdi on x86-64, ebx for int 0x80. */
static int set_arg0(pid_t tid, uint32_t arch, uint64_t value)
{
	size_t reg = arch == PDIG_AUDIT_ARCH_I386 ? offsetof(struct user_regs_struct, rbx)
	                                          : offsetof(struct user_regs_struct, rdi);
	return (int)ptrace(PTRACE_POKEUSER, tid, (void *)reg, (void *)value);
}

void keep_traced(struct thread *t, uint32_t arch, uint64_t nr, uint64_t *args, uint64_t sp)
{
	/* Only the kernel's copy is cleaned: args keep the flags as the
	 * program passed them, which its events report (as the driver does). */
	if (nr == SYS_clone) {
		if (args[0] & CLONE_UNTRACED_FLAG)
			set_arg0(t->tid, arch, args[0] & ~CLONE_UNTRACED_FLAG);
		return;
	}
	if (nr != SYS_clone3)
		return;
	t->clone3_flags_ok = false;
	t->untraced_asked = false;
	size_t size = args[1];
	if (size < 8 || size > CLONE_ARGS_MAX || (size & 7))
		return; /* the kernel rejects these sizes itself */
	uint64_t ca[CLONE_ARGS_MAX / 8];
	struct mem_reader r;
	if (mem_read_exact(mem_reader_init(&r, NULL, t->tid, MEM_PLAIN), args[0], ca, size) < 0)
		return;
	/* the clone exits report these flags: no need to read them again */
	t->clone3_flags = ca[0];
	t->clone3_flags_ok = true;
	if (!(ca[0] & CLONE_UNTRACED_FLAG))
		return;
	t->untraced_asked = true;
	t->untraced_flags = ca[0];
	ca[0] &= ~CLONE_UNTRACED_FLAG;
	/* below the red zone of the stopped thread: free scratch space */
	uint64_t copy = (sp - 128 - size) & ~15ull;
	if (arch == PDIG_AUDIT_ARCH_I386 && copy > UINT32_MAX) {
		/* int 0x80 from a 64-bit stack cannot point that high: clean it in place */
		if (mem_write(t->tid, args[0], ca, size) < 0)
			t->clone3_flags_ok = false;
		return;
	}
	if (mem_write(t->tid, copy, ca, size) == 0 && set_arg0(t->tid, arch, copy) == 0)
		args[0] = copy;
	else
		t->clone3_flags_ok = false; /* the kernel reads the original */
}

#define CLONE_THREAD_FLAG 0x00010000ull

/* Kills the children of tid that pdig does not trace: the escaped child
 * when the clone's result is a pid of another namespace (/proc shows
 * pdig's). A CLONE_PARENT child is its grandparent's and is missed here. */
static void kill_untraced_children(struct tracer *tr, pid_t tid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)tid, (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	long pid;
	while (fscanf(f, "%ld", &pid) == 1)
		if (pid > 0 && !threads_find(&tr->threads, (pid_t)pid))
			kill((pid_t)pid, SIGKILL);
	fclose(f);
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
	                "after pdig cleared it (a race against pdig's copy): the process and the child are killed\n",
	        (int)t->tid, (long long)ret);
	/* a thread dies with its process; a process of its own is killed by
	 * its pid, before its creator, whose children list shows it */
	if (!(t->untraced_flags & CLONE_THREAD_FLAG)) {
		if (same_pid_ns(t->tid))
			kill((pid_t)ret, SIGKILL);
		else
			kill_untraced_children(tr, t->tid);
	}
	kill(t->tid, SIGKILL); /* a tid of a process ends the whole process */
}
