/* The park: how a tracee moves from one tracer thread to another without
 * running a single instruction untraced (docs/scale.md, "The park").
 *
 * ptrace lets only the tracer thread that attached a tracee serve it, so a
 * move is a detach by the giver (G) and a seize by the taker (T). Between
 * the two the thread must not reach user mode: whatever it fetches there
 * runs with no tracer, and a sibling can rewrite any byte it would fetch.
 * An interruptible sleep is no place to wait: PTRACE_DETACH leaves the
 * thread with TIF_SIGPENDING set, so the sleep ends at once and the
 * syscall restart fetches the `syscall` again. A killable sleep does not
 * end that way, and the one a tracer can put a thread into is a vfork
 * parent's wait for its child (wait_for_vfork_done, TASK_KILLABLE).
 *
 * So, while the thread X is still traced by G:
 *  1. at X's first stop G saves its registers and signal mask, blocks
 *     every signal, and sets the registers for
 *     clone(CLONE_VM|CLONE_VFORK|CLONE_THREAD|CLONE_SIGHAND, PARK_SP) on
 *     the `syscall` X just returned from, resumed with PTRACE_SYSCALL;
 *  2. at the syscall-entry stop G checks that this is that very call
 *     (x86-64, number, arguments, address): else the bytes were changed
 *     under it, the call is skipped, X's registers and mask go back at the
 *     exit stop and X simply stays G's tracee (nothing ran untraced);
 *  3. PTRACE_O_TRACEVFORK stops X at PTRACE_EVENT_VFORK after the helper
 *     thread H is made (auto-attached to G, stopped before it runs); G
 *     detaches X there and posts it to T: X goes on into the kernel's
 *     wait for H, never to user mode while H lives;
 *  4. T seizes X (a sleeping task can be seized), PTRACE_INTERRUPTs it
 *     and asks G to end H; G makes H call exit(0) (traced: at any
 *     syscall-entry stop H's call becomes exit, whatever bytes it ran);
 *  5. H's exit ends X's wait; on its way out of the kernel X traps into
 *     the interrupt's stop for T, which puts the saved registers and mask
 *     back (workers.c: take, park_on_stop here).
 * H is pdig's: its stops and death never reach the core, so it makes no
 * event and no table entry. Every step is a ptrace stop handled where it
 * comes; nothing waits for the program.
 *
 * The state of the parks a worker gives lives in that worker (H and X are
 * its tracees until the detach); the state of the ones it takes lives in
 * the taker. Both are thread-local. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "abi/kernel_abi.h"
#include "tracer_internal.h"

#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif

#define PARK_CLONE_FLAGS ((uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND))
/* H's stack pointer: never a stack (below mmap_min_addr), so a helper
 * made to run other bytes than its exit faults at its first push or ret
 * instead of running the program's code; it also marks H's registers */
#define PARK_SP 0x1000ull
/* H faulting again and again (its bytes keep being changed): it gets
 * the fault, which kills the program, rather than pdig serving it forever */
#define HELPER_FAULTS_MAX 64
#define I386_NR_exit 1

enum phase {
	P_CLONE,   /* resumed to make the clone: its entry stop is next */
	P_ABORT,   /* not the clone (changed bytes): skipped, its exit stop restores */
	P_CLONING, /* the clone checked and running: the vfork stop is next */
	P_HELD,    /* X detached and posted; H held until the taker has X */
	P_ORPHAN,  /* X died inside the clone; its H (if any) is reaped here */
};

struct park {
	pid_t tid, helper;
	enum phase phase;
	unsigned to;                  /* the taker */
	bool helper_stopped;          /* H is in a ptrace stop we hold */
	bool released;                /* the taker has X: H may exit */
	bool helper_opts;             /* H's options set (no exit stop) */
	unsigned long opts;           /* pdig's ptrace options */
	unsigned faults;
	uint64_t sigmask;
	struct user_regs_struct regs; /* X's, at its first stop */
	uint64_t t0;
};

/* A thread this worker seized and whose first stop is still to come. */
struct taking {
	pid_t tid;
	unsigned long opts;
	uint64_t sigmask, t0;
	struct user_regs_struct regs;
};

static __thread struct park *parks;
static __thread size_t nparks, cap_parks;
static __thread struct taking *takings;
static __thread size_t ntakings, cap_takings;
/* Helpers whose first stop came before their X's vfork event told which
 * park they are (a tid is known by its registers, never guessed to be one
 * park's: several X of one process return to the same rip): held stopped
 * until that event claims them, or reaped if their X died. */
static __thread pid_t *early;
static __thread size_t nearly, cap_early;
/* for -v, summed over workers */
static uint64_t aborted_total, helper_faults_total;
static int64_t live; /* parks and takings not finished, over all workers */

static bool grow(void **arr, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 8;
	void *p = realloc(*arr, c * size);
	if (!p)
		return false;
	*arr = p;
	*cap = c;
	return true;
}

static struct park *park_of(pid_t tid)
{
	for (size_t i = 0; i < nparks; i++)
		if (parks[i].tid == tid || (parks[i].helper && parks[i].helper == tid))
			return &parks[i];
	return NULL;
}

static void park_drop(struct park *p)
{
	if (p->phase != P_ORPHAN)
		__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
	*p = parks[--nparks];
}

/* X died inside its clone: the park is over but for knowing its H, if
 * one was made, should it still be reported (not counted as unfinished) */
static void orphan(struct park *p)
{
	if (p->phase != P_ORPHAN)
		__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
	p->phase = P_ORPHAN;
	p->t0 = tracer_mono_ns();
}

/* An orphan whose H never showed within a second made none. */
static void orphans_expire(void)
{
	uint64_t now = tracer_mono_ns();
	for (size_t i = 0; i < nparks;) {
		if (parks[i].phase == P_ORPHAN && !parks[i].helper && now - parks[i].t0 > 1000000000ull)
			park_drop(&parks[i]);
		else
			i++;
	}
}

static void taking_drop(struct taking *k)
{
	*k = takings[--ntakings];
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
}

static struct taking *taking_of(pid_t tid)
{
	for (size_t i = 0; i < ntakings; i++)
		if (takings[i].tid == tid)
			return &takings[i];
	return NULL;
}

static bool is_creation(uint64_t nr)
{
	return nr == SYS_clone || nr == SYS_clone3 || nr == SYS_fork || nr == SYS_vfork;
}

/* How the core lets a running thread go on (tracer.c run_on). */
static void run_on_again(struct tracer *tr, pid_t tid)
{
	struct thread *t = threads_find(&tr->threads, tid);
	core_resume(tid, t && !t->seccomp ? PTRACE_SYSCALL : PTRACE_CONT, 0);
}

/* X as it was at its first stop, nothing to restart. */
static void restore(const struct park *p)
{
	struct user_regs_struct regs = p->regs;
	regs.orig_rax = (uint64_t)-1;
	uint64_t mask = p->sigmask;
	ptrace(PTRACE_SETREGS, p->tid, 0, &regs);
	ptrace(PTRACE_SETSIGMASK, p->tid, (void *)sizeof mask, &mask);
}

bool park_start(struct tracer *tr, struct thread *t, unsigned to)
{
	orphans_expire();
	if (!grow((void **)&parks, &cap_parks, nparks, sizeof *parks))
		return false;
	struct park p = { .tid = t->tid, .to = to, .phase = P_CLONE, .t0 = tracer_mono_ns(), .opts = tracer_options(tr) };
	/* the new child returns from its creating syscall: 0 in rax, just past
	 * a 64-bit `syscall` instruction, which makes the clone */
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &p.regs) < 0 || p.regs.cs != 0x33 || p.regs.rax != 0 ||
	    !is_creation(p.regs.orig_rax))
		return false;
	errno = 0;
	long text = ptrace(PTRACE_PEEKTEXT, t->tid, (void *)(p.regs.rip - 2), 0);
	if (errno || (text & 0xffff) != 0x050f)
		return false; /* (checked again where it counts: at the entry stop) */
	if (ptrace(PTRACE_GETSIGMASK, t->tid, (void *)sizeof p.sigmask, &p.sigmask) < 0)
		return false;
	/* every signal blocked: H inherits the mask, and neither takes a
	 * signal meant for the program while parked */
	uint64_t all = ~0ull;
	struct user_regs_struct c = p.regs;
	c.rip -= 2;
	c.rax = SYS_clone;
	c.orig_rax = (uint64_t)-1; /* no restart: it is not in a syscall now */
	c.rdi = PARK_CLONE_FLAGS;
	c.rsi = PARK_SP;
	c.rdx = c.r10 = c.r8 = 0; /* no tid words, no TLS */
	if (ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof all, &all) < 0)
		return false;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &c) < 0) {
		ptrace(PTRACE_SETSIGMASK, t->tid, (void *)sizeof p.sigmask, &p.sigmask);
		return false;
	}
	parks[nparks++] = p;
	__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	core_resume(t->tid, PTRACE_SYSCALL, 0);
	return true;
}

/* H runs exit(0) from the `syscall` X made the clone with. Resumed with
 * PTRACE_CONT: if it runs other bytes instead, it is still traced as any
 * tracee is (every call the filter stops is made an exit, a fault stops
 * it); without PTRACE_O_TRACEEXIT, so its exit costs no stop on the way
 * that wakes X. */
static void helper_exit(struct park *p)
{
	if (!p->helper_opts &&
	    ptrace(PTRACE_SETOPTIONS, p->helper, 0, (void *)(p->opts & ~(unsigned long)PTRACE_O_TRACEEXIT)) == 0)
		p->helper_opts = true;
	struct user_regs_struct r = p->regs;
	r.rip = p->regs.rip - 2;
	r.rax = SYS_exit;
	r.orig_rax = (uint64_t)-1;
	r.rdi = 0;
	r.rsp = PARK_SP;
	ptrace(PTRACE_SETREGS, p->helper, 0, &r);
	p->helper_stopped = false;
	core_resume(p->helper, PTRACE_CONT, 0);
}

/* H at a syscall stop (entry or seccomp) of a call it was not given:
 * the call becomes exit(0), in the ABI it called with. */
static void helper_call_exit(struct park *p, uint32_t arch)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, p->helper, 0, &r) == 0) {
		bool i386 = arch == PDIG_AUDIT_ARCH_I386;
		r.orig_rax = i386 ? I386_NR_exit : SYS_exit;
		r.rdi = r.rbx = 0;
		ptrace(PTRACE_SETREGS, p->helper, 0, &r);
	}
	core_resume(p->helper, PTRACE_CONT, 0);
}

static bool is_fault(pid_t tid, int sig)
{
	if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE && sig != SIGTRAP)
		return false;
	siginfo_t si;
	/* the kernel's own (si_code > 0), not one sent with kill */
	return ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code > 0;
}

/* A stop of H. */
static void helper_stop(struct park *p, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	bool may_go = p->released || p->phase == P_ORPHAN;
	if (sig == (SIGTRAP | 0x80) || event == PTRACE_EVENT_SECCOMP) {
		struct pdig_syscall_info info;
		int n = (int)ptrace(PTRACE_GET_SYSCALL_INFO, p->helper, sizeof info, &info);
		if (n > 0 && (info.op == PDIG_SYSCALL_INFO_ENTRY || info.op == PDIG_SYSCALL_INFO_SECCOMP))
			helper_call_exit(p, info.arch);
		else
			helper_exit(p); /* returned from something: try again */
		return;
	}
	switch (event) {
	case PTRACE_EVENT_EXIT:
		core_resume(p->helper, PTRACE_CONT, 0);
		return;
	case PTRACE_EVENT_STOP:
		/* its first stop, a group stop, an interrupt: held until the
		 * taker has X, then on its way out */
		p->helper_stopped = true;
		if (may_go)
			helper_exit(p);
		return;
	case 0:
		if (is_fault(p->helper, sig)) {
			__atomic_fetch_add(&helper_faults_total, 1, __ATOMIC_RELAXED);
			/* its bytes were changed under it: try again, up to a
			 * point, then it gets its fault like any thread */
			if (++p->faults < HELPER_FAULTS_MAX) {
				helper_exit(p);
				return;
			}
		}
		/* (a stop signal goes on to the group: the program's) */
		p->helper_stopped = false;
		core_resume(p->helper, PTRACE_CONT, sig);
		return;
	default:
		core_resume(p->helper, PTRACE_CONT, 0);
		return;
	}
}

static bool early_has(pid_t tid, bool take)
{
	for (size_t i = 0; i < nearly; i++) {
		if (early[i] == tid) {
			if (take)
				early[i] = early[--nearly];
			return true;
		}
	}
	return false;
}

/* A stop of a thread not in the table while this worker has a clone in
 * flight whose H is not known yet: is it an H, stopped before its X's
 * vfork event came? Its registers say so (the clone's: PARK_SP, the
 * flags, the rip of such an X). Held, to be claimed by that event. */
static bool early_helper(struct tracer *tr, pid_t tid, int status)
{
	bool open = false;
	for (size_t i = 0; i < nparks && !open; i++)
		open = !parks[i].helper && (parks[i].phase == P_CLONING || parks[i].phase == P_ORPHAN);
	if (!open || threads_find(&tr->threads, tid))
		return false;
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0 || r.rsp != PARK_SP || r.rdi != PARK_CLONE_FLAGS ||
	    r.orig_rax != SYS_clone)
		return false;
	bool rip = false;
	for (size_t i = 0; i < nparks && !rip; i++)
		rip = !parks[i].helper && (parks[i].phase == P_CLONING || parks[i].phase == P_ORPHAN) &&
		      r.rip == parks[i].regs.rip;
	if (!rip || !grow((void **)&early, &cap_early, nearly, sizeof *early))
		return false;
	early[nearly++] = tid;
	if (status >> 16 == PTRACE_EVENT_EXIT)
		core_resume(tid, PTRACE_CONT, 0); /* dying already: let it */
	return true;
}

/* Anything but the expected: X goes back to how it was and stays here. */
static bool abort_park(struct tracer *tr, struct park *p, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	__atomic_fetch_add(&aborted_total, 1, __ATOMIC_RELAXED);
	if (event == PTRACE_EVENT_EXIT) {
		park_drop(p);
		return false; /* its death, as the core handles any */
	}
	restore(p);
	pid_t tid = p->tid;
	park_drop(p);
	if (event == 0 && is_fault(tid, sig)) {
		/* made by the changed bytes with pdig's registers: undone */
		run_on_again(tr, tid);
		return true;
	}
	return false; /* the core handles the stop, with X as it was */
}

/* Skip the call X makes instead of the clone; its exit stop restores. */
static void skip_call(struct park *p)
{
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, p->tid, 0, &r) == 0) {
		r.orig_rax = (uint64_t)-1;
		ptrace(PTRACE_SETREGS, p->tid, 0, &r);
	}
	__atomic_fetch_add(&aborted_total, 1, __ATOMIC_RELAXED);
	p->phase = P_ABORT;
	core_resume(p->tid, PTRACE_SYSCALL, 0);
}

static bool is_the_clone(const struct park *p)
{
	struct pdig_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, p->tid, sizeof info, &info) <= 0)
		return false;
	return info.op == PDIG_SYSCALL_INFO_ENTRY && info.arch == PDIG_AUDIT_ARCH_X86_64 &&
	       info.entry.nr == SYS_clone && info.entry.args[0] == PARK_CLONE_FLAGS && info.entry.args[1] == PARK_SP &&
	       info.entry.args[2] == 0 && info.entry.args[3] == 0 && info.entry.args[4] == 0 &&
	       info.instruction_pointer == p->regs.rip;
}

/* X's PTRACE_EVENT_VFORK: H exists; X is detached and handed on. */
static void vfork_stop(struct tracer *tr, struct park *p)
{
	unsigned long h = 0;
	ptrace(PTRACE_GETEVENTMSG, p->tid, 0, &h);
	/* stopped already (its first stop came first): held until released */
	if (early_has((pid_t)h, true))
		p->helper_stopped = true;
	p->helper = (pid_t)h;
	struct thread *t = threads_find(&tr->threads, p->tid);
	if (!t || !workers_give(tr, t, p->to, &p->regs, p->sigmask, p->t0)) {
		/* dead already (the detach failed): H is reaped here */
		orphan(p);
		if (p->helper_stopped)
			helper_exit(p);
		return;
	}
	p->phase = P_HELD;
}

/* At a syscall-exit stop of X: X as it was, on as a tracee of this
 * worker, the park over. */
static void undo_at_exit(struct tracer *tr, struct park *p)
{
	restore(p);
	pid_t tid = p->tid;
	park_drop(p);
	run_on_again(tr, tid);
}

/* A stop of X while G makes it park. True if handled here. */
static bool parked_stop(struct tracer *tr, struct park *p, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	switch (p->phase) {
	case P_CLONE:
		if (sig == (SIGTRAP | 0x80)) {
			if (!is_the_clone(p)) {
				skip_call(p);
				return true;
			}
			p->phase = P_CLONING;
			core_resume(p->tid, PTRACE_SYSCALL, 0);
			return true;
		}
		if (event == PTRACE_EVENT_SECCOMP) {
			skip_call(p);
			return true;
		}
		return abort_park(tr, p, status);
	case P_ABORT:
		if (event == PTRACE_EVENT_SECCOMP) {
			core_resume(p->tid, PTRACE_SYSCALL, 0);
			return true;
		}
		if (sig == (SIGTRAP | 0x80)) {
			undo_at_exit(tr, p); /* the skipped call's exit */
			return true;
		}
		return abort_park(tr, p, status);
	case P_CLONING:
		if (event == PTRACE_EVENT_SECCOMP) {
			core_resume(p->tid, PTRACE_SYSCALL, 0);
			return true;
		}
		if (event == PTRACE_EVENT_VFORK) {
			vfork_stop(tr, p);
			return true;
		}
		if (sig == (SIGTRAP | 0x80)) {
			/* the clone failed (EAGAIN: a limit) */
			__atomic_fetch_add(&aborted_total, 1, __ATOMIC_RELAXED);
			undo_at_exit(tr, p);
			return true;
		}
		if (event == PTRACE_EVENT_EXIT) {
			/* killed inside the clone: an H it made dies too */
			orphan(p);
			return false;
		}
		return abort_park(tr, p, status);
	default:
		return false;
	}
}

/* The taken thread's first stop: put it back as it was. */
static void taken_stop(struct taking *k, int status)
{
	if (WIFSTOPPED(status) && status >> 16 != PTRACE_EVENT_EXIT) {
		/* the interrupt's stop, on its way out of the clone (or a group
		 * stop taken first): the saved registers, orig_rax -1 so nothing
		 * is restarted */
		struct user_regs_struct regs = k->regs;
		regs.orig_rax = (uint64_t)-1;
		uint64_t mask = k->sigmask;
		ptrace(PTRACE_SETREGS, k->tid, 0, &regs);
		ptrace(PTRACE_SETSIGMASK, k->tid, (void *)sizeof mask, &mask);
	}
	/* the options it was seized without (PTRACE_O_TRACEVFORKDONE) */
	ptrace(PTRACE_SETOPTIONS, k->tid, 0, (void *)k->opts);
	workers_took(k->t0);
	taking_drop(k);
}

bool park_on_stop(struct tracer *tr, pid_t tid, int status)
{
	struct taking *k = ntakings ? taking_of(tid) : NULL;
	if (k) {
		taken_stop(k, status);
		return false; /* the core goes on with its stop */
	}
	if (nearly && early_has(tid, false)) {
		/* held, unclaimed: only its death moves it */
		if (status >> 16 == PTRACE_EVENT_EXIT)
			core_resume(tid, PTRACE_CONT, 0);
		return true;
	}
	if (!nparks)
		return false;
	struct park *p = park_of(tid);
	if (!p)
		return early_helper(tr, tid, status);
	if (tid == p->helper) {
		helper_stop(p, status);
		return true;
	}
	return parked_stop(tr, p, status);
}

bool park_on_death(struct tracer *tr, pid_t tid, int status)
{
	(void)status;
	struct taking *k = ntakings ? taking_of(tid) : NULL;
	if (k) {
		workers_took(k->t0);
		taking_drop(k);
		return false;
	}
	if (nearly && early_has(tid, true))
		return true;
	struct park *p = nparks ? park_of(tid) : NULL;
	if (!p) {
		/* a thread pdig never saw stop, while a park's X died inside
		 * its clone: most likely that park's H, gone with its group
		 * before its first stop (its registers are not to be read
		 * now); either way that park is over */
		for (size_t i = 0; nparks && i < nparks; i++) {
			if (parks[i].phase == P_ORPHAN && !parks[i].helper && !threads_find(&tr->threads, tid)) {
				park_drop(&parks[i]);
				break;
			}
		}
		return false;
	}
	if (tid == p->helper) {
		/* H reaped: nothing is left of this park here (X, if it is
		 * still to come in P_CLONING, is then the core's) */
		if (p->phase == P_CLONING)
			p->helper = 0, p->helper_stopped = false;
		else
			park_drop(p);
		return true;
	}
	if (p->phase == P_CLONING) {
		orphan(p); /* its H may still be reported */
	} else if (p->phase != P_ORPHAN) {
		park_drop(p);
	}
	return false;
}

void park_release(pid_t tid)
{
	for (size_t i = 0; i < nparks; i++) {
		struct park *p = &parks[i];
		if (p->tid != tid || p->phase != P_HELD)
			continue;
		p->released = true;
		if (p->helper_stopped)
			helper_exit(p);
		return;
	}
}

bool park_taking(pid_t tid, unsigned long opts, const struct user_regs_struct *regs, uint64_t sigmask, uint64_t t0)
{
	if (!grow((void **)&takings, &cap_takings, ntakings, sizeof *takings))
		return false;
	takings[ntakings++] = (struct taking){ .tid = tid, .opts = opts, .sigmask = sigmask, .t0 = t0, .regs = *regs };
	__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	return true;
}

void park_thread_end(void)
{
	free(parks);
	free(takings);
	free(early);
	parks = NULL;
	takings = NULL;
	early = NULL;
	nparks = cap_parks = ntakings = cap_takings = nearly = cap_early = 0;
}

void park_load(unsigned *count, unsigned me)
{
	for (size_t i = 0; i < nparks; i++) {
		const struct park *p = &parks[i];
		if (p->phase == P_CLONE || p->phase == P_ABORT || p->phase == P_CLONING) {
			count[p->to]++;
			if (count[me])
				count[me]--;
		}
	}
}

void park_report(void)
{
	fprintf(stderr, "pdig: parks undone (the clone's bytes changed, a signal first, a limit): %llu; helper "
	                "faults: %llu; parks left unfinished: %lld\n",
	        (unsigned long long)__atomic_load_n(&aborted_total, __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&helper_faults_total, __ATOMIC_RELAXED),
	        (long long)__atomic_load_n(&live, __ATOMIC_RELAXED));
}
