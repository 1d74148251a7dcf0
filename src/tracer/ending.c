/* How the trace of a spawned program ends on SIGTERM, SIGINT or SIGHUP.
 *
 * Signals sent to pdig with kill(1) go on to the program, as long as it
 * runs (after, its pid may be someone else's); those from the terminal
 * reached it already through its process group, so they are not sent
 * twice. TERM, INT and HUP also end pdig: once the program has exited (at
 * once if it already had), pdig stops waiting for the other processes it
 * traces and kills them, as PTRACE_O_EXITKILL would if pdig itself were
 * killed. Detaching them instead (strace's way) would not leave them
 * working: they carry pdig's seccomp filter, which cannot be removed, and
 * under it a traced syscall with no tracer fails with ENOSYS. The
 * program's shutdown stays its own: pdig waits for it after the first
 * signal, like an init or a shell would. A second such signal sent with
 * kill while it still runs, a second or more after the first, ends
 * everything at once (the same signal sent twice at once, as timeout(1)
 * does to its child and to its process group, counts once). As PID 1, pdig
 * leaves the program all the time it takes: the runtime's SIGKILL ends it,
 * and pdig ends with the program anyway. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "tracer_internal.h"

#define REAP_TIMEOUT_NS 2000000000ull
#define AGAIN_AFTER_NS 1000000000ull /* a second signal this much later ends all */

static volatile uint64_t first_at; /* when the first ending signal came */

static bool ends_trace(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGHUP;
}

static const char *signal_name(int sig)
{
	return sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "SIGHUP";
}

/* A 20 ms SIGALRM tick (or none): the handler below has no SA_RESTART,
 * so a waitpid that began just before a request was made returns EINTR
 * and the loop sees the request. */
static void tick(bool on)
{
	struct itimerval it = { { 0, on ? 20000 : 0 }, { 0, on ? 20000 : 0 } };
	setitimer(ITIMER_REAL, &it, NULL);
}

static void wakeup(int sig)
{
	(void)sig;
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	int saved = errno;
	bool from_kill = si && !guard_group_from_kernel(si);
	bool program_gone = __atomic_load_n(&tracer_process.main_status, __ATOMIC_RELAXED) >= 0;
	if (from_kill && !program_gone && tracer_process.main_pid > 0)
		kill(tracer_process.main_pid, sig);
	if (ends_trace(sig)) {
		uint64_t now = tracer_mono_ns();
		bool again = tracer_process.end_signal != 0 && from_kill && !tracer_process.init_process &&
		             now - first_at >= AGAIN_AFTER_NS;
		if (!tracer_process.end_signal) {
			first_at = now;
			tracer_process.end_signal = sig;
		}
		if (program_gone || again) {
			tracer_process.detach_requested = 1; /* the loop returns */
			tick(true);
		}
	}
	errno = saved;
}

void ending_install(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	guard_mask_keep_out(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = wakeup;
	sigemptyset(&sa.sa_mask);
	guard_mask_keep_out(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

struct kill_pass {
	unsigned processes;
};

static void kill_one(struct thread *t, void *arg)
{
	struct kill_pass *k = arg;
	/* kill() with any tid of a process ends the whole process */
	kill(t->tid, SIGKILL);
	k->processes += !t->pid || t->pid == t->tid;
}

void ending_finish(struct tracer *tr, bool announce)
{
	struct kill_pass k = { 0 };
	core_lock();
	threads_each(&tr->threads, kill_one, &k);
	core_unlock();
	tick(true);
	uint64_t deadline = tracer_mono_ns() + REAP_TIMEOUT_NS;
	/* reap them, so their procexit events are written; with several
	 * workers each reaps its own (ECHILD once they are gone) */
	while (workers_threads_count(tr) > 0 && tracer_mono_ns() < deadline) {
		int status;
		pid_t tid = waitpid(-1, &status, core_wait_flags());
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		core_lock();
		if (WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_EXIT)
			/* dying already, where a second SIGKILL is dropped: its
			 * last events (signals.c), then let it go on */
			core_on_stop(tr, tid, status);
		else if (WIFSTOPPED(status))
			kill(tid, SIGKILL); /* a child forked meanwhile, or a last stop */
		else
			core_on_death(tr, tid, status);
		core_unlock();
		core_resume_flush();
	}
	tick(false);
	if (announce && k.processes)
		fprintf(stderr, "pdig: ended by %s: killed %u traced process%s still running\n",
		        signal_name(tracer_process.end_signal), k.processes, k.processes == 1 ? "" : "es");
}
