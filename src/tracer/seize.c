/* PTRACE_SEIZE, bounded in time (docs/scale.md "A seize waits for an exec").
 *
 * The kernel's ptrace_attach takes the target process's cred_guard_mutex
 * (interruptibly: a signal makes it return -ERESTARTNOINTR, which the
 * kernel restarts after the handler, whatever SA_RESTART says). A thread of
 * that process in execve holds the mutex across de_thread, which kills
 * every sibling and waits until each non-leader one is released; a ptraced
 * sibling stays a zombie until its tracer reaps it. When that tracer is
 * the pdig thread blocked in the seize, nobody reaps: both wait forever,
 * and SIGINT only restarts the seize.
 *
 * So each attempt is cut after SEIZE_WAIT_NS by a timer of the calling
 * thread (SIGEV_THREAD_ID), whose handler jumps out of the blocked ptrace():
 * the kernel restarts the call only at sigreturn, which the jump skips, so
 * the attempt is abandoned with nothing attached. The thread then reaps its
 * own dead tracees of the target's process (under the core lock, as the
 * loop does: a tid is free again once its death is in the table) so the
 * exec can finish, and tries again, up to SEIZE_GIVE_UP_NS in all.
 *
 * Signal masks (docs/scale.md "Signals sent to pdig"): SEIZE_SIGNAL is
 * unblocked only around the attempt, and only that bit is put back after
 * it; the handler holds the guard's request signals off (as every pdig
 * handler does), and a jump out of it leaves them blocked, so they are
 * unblocked again unless they were blocked before. The guard's own blocks
 * made meanwhile (on_sync) are kept: no whole mask is ever restored. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "procfs/procfs.h"
#include "seize.h"
#include "tracer_internal.h"

#define SEIZE_SIGNAL (SIGRTMIN + 6)
#define SEIZE_WAIT_NS 5000000L          /* one attempt: an uncontended seize takes microseconds */
#define SEIZE_GIVE_UP_NS 3000000000ull  /* an exec that waits on another tracer's zombie */
#define EPERM_RETRIES 3                 /* an EPERM of a leader an exec is replacing */
#define GROUP_MAX 256                   /* deaths reaped per look */

/* the kernel's struct sigevent (libcs differ in how they name the tid) */
struct kernel_sigevent {
	union sigval value;
	int signo;
	int notify;
	union {
		int pad[12];
		int tid;
	} un;
};
#define NOTIFY_THREAD_ID 4 /* SIGEV_THREAD_ID: a signal to that thread */

static __thread sigjmp_buf jump_out;
static __thread volatile sig_atomic_t armed;
static __thread int timer_id;
static __thread bool timer_made, timer_tried;

static struct {
	uint64_t waits, reaped, given_up, dying, unbounded; /* atomic */
} stats;

static void count(uint64_t *c, uint64_t n)
{
	__atomic_add_fetch(c, n, __ATOMIC_RELAXED);
}

static void on_timeout(int sig)
{
	(void)sig;
	if (!armed)
		return; /* the seize returned: nothing to cut */
	armed = 0;
	siglongjmp(jump_out, 1);
}

static pthread_once_t handler_once = PTHREAD_ONCE_INIT;

static void install_handler(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_timeout;
	sigemptyset(&sa.sa_mask);
	guard_mask_keep_out(&sa.sa_mask);
	sigaction(SEIZE_SIGNAL, &sa, NULL);
}

void seize_thread_setup(void)
{
	pthread_once(&handler_once, install_handler);
	if (timer_tried)
		return;
	timer_tried = true;
	struct kernel_sigevent ev;
	memset(&ev, 0, sizeof ev);
	ev.signo = SEIZE_SIGNAL;
	ev.notify = NOTIFY_THREAD_ID;
	ev.un.tid = (int)syscall(SYS_gettid);
	int id;
	if (syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &id) == 0) {
		timer_id = id;
		timer_made = true;
	}
}

int seize_signal(void)
{
	return SEIZE_SIGNAL;
}

static void set_timer(long ns)
{
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	its.it_value.tv_nsec = ns;
	syscall(SYS_timer_settime, timer_id, 0, &its, NULL);
}

/* Is tid traced by the calling thread? (TracerPid is the tracer thread's id) */
static bool traced_by_me(pid_t tid)
{
	return procfs_status_field(tid, "TracerPid") == (int64_t)syscall(SYS_gettid);
}

/* The state letter of /proc/TID/stat, 0 if the thread is gone. */
static char thread_state(pid_t tid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	const char *paren = strrchr(buf, ')'); /* comm may hold any byte but NUL */
	return paren && paren[1] == ' ' ? paren[2] : '?';
}

enum outcome { SEIZED, REFUSED, TIMED_OUT };

static void unblock_if_was_open(int sig, const sigset_t *before)
{
	if (sigismember(before, sig) == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, sig);
		pthread_sigmask(SIG_UNBLOCK, &s, NULL);
	}
}

/* One attempt, cut after SEIZE_WAIT_NS. REFUSED leaves errno as ptrace did. */
static enum outcome seize_once(pid_t tid, unsigned long options)
{
	if (!timer_made) {
		count(&stats.unbounded, 1);
		return ptrace(PTRACE_SEIZE, tid, 0, (void *)options) == 0 ? SEIZED : REFUSED;
	}
	sigset_t own, before;
	sigemptyset(&own);
	sigaddset(&own, SEIZE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &own, &before);
	enum outcome out;
	volatile int err = 0; /* written after sigsetjmp */
	if (sigsetjmp(jump_out, 0) == 0) { /* 0: masks are put back bit by bit below */
		armed = 1;
		set_timer(SEIZE_WAIT_NS);
		long r = ptrace(PTRACE_SEIZE, tid, 0, (void *)options);
		err = errno;
		armed = 0;
		set_timer(0);
		out = r == 0 ? SEIZED : REFUSED;
	} else {
		set_timer(0);
		/* the handler may have run just after the seize returned */
		out = traced_by_me(tid) ? SEIZED : TIMED_OUT;
		/* the handler's own mask is still in force after the jump */
		unblock_if_was_open(SEIZE_SIGNAL, &before);
		unblock_if_was_open(guard_mask_signal(), &before);
		unblock_if_was_open(guard_mask_fallback_signal(), &before);
	}
	if (sigismember(&before, SEIZE_SIGNAL) == 1)
		pthread_sigmask(SIG_BLOCK, &own, NULL);
	errno = err;
	return out;
}

/* Has tid died (a death waiting to be reaped)? Looked at only (WNOWAIT),
 * deaths only: a tracee's ptrace stop is left for its loop. */
static bool is_dead(pid_t tid, int flags)
{
	siginfo_t si;
	si.si_pid = 0;
	return waitid(P_PID, (id_t)tid, &si, WEXITED | WNOHANG | WNOWAIT | flags) == 0 && si.si_pid == tid &&
	       (si.si_code == CLD_EXITED || si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED);
}

/* Reap those deaths under the core lock, as the loop takes a death. */
static void take_deaths(struct tracer *tr, const pid_t *dead, size_t n, int flags)
{
	if (!n)
		return;
	core_lock();
	for (size_t i = 0; i < n; i++) {
		int status;
		if (waitpid(dead[i], &status, flags | WNOHANG) == dead[i] && (WIFEXITED(status) || WIFSIGNALED(status))) {
			core_on_death(tr, dead[i], status);
			count(&stats.reaped, 1);
		}
	}
	core_unlock();
	core_resume_flush();
}

/* Reap the calling thread's dead tracees among tid's process's threads:
 * an exec in that process waits for them (de_thread). A zombie thread is
 * still listed in /proc/TGID/task until it is reaped. Looked at first
 * (WNOWAIT, deaths only), taken under the core lock. */
static void reap_group_deaths(struct tracer *tr, pid_t tid)
{
	int64_t tgid = procfs_status_field(tid, "Tgid");
	if (tgid <= 0)
		return;
	char path[64];
	snprintf(path, sizeof path, "/proc/%lld/task", (long long)tgid);
	DIR *d = opendir(path);
	if (!d)
		return;
	int flags = core_wait_flags();
	pid_t dead[GROUP_MAX];
	size_t n = 0;
	struct dirent *e;
	while (n < GROUP_MAX && (e = readdir(d))) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		pid_t t = (pid_t)atoi(e->d_name);
		if (is_dead(t, flags))
			dead[n++] = t;
	}
	closedir(d);
	take_deaths(tr, dead, n, flags);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int seize_bounded(struct tracer *tr, pid_t tid, unsigned long options)
{
	seize_thread_setup();
	uint64_t start = now_ns();
	int eperms = 0;
	for (;;) {
		enum outcome out = seize_once(tid, options);
		if (out == SEIZED)
			return 0;
		if (out == REFUSED) {
			if (errno != EPERM)
				return -1;
			/* the kernel refuses an exiting task (exit_state) with
			 * EPERM: a zombie thread, or a leader an exec from a
			 * sibling is replacing, whose tid names the new image
			 * a moment later (so a live, untraced thread is asked
			 * again before EPERM is believed) */
			char st = thread_state(tid);
			if (st == 0 || st == 'Z' || st == 'X') {
				count(&stats.dying, 1);
				errno = ESRCH;
				return -1;
			}
			if (++eperms >= EPERM_RETRIES || procfs_status_field(tid, "TracerPid") != 0) {
				errno = EPERM;
				return -1;
			}
			nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
			continue;
		}
		/* timed out: the process's cred_guard_mutex is held, most
		 * likely by an exec that waits for our own zombies */
		count(&stats.waits, 1);
		reap_group_deaths(tr, tid);
		if (tracer_process.detach_requested || tracer_process.end_signal) {
			errno = EINTR;
			return -1;
		}
		if (now_ns() - start >= SEIZE_GIVE_UP_NS) {
			count(&stats.given_up, 1);
			errno = ETIMEDOUT;
			return -1;
		}
	}
}

struct own_tids {
	uint8_t owner;
	size_t n;
	pid_t tid[GROUP_MAX];
};

static void collect_own(struct thread *t, void *arg)
{
	struct own_tids *o = arg;
	if (t->owner == o->owner && o->n < GROUP_MAX)
		o->tid[o->n++] = t->tid;
}

void seize_reap_own_deaths(struct tracer *tr)
{
	/* by tid, from the table: a wait over all children would report a
	 * tracee's stop too (the kernel reports ptrace stops without
	 * WSTOPPED), and this thread serves no stop yet */
	static __thread struct own_tids own;
	own.owner = (uint8_t)worker_self();
	own.n = 0;
	core_lock();
	threads_each(&tr->threads, collect_own, &own);
	core_unlock();
	int flags = core_wait_flags();
	pid_t dead[GROUP_MAX];
	size_t n = 0;
	for (size_t i = 0; i < own.n; i++) {
		if (is_dead(own.tid[i], flags))
			dead[n++] = own.tid[i];
	}
	take_deaths(tr, dead, n, flags);
}

void seize_report(bool verbose)
{
	uint64_t waits = __atomic_load_n(&stats.waits, __ATOMIC_RELAXED);
	uint64_t dying = __atomic_load_n(&stats.dying, __ATOMIC_RELAXED);
	uint64_t unbounded = __atomic_load_n(&stats.unbounded, __ATOMIC_RELAXED);
	static bool said; /* once: the end of each tracer's loop may ask */
	if (!verbose || !(waits || dying || unbounded) || __atomic_exchange_n(&said, true, __ATOMIC_RELAXED))
		return;
	fprintf(stderr, "pdig: seizes: %llu attempts cut waiting for an exec (%llu deaths reaped meanwhile, "
	                "%llu seizes given up), %llu threads skipped as dying, %llu unbounded (no timer)\n",
	        (unsigned long long)waits, (unsigned long long)__atomic_load_n(&stats.reaped, __ATOMIC_RELAXED),
	        (unsigned long long)__atomic_load_n(&stats.given_up, __ATOMIC_RELAXED), (unsigned long long)dying,
	        (unsigned long long)unbounded);
}
