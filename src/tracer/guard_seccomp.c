/* A tracee's own seccomp filter (issue 17, item 2).
 *
 * seccomp runs every filter of a thread and the highest-precedence action
 * wins: KILL_PROCESS > KILL_THREAD > TRAP > ERRNO > USER_NOTIF > TRACE >
 * LOG > ALLOW. pdig's filter returns TRACE, so a filter the program adds
 * later (NO_NEW_PRIVS is all it takes) could take a syscall away from
 * pdig's stop. Each action is handled so that nothing escapes:
 *
 * - ERRNO (Docker's profile denies unshare, mount, setns, bpf this way):
 *   the program's filter is rewritten at its install stop so that it
 *   returns TRACE with pdig's mark and the errno in its data. Among equal
 *   actions the newest filter's data wins, so pdig gets the stop, and
 *   there fails the call as the kernel would have: skipped, returning
 *   -errno. Its enter and exit events are made, as for any failed call.
 *   (The driver makes only the exit: seccomp runs before the sys_enter
 *   tracepoint, and the sys_exit one still fires. The enter carries the
 *   arguments a rule looks at, unshare's flags, and a consumer's parser
 *   may expect it before the exit.)
 *   The rewrite is 1 for 1 (RET K by RET K), so no jump moves;
 *   it is done in the program's own buffer (ptrace writes even a
 *   read-only page), which is put back as it was at the call's exit.
 * - USER_NOTIF without a listener makes the call fail with ENOSYS: the
 *   same as ERRNO(ENOSYS). (Marked actions tie, and the newest filter's
 *   wins, where ERRNO outranked USER_NOTIF and TRACE: a call two filters
 *   of the program deny may fail with the other's errno.) A listener (SECCOMP_FILTER_FLAG_NEW_LISTENER)
 *   would let the program run a traced call with no stop at all (a thread
 *   answering SECCOMP_USER_NOTIF_FLAG_CONTINUE): the install is refused
 *   with EBUSY, the kernel's answer when another supervisor already holds
 *   the process's syscalls (a listener further up the filter chain).
 * - TRAP: the call is skipped and SIGSYS sent; pdig makes its events at
 *   the SIGSYS delivery stop, from the siginfo (signals.c), the exit with
 *   the value the driver reads (the kernel's rollback leaves the syscall
 *   number in rax).
 * - TRACE of the program's own: it is meant for a tracer of its own,
 *   which it cannot have under pdig; with none the kernel fails the call
 *   with ENOSYS, so it becomes ERRNO(ENOSYS) as above. Left as TRACE it
 *   would tie with the marked ERRNO of an older filter and, being newer,
 *   win: the call would run. A container's payload could so undo the
 *   profile its runtime installed under pdig.
 * - KILL_THREAD, KILL_PROCESS: the call never runs and nothing of it
 *   reaches the driver either; the death is reported as any other.
 * - RET A (the action computed at run time) cannot be rewritten: such a
 *   filter is refused with EINVAL. libseccomp, Chrome's and systemd's
 *   filters only use RET K.
 * A filter installed through the 32-bit ABI (int 0x80) is refused with
 * EINVAL too (its sock_fprog is laid out differently; no x86-64 program
 * needs it).
 *
 * A sibling thread could write the original back between pdig's rewrite
 * and the kernel's copy: at the exit, pdig reads its words back, and a
 * program that touched them meanwhile is killed, as for the open race
 * (guard_files.c). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

#include "abi/kernel_abi.h"
#include "tracer_internal.h"

#define SECCOMP_SET_MODE_STRICT_OP 0
#define SECCOMP_SET_MODE_FILTER_OP 1
#define FILTER_FLAG_NEW_LISTENER (1u << 3)
#define PR_SET_SECCOMP_OPT 22
#define SECCOMP_MODE_FILTER_PRCTL 2
#define BPF_MAXINSNS_KERNEL 4096
#define RET_K 0x06 /* BPF_RET | BPF_K */
#define RET_A 0x16 /* BPF_RET | BPF_A */
#define ACTION_FULL 0xffff0000u
#define RET_DATA 0x0000ffffu
#define RET_ERRNO 0x00050000u
#define RET_USER_NOTIF 0x7fc00000u
#define MAX_ERRNO_KERNEL 4095
/* pdig's mark in a TRACE's 16 data bits (its own filter returns data 0);
 * the low 12 bits carry the errno */
#define MARK 0xf000u
#define SYS_SECCOMP_CODE 1 /* si_code of a SIGSYS from a TRAP action */

struct insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

/* An install in flight: the words pdig changed in the program's buffer. */
struct rewrite {
	pid_t tid;
	uint64_t filter;  /* the program's instructions */
	uint32_t n;       /* changed */
	uint32_t *index;  /* which */
	uint64_t *orig;   /* their instruction before */
	uint64_t *now;    /* pdig's */
};

#define IN_FLIGHT_MAX 16
static struct rewrite in_flight[IN_FLIGHT_MAX];

bool guard_seccomp_call(uint64_t nr, const uint64_t *args)
{
	if (nr == SYS_seccomp)
		return args[0] == SECCOMP_SET_MODE_STRICT_OP || args[0] == SECCOMP_SET_MODE_FILTER_OP;
	return nr == SYS_prctl && (int)args[0] == PR_SET_SECCOMP_OPT;
}

/* What a RET K becomes under pdig (k itself if it stays). */
static uint32_t rewritten(uint32_t k)
{
	uint32_t action = k & ACTION_FULL, data = k & RET_DATA;
	if (action == RET_ERRNO)
		return PDIG_SECCOMP_RET_TRACE | MARK | (data > MAX_ERRNO_KERNEL ? MAX_ERRNO_KERNEL : data);
	if (action == RET_USER_NOTIF) /* no listener: the kernel answers ENOSYS */
		return PDIG_SECCOMP_RET_TRACE | MARK | ENOSYS;
	if (action == PDIG_SECCOMP_RET_TRACE) /* its tracer can never be pdig: none */
		return PDIG_SECCOMP_RET_TRACE | MARK | ENOSYS;
	return k;
}

static struct rewrite *slot(pid_t tid)
{
	for (int i = 0; i < IN_FLIGHT_MAX; i++)
		if (in_flight[i].tid == tid)
			return &in_flight[i];
	return NULL;
}

static void forget(struct rewrite *w)
{
	free(w->index);
	memset(w, 0, sizeof *w);
}

static int write_insn(pid_t tid, uint64_t filter, uint32_t i, uint64_t insn)
{
	return mem_write(tid, filter + 8ull * i, &insn, sizeof insn);
}

static uint64_t as_word(struct insn in)
{
	uint64_t w;
	memcpy(&w, &in, sizeof w);
	return w;
}

/* Rewrite the program's filter in place; the errno refusing the install,
 * or 0. */
static int rewrite_filter(struct tracer *tr, const struct thread *t, uint64_t fprog_addr, uint32_t flags)
{
	(void)tr;
	if (flags & FILTER_FLAG_NEW_LISTENER)
		return EBUSY;
	struct mem_reader r;
	const struct tracee_mem *m = mem_reader_init(&r, NULL, t->tid, MEM_PLAIN);
	struct {
		uint16_t len;
		uint16_t pad[3];
		uint64_t filter;
	} fprog;
	/* unreadable or out of bounds: the kernel fails it (EFAULT, EINVAL) */
	if (mem_read_exact(m, fprog_addr, &fprog, sizeof fprog) < 0 || fprog.len == 0 ||
	    fprog.len > BPF_MAXINSNS_KERNEL)
		return 0;
	struct insn *prog = malloc(sizeof *prog * fprog.len);
	/* one block: index[], then orig[] and now[] (8-byte aligned after it) */
	size_t words = (fprog.len + 1) / 2;
	uint64_t *block = malloc(8 * (words + 2 * (size_t)fprog.len));
	if (!prog || !block || mem_read_exact(m, fprog.filter, prog, sizeof *prog * fprog.len) < 0) {
		free(prog);
		free(block);
		return prog && block ? 0 : ENOMEM;
	}
	struct rewrite w = { t->tid, fprog.filter, 0, (uint32_t *)block, block + words, block + words + fprog.len };
	int err = 0;
	for (uint32_t i = 0; i < fprog.len && !err; i++) {
		if (prog[i].code == RET_A) {
			err = EINVAL;
		} else if (prog[i].code == RET_K && rewritten(prog[i].k) != prog[i].k) {
			w.index[w.n] = i;
			w.orig[w.n] = as_word(prog[i]);
			prog[i].k = rewritten(prog[i].k);
			w.now[w.n++] = as_word(prog[i]);
		}
	}
	free(prog);
	struct rewrite *free_slot = slot(0);
	if (!err && w.n && !free_slot)
		err = EAGAIN; /* 16 installs in flight at once: try again */
	for (uint32_t j = 0; !err && j < w.n; j++)
		if (write_insn(t->tid, w.filter, w.index[j], w.now[j]) < 0)
			err = EFAULT;
	if (err || !w.n) {
		/* (a partial write is put back: the call is refused) */
		for (uint32_t j = 0; err && j < w.n; j++)
			write_insn(t->tid, w.filter, w.index[j], w.orig[j]);
		free(block);
		return err;
	}
	*free_slot = w;
	return 0;
}

int guard_seccomp_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args)
{
	bool install = nr == SYS_seccomp ? args[0] == SECCOMP_SET_MODE_FILTER_OP
	                                 : (int)args[0] == PR_SET_SECCOMP_OPT && args[1] == SECCOMP_MODE_FILTER_PRCTL;
	/* Without pdig's filter (attach without -S) every syscall stops at
	 * its entry, before any filter runs: nothing to rewrite. */
	if (!install || !t->seccomp)
		return 0;
	struct pdig_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof info, &info) <= 0 || info.arch != PDIG_AUDIT_ARCH_X86_64)
		return EINVAL;
	struct rewrite *stale = slot(t->tid);
	if (stale)
		forget(stale); /* its thread vanished in an exec */
	return rewrite_filter(tr, t, args[2], nr == SYS_seccomp ? (uint32_t)args[1] : 0);
}

bool guard_seccomp_follows(pid_t tid)
{
	return tid && slot(tid);
}

void guard_seccomp_done(pid_t tid, bool alive)
{
	struct rewrite *w = tid ? slot(tid) : NULL;
	if (!w)
		return;
	bool touched = false;
	for (uint32_t j = 0; alive && j < w->n; j++) {
		uint64_t insn = 0;
		struct mem_reader r;
		const struct tracee_mem *m = mem_reader_init(&r, NULL, tid, MEM_PLAIN);
		if (mem_read_exact(m, w->filter + 8ull * w->index[j], &insn, sizeof insn) < 0 || insn != w->now[j])
			touched = true;
		write_insn(tid, w->filter, w->index[j], w->orig[j]);
	}
	if (touched) {
		fprintf(stderr, "pdig: thread %d's seccomp filter was changed while it was being installed "
		                "(a race against pdig's rewrite): its process is killed\n", (int)tid);
		kill(tid, SIGKILL); /* a tid of a process ends the whole process */
	}
	forget(w);
}

/* The enter and exit of a call the program's filter answered (it never
 * reached the kernel's syscall code). */
static void emit_pair(struct tracer *tr, struct thread *t, uint64_t nr, const uint64_t *args, int64_t ret, bool want)
{
	t->nr = nr;
	memcpy(t->args, args, sizeof t->args);
	if (want) {
		core_emit_enter(tr, t);
		core_emit_exit(tr, t, ret);
	} else {
		core_skip_exit(tr, t);
		core_skip_exit(tr, t);
	}
}

/* The errno a marked TRACE stands for, or -1 for any other stop. */
static int marked_errno(uint32_t data)
{
	return (data & MARK) == MARK ? (int)(data & ~MARK & RET_DATA) : -1;
}

bool guard_seccomp_denied(struct tracer *tr, struct thread *t, uint32_t data, uint64_t nr, const uint64_t *args,
                          bool want)
{
	int e = marked_errno(data);
	if (e < 0 || guard_refuse(t->tid, e) < 0)
		return false;
	if (nr < PDIG_SYSCALL_MAX && tr->set.on[nr])
		emit_pair(tr, t, nr, args, -(int64_t)e, want);
	t->state = TS_RUNNING;
	core_resume(t->tid, t->seccomp ? PTRACE_CONT : PTRACE_SYSCALL, 0);
	return true;
}

bool guard_seccomp_keep(pid_t tid)
{
	unsigned long data = 0;
	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &data) < 0)
		return false;
	int e = marked_errno((uint32_t)data);
	return e >= 0 && guard_refuse(tid, e) == 0;
}

void guard_seccomp_trapped(struct tracer *tr, struct thread *t)
{
	siginfo_t si;
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETSIGINFO, t->tid, 0, &si) < 0 || si.si_code != SYS_SECCOMP_CODE ||
	    ptrace(PTRACE_GETREGS, t->tid, 0, &r) < 0)
		return;
	uint64_t nr = compat_native_nr(si.si_arch, (uint64_t)si.si_syscall, &tr->unrecorded_compat);
	if (nr >= PDIG_SYSCALL_MAX || !tr->set.on[nr] || t->state == TS_IN_SYSCALL)
		return;
	/* the arguments are still in their registers (x86-64's; a 32-bit
	 * call's have no twin with the same layout here) */
	uint64_t args[6] = { r.rdi, r.rsi, r.rdx, r.r10, r.r8, r.r9 };
	emit_pair(tr, t, nr, args, (int64_t)r.rax, true);
}
