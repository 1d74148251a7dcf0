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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "abi/kernel_abi.h"
#include "procfs/procfs.h"
#include "tracer_internal.h"

#ifndef PTRACE_GETSIGMASK
#define PTRACE_GETSIGMASK 0x420a
#define PTRACE_SETSIGMASK 0x420b
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

#define PARK_CLONE_FLAGS ((uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND))
/* H's stack pointer: not a stack the program should have (it can map page
 * 0x1000 where mmap_min_addr is 4096, so this is no guarantee: H is known
 * only by the tid the kernel reports, never by its registers) */
#define PARK_SP 0x1000ull
/* The synchronous signals stay unblocked while parked: a fault raised with
 * its signal blocked makes the kernel reset the handler to SIG_DFL for the
 * whole process (force_sig_info_to_task), a handler the program needs */
#define SIGBIT(s) (1ull << ((s) - 1))
#define PARK_UNBLOCKED                                                                                  \
	(SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGFPE) | SIGBIT(SIGTRAP) | SIGBIT(SIGSYS))
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
	pid_t tid, helper, pid;
	int hfd;                      /* H's pidfd (-1: none) */
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
/* First stops of tids pdig does not know yet, while a park's clone is in
 * flight whose H is not known: one may be that H, whose first stop came
 * before its X's vfork event. Nothing the program controls tells them
 * apart, so all are held; the vfork event names H by its tid
 * (PTRACE_GETEVENTMSG) and every other one goes to the core, with its
 * stop, once no clone is in flight. */
struct held {
	pid_t tid;
	int status;
};
static __thread struct held *early;
static __thread size_t nearly, cap_early;
/* tids reaped while a clone was in flight: a vfork event naming one names
 * a helper that is gone (its tid may be another task's by then) */
static __thread pid_t *gone;
static __thread size_t ngone, cap_gone;
/* for -v, summed over workers */
static uint64_t aborted_total, helper_faults_total, death_total, refused_total;
/* The park's own clone failed with EAGAIN once (a pids cgroup limit pdig
 * did not see): no more parks, a later one could take the slot the
 * program's own fork needs */
static bool limit_hit;
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

/* The park tid is X or H of. X only while it is this worker's tracee (a
 * held X was detached, an orphan's X is dead: its tid may be another
 * task's by now); H from the vfork event naming it to its death. */
static struct park *park_of(pid_t tid)
{
	for (size_t i = 0; i < nparks; i++) {
		const struct park *p = &parks[i];
		if ((p->helper && p->helper == tid) || (p->tid == tid && p->phase != P_HELD && p->phase != P_ORPHAN))
			return &parks[i];
	}
	return NULL;
}

static void park_drop(struct park *p)
{
	if (p->phase != P_ORPHAN)
		__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
	if (p->hfd >= 0)
		close(p->hfd);
	*p = parks[--nparks];
}

static void count_death(void)
{
	__atomic_fetch_add(&death_total, 1, __ATOMIC_RELAXED);
}

/* H is still the task the vfork event named (its pidfd: not exited) */
static bool helper_alive(const struct park *p)
{
	if (p->hfd < 0)
		return true; /* (before 6.9: no thread pidfd; H is pdig's tracee, its tid not reused until pdig reaps it) */
	/* (not poll: with the worker's wake signal pending, poll(.., 0) fails
	 * EINTR, and a live H was taken for dead and left stopped) */
	return !(syscall(SYS_pidfd_send_signal, p->hfd, 0, NULL, 0) < 0 && errno == ESRCH);
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

/* A seccomp filter in t that is not pdig's (the program's own, or one it
 * had before pdig attached): it may refuse the park's clone (TRAP, KILL,
 * ERRNO), so t is not parked. The filters are counted; pdig's is one if
 * t's process has it. */
static bool foreign_filter(const struct thread *t)
{
	long mine = t->seccomp ? 1 : 0;
	errno = 0;
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, t->tid, (void *)mine, 0) >= 0)
		return true; /* a filter beyond pdig's */
	if (errno == ENOENT)
		return false;
	/* (no CAP_SYS_ADMIN: /proc tells the count; -1, not known, is foreign) */
	return procfs_status_field(t->tid, "Seccomp_filters") != mine;
}

/* The pids cgroups with a finite pids.max on pdig's cgroup's way up (a
 * program pdig spawns starts there; found once): their directory and
 * their limit. Kubernetes and systemd set one almost everywhere, so only
 * one that is near counts (pids_near). */
#define PIDS_LEVELS 8
#define NPROC_MARGIN 256 /* tasks that may be made between a check and the clone */
static struct {
	int n; /* -1: not looked yet */
	long max[PIDS_LEVELS];
	char dir[PIDS_LEVELS][160];
} pids = { .n = -1 };

static long read_long_file(const char *path)
{
	char v[32];
	long r = -1;
	FILE *m = fopen(path, "re");
	if (m) {
		if (fgets(v, sizeof v, m) && v[0] >= '0' && v[0] <= '9')
			r = strtol(v, NULL, 10);
		fclose(m);
	}
	return r;
}

static void pids_find(void)
{
	pids.n = 0;
	char line[512], path[640];
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		/* v2's one line, or v1's pids controller */
		const char *base = !strncmp(line, "0::", 3) ? "" : strstr(line, ":pids:") ? "/pids" : NULL;
		if (!base)
			continue;
		line[strcspn(line, "\n")] = 0;
		char *dir = strchr(strchr(line, ':') + 1, ':') + 1;
		for (;;) {
			snprintf(path, sizeof path, "/sys/fs/cgroup%s%s/pids.max", base, dir);
			long max = read_long_file(path); /* "max": -1 */
			int len = snprintf(path, sizeof path, "/sys/fs/cgroup%s%s", base, dir);
			if (max >= 0 && pids.n < PIDS_LEVELS && len > 0 && (size_t)len < sizeof pids.dir[0]) {
				pids.max[pids.n] = max;
				memcpy(pids.dir[pids.n++], path, (size_t)len + 1);
			}
			char *slash = strrchr(dir, '/');
			if (!slash || slash == dir)
				break;
			*slash = 0;
		}
	}
	fclose(f);
}

/* Is a pids cgroup above the program near its limit (pids.current within
 * the margin of pids.max, or unreadable)? Called under the core lock. */
static bool pids_near(void)
{
	if (pids.n < 0)
		pids_find();
	char path[200];
	for (int i = 0; i < pids.n; i++) {
		snprintf(path, sizeof path, "%s/pids.current", pids.dir[i]);
		long cur = read_long_file(path);
		if (cur < 0 || cur + NPROC_MARGIN >= pids.max[i])
			return true;
	}
	return false;
}

/* A process in a pid namespace below pdig's would see the helper's tid
 * taken from its own numbers (a new namespace's init expects its first
 * child to be 2; e2e_test_pidns), so it is not parked. */
static bool foreign_pidns(pid_t tid)
{
	static char own[64];
	char path[64], ns[64];
	if (!own[0]) {
		ssize_t n = readlink("/proc/self/ns/pid", own, sizeof own - 1);
		if (n <= 0)
			return true;
		own[n] = 0;
	}
	snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)tid);
	ssize_t n = readlink(path, ns, sizeof ns - 1);
	if (n <= 0)
		return true;
	ns[n] = 0;
	return strcmp(ns, own) != 0;
}

/* RLIMIT_NPROC finite and near: the user's tasks could be at the limit,
 * i.e. the system has nearly as many tasks as the limit allows (a user
 * never has more than the system; the margin covers tasks made meanwhile) */
static bool nproc_near(pid_t tid)
{
	struct rlimit rl;
	if (prlimit(tid, RLIMIT_NPROC, NULL, &rl) < 0)
		return true;
	if (rl.rlim_cur == RLIM_INFINITY)
		return false;
	struct sysinfo si;
	return sysinfo(&si) < 0 || (rlim_t)si.procs + NPROC_MARGIN >= rl.rlim_cur;
}

/* Threads not parked (they stay on this worker; balance is lost for them,
 * correctness kept): a filter of the program's own could refuse the
 * park's clone, a task limit near (RLIMIT_NPROC, pids.max) could refuse
 * the program's own fork while the helper takes a slot, and in a pid
 * namespace of its own the program would see the helper's tid. */
static bool park_refused(const struct thread *t)
{
	bool no = __atomic_load_n(&limit_hit, __ATOMIC_RELAXED) || pids_near() || nproc_near(t->tid) ||
	          foreign_filter(t) || foreign_pidns(t->tid);
	if (no)
		__atomic_fetch_add(&refused_total, 1, __ATOMIC_RELAXED);
	return no;
}

bool park_start(struct tracer *tr, struct thread *t, unsigned to)
{
	orphans_expire();
	if (!grow((void **)&parks, &cap_parks, nparks, sizeof *parks) || park_refused(t))
		return false;
	struct park p = { .tid = t->tid, .pid = t->pid, .hfd = -1, .to = to, .phase = P_CLONE,
	                  .t0 = tracer_mono_ns(), .opts = tracer_options(tr) };
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
	/* every signal blocked but the synchronous ones: H inherits the mask,
	 * and neither takes a signal meant for the program while parked */
	uint64_t all = ~0ull & ~PARK_UNBLOCKED;
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
	if (!helper_alive(p))
		return; /* exited: its death is on its way here */
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
		siginfo_t si;
		if (sig <= 64 && (SIGBIT(sig) & PARK_UNBLOCKED) && ptrace(PTRACE_GETSIGINFO, p->helper, 0, &si) == 0 &&
		    si.si_code <= 0) {
			/* sent to H (kill, tgkill), unblocked only for the fault
			 * case: H never runs the program's handler; the program's
			 * thread X gets it instead, once it is back */
			if (p->pid > 0)
				syscall(SYS_tgkill, p->pid, p->tid, sig);
			core_resume(p->helper, PTRACE_CONT, 0);
			return;
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

/* A clone of a park in flight whose H is not known yet? */
static bool clone_open(void)
{
	for (size_t i = 0; i < nparks; i++)
		if (!parks[i].helper && parks[i].phase == P_CLONING)
			return true;
	return false;
}

static bool early_has(pid_t tid, bool take)
{
	for (size_t i = 0; i < nearly; i++) {
		if (early[i].tid == tid) {
			if (take)
				early[i] = early[--nearly];
			return true;
		}
	}
	return false;
}

static bool gone_has(pid_t tid)
{
	for (size_t i = 0; i < ngone; i++)
		if (gone[i] == tid)
			return true;
	return false;
}

/* The first stop of a tid pdig has not seen stop yet, while a clone is in
 * flight: held (it may be that clone's H) until the vfork event names H. */
static bool early_hold(struct tracer *tr, pid_t tid, int status)
{
	if (status >> 16 != PTRACE_EVENT_STOP || !clone_open())
		return false;
	struct thread *t = threads_find(&tr->threads, tid);
	if ((t && t->attached) || !grow((void **)&early, &cap_early, nearly, sizeof *early))
		return false;
	early[nearly++] = (struct held){ tid, status };
	return true;
}

/* No clone in flight: the held stops that no vfork event claimed are the
 * program's own new threads; the core gets them as they came. */
static void early_flush(struct tracer *tr)
{
	if (clone_open())
		return;
	ngone = 0; /* (a tid reaped before is no helper's any more) */
	while (nearly) {
		struct held e = early[--nearly];
		core_on_stop(tr, e.tid, e.status);
	}
}

/* Anything but the expected: X goes back to how it was and stays here. */
static bool abort_park(struct tracer *tr, struct park *p, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	__atomic_fetch_add(&aborted_total, 1, __ATOMIC_RELAXED);
	if (event == PTRACE_EVENT_EXIT) {
		count_death();
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
	/* H is the tid the kernel names here, nothing else; it is still the
	 * helper if pdig has not reaped that tid since (a tracee's tid is not
	 * reused before its tracer reaps it) */
	if (ptrace(PTRACE_GETEVENTMSG, p->tid, 0, &h) < 0 || h == 0 || gone_has((pid_t)h)) {
		/* gone already: X's wait is over; the clone's exit stop undoes */
		core_resume(p->tid, PTRACE_SYSCALL, 0);
		return;
	}
	/* stopped already (its first stop came first): held until released */
	if (early_has((pid_t)h, true))
		p->helper_stopped = true;
	p->helper = (pid_t)h;
	p->hfd = workers_thread_pidfd(p->helper);
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
			/* pdig's filter says TRACE with data 0; any other data is a
			 * program's filter's decision (an ERRNO pdig rewrote, a
			 * filter added with TSYNC since the check): the clone is
			 * not made against it */
			unsigned long data = 0;
			if (ptrace(PTRACE_GETEVENTMSG, p->tid, 0, &data) < 0 || data != 0)
				skip_call(p);
			else
				core_resume(p->tid, PTRACE_SYSCALL, 0);
			return true;
		}
		if (event == PTRACE_EVENT_VFORK) {
			vfork_stop(tr, p);
			return true;
		}
		if (sig == (SIGTRAP | 0x80)) {
			/* the clone failed (EAGAIN: a limit), or its H is gone */
			struct user_regs_struct r;
			if (ptrace(PTRACE_GETREGS, p->tid, 0, &r) == 0 && (int64_t)r.rax == -EAGAIN)
				__atomic_store_n(&limit_hit, true, __ATOMIC_RELAXED);
			__atomic_fetch_add(&aborted_total, 1, __ATOMIC_RELAXED);
			undo_at_exit(tr, p);
			return true;
		}
		if (event == PTRACE_EVENT_EXIT) {
			/* killed inside the clone: an H it made dies too */
			count_death();
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

static bool on_stop(struct tracer *tr, pid_t tid, int status)
{
	struct taking *k = ntakings ? taking_of(tid) : NULL;
	if (k) {
		taken_stop(k, status);
		return false; /* the core goes on with its stop */
	}
	if (nearly && early_has(tid, false)) {
		/* held: only an exit stop moves it before the vfork event */
		if (status >> 16 == PTRACE_EVENT_EXIT) {
			early_has(tid, true);
			return false; /* the core's, as its death will be */
		}
		return true;
	}
	if (!nparks)
		return false;
	struct park *p = park_of(tid);
	if (!p)
		return early_hold(tr, tid, status);
	if (tid == p->helper) {
		helper_stop(p, status);
		return true;
	}
	return parked_stop(tr, p, status);
}

bool park_on_stop(struct tracer *tr, pid_t tid, int status)
{
	bool mine = on_stop(tr, tid, status);
	if (nearly || ngone)
		early_flush(tr);
	return mine;
}

static bool on_death(struct tracer *tr, pid_t tid)
{
	struct taking *k = ntakings ? taking_of(tid) : NULL;
	if (k) {
		/* died between the taker's seize and its first stop */
		count_death();
		workers_took(k->t0);
		taking_drop(k);
		return false;
	}
	/* a held tid's death is the core's (it was never known to be an H);
	 * a vfork event naming it later names a helper that is gone */
	if (nearly)
		early_has(tid, true);
	struct park *p = nparks ? park_of(tid) : NULL;
	if (!p) {
		if (clone_open() && grow((void **)&gone, &cap_gone, ngone, sizeof *gone))
			gone[ngone++] = tid;
		/* a thread pdig never saw stop, while a park's X died inside
		 * its clone: most likely that park's H, gone with its group
		 * before its first stop; either way that park is over */
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
		if (!p->released && p->phase != P_ORPHAN)
			count_death();
		if (p->phase == P_CLONING) {
			p->helper = 0, p->helper_stopped = false;
			if (p->hfd >= 0)
				close(p->hfd);
			p->hfd = -1;
		} else {
			park_drop(p);
		}
		return true;
	}
	if (p->phase == P_CLONING) {
		count_death();
		orphan(p); /* its H may still be reported */
	} else if (p->phase != P_ORPHAN) {
		if (p->phase != P_HELD)
			count_death();
		park_drop(p);
	}
	return false;
}

bool park_on_death(struct tracer *tr, pid_t tid, int status)
{
	(void)status;
	bool mine = on_death(tr, tid);
	if (nearly || ngone)
		early_flush(tr);
	return mine;
}

void park_release(pid_t tid)
{
	for (size_t i = 0; i < nparks; i++) {
		struct park *p = &parks[i];
		/* (one released already is an earlier X of that tid: X died
		 * after the taker had it, its tid went to a new thread parked
		 * since, and the old park lasts until its H is reaped; its
		 * release came first, acked before the taker went on) */
		if (p->tid != tid || p->phase != P_HELD || p->released)
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
	for (size_t i = 0; i < nparks; i++)
		if (parks[i].hfd >= 0)
			close(parks[i].hfd);
	free(parks);
	free(takings);
	free(early);
	free(gone);
	parks = NULL;
	takings = NULL;
	early = NULL;
	gone = NULL;
	nparks = cap_parks = ntakings = cap_takings = nearly = cap_early = ngone = cap_gone = 0;
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
	                "faults: %llu; parks ended by a death: %llu; handovers not parked (a filter, task limit or pid "
	                "namespace of the program's): %llu; parks left unfinished: %lld\n",
	        (unsigned long long)__atomic_load_n(&aborted_total, __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&helper_faults_total, __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&death_total, __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&refused_total, __ATOMIC_RELAXED),
	        (long long)__atomic_load_n(&live, __ATOMIC_RELAXED));
}

