/* -S lets go without breaking the process. The seccomp filter pdig injects
 * cannot be removed, and a traced syscall that finds no tracer fails with
 * ENOSYS; so once the filter is in, the process needs a tracer for life.
 *
 * Handing the threads to a new tracer when pdig is told to end would leave
 * a window (between pdig's detach and the newcomer's seize any traced
 * syscall fails) or need a group-stop, which the process, its parent and
 * a shell's job control all see (SIGCHLD, SIGCONT). So there is no
 * handover: with -S, pdig splits at start. The front process (the pid the
 * shell waits for) only waits; a child in a session of its own (no
 * terminal signals) attaches and traces. When the front is told to end
 * (SIGINT, SIGTERM, SIGHUP, forwarded) or dies (parent-death signal), the
 * tracer finishes its outputs, tells the front its exit status, and, if
 * the filter is in, stays the tracer: it re-executes itself as
 * `pdig --keep PID` (same task, so the same tracer: no window), a loop that
 * resumes every stop and exits when the last traced thread is gone.
 *
 * The front exits with the status the tracer sent, or, if the tracer died
 * without sending one, 128 + its signal. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi/kernel_abi.h"
#include "tracer/tracer.h"
#include "tracer_internal.h"

#define KEEPER_NAME "pdig-keeper"

static int status_fd = -1;    /* tracer: where its exit status goes to the front */
static pid_t tracer_child;    /* front: the tracer */
static pid_t kept_pid;        /* the process the keeper will keep */
static cpu_set_t start_cpus;  /* pdig's CPUs before placement moved it */
static bool start_cpus_ok;

static void harden(void);

static const int ending_signals[] = { SIGINT, SIGTERM, SIGHUP };

static void ending_set(sigset_t *s)
{
	sigemptyset(s);
	for (size_t i = 0; i < sizeof ending_signals / sizeof *ending_signals; i++)
		sigaddset(s, ending_signals[i]);
}

static void forward(int sig)
{
	int saved = errno;
	kill(tracer_child, sig);
	errno = saved;
}

/* The front: forward the ending signals, exit with the tracer's status. */
static _Noreturn void front_wait(int rd, const sigset_t *old)
{
	tracer_on_ending(forward);
	signal(SIGPIPE, SIG_IGN);
	sigprocmask(SIG_SETMASK, old, NULL);
	/* The status comes first; the end of the pipe after it, when the
	 * tracer exits or has become the keeper (the exec closes it): once
	 * pdig has exited, `ps` shows the keeper. */
	int got = -1;
	for (;;) {
		unsigned char rc;
		ssize_t n = read(rd, &rc, 1);
		if (n == 1)
			got = rc;
		else if (n < 0 && errno == EINTR)
			continue;
		else if (got >= 0)
			_exit(got);
		else
			break; /* the tracer is gone without a word */
	}
	int status = 0;
	while (waitpid(tracer_child, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "pdig: the tracer (pid %d) was killed by signal %d; the process's traced "
		                "syscalls fail with ENOSYS from now on\n", tracer_child, WTERMSIG(status));
		_exit(128 + WTERMSIG(status));
	}
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

void tracer_split(pid_t pid)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return; /* no split: a later SIGINT only warns, as without a keeper */
	sigset_t ends, old;
	ending_set(&ends);
	/* held until each side has its handlers: none may be lost */
	sigprocmask(SIG_BLOCK, &ends, &old);
	start_cpus_ok = sched_getaffinity(0, sizeof start_cpus, &start_cpus) == 0;
	pid_t front = getpid();
	pid_t child = fork();
	if (child < 0) {
		close(p[0]);
		close(p[1]);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return;
	}
	if (child > 0) {
		close(p[1]);
		tracer_child = child;
		front_wait(p[0], &old);
	}
	close(p[0]);
	status_fd = p[1];
	if (status_fd < 3) /* above the standard fds the keeper replaces */
		status_fd = fcntl(p[1], F_DUPFD_CLOEXEC, 3), close(p[1]);
	kept_pid = pid;
	tracer_process.split = true;
	tracer_process.front_pid = front;
	/* no terminal signal reaches the tracer: the front forwards them */
	setsid();
	/* a front killed outright still ends the trace properly */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != front)
		raise(SIGTERM); /* stays pending until attach installs its handler */
}

void tracer_on_ending(void (*fn)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	guard_mask_keep_out(&sa.sa_mask);
	/* no SA_RESTART: a blocking waitpid must return so the loop sees it */
	for (size_t i = 0; i < sizeof ending_signals / sizeof *ending_signals; i++)
		sigaction(ending_signals[i], &sa, NULL);
}

void tracer_unblock_ending(void)
{
	sigset_t ends;
	ending_set(&ends);
	sigprocmask(SIG_UNBLOCK, &ends, NULL);
}

static void tell_front(int rc)
{
	unsigned char b = (unsigned char)rc;
	ssize_t n = write(status_fd, &b, 1);
	(void)n;
}

/* Nothing of pdig's session stays open in the keeper: a terminal, or a
 * pipe someone reads to its end, must not wait for it. */
static void drop_files(void)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int fd = 0; fd < 3; fd++)
		if (null >= 0 && fd != null)
			dup2(null, fd); /* dup2 clears CLOEXEC on the copy */
	/* everything else but the line to the front */
	int keep = status_fd;
	bool ranged = keep < 3 ? syscall(SYS_close_range, 3, ~0u, 0) == 0
	                       : syscall(SYS_close_range, 3, keep - 1, 0) == 0 &&
	                         syscall(SYS_close_range, keep + 1, ~0u, 0) == 0;
	for (int fd = 3; !ranged && fd < 1024; fd++)
		if (fd != keep)
			close(fd);
}

int tracer_release(int rc)
{
	if (status_fd < 0)
		return rc;
	if (!tracer_process.keep) {
		tell_front(rc);
		close(status_fd); /* the front exits now */
		return rc;
	}
	fprintf(stderr, "pdig: %d keeps pdig's seccomp filter, which cannot be removed: process %d "
	                "(" KEEPER_NAME ") stays its tracer and resumes its traced syscalls until it exits\n",
	        kept_pid, getpid());
	fflush(NULL);
	/* an ordinary task on pdig's own CPUs again (placement.c moved it) */
	struct sched_param sp = { 0 };
	syscall(SYS_sched_setscheduler, 0, SCHED_OTHER, &sp);
	if (start_cpus_ok)
		sched_setaffinity(0, sizeof start_cpus, &start_cpus);
	drop_files();
	harden(); /* before the front exits: its exit is a parent death */
	tell_front(rc);
	char pid[16];
	snprintf(pid, sizeof pid, "%d", kept_pid);
	char *const argv[] = { "pdig", "--keep", pid, NULL };
	/* a fresh, small image; the same task, so still the tracer */
	execv("/proc/self/exe", argv); /* closes status_fd: the front exits */
	close(status_fd);
	_exit(tracer_keep(kept_pid)); /* no exec: keep them from here */
}

/* Killing the keeper breaks the process (ENOSYS): nothing from a
 * terminal, a closed pipe, a stray `kill` or the front's exit ends it
 * (ignored dispositions and the cleared parent-death signal survive the
 * exec); only SIGKILL does, and the process's own exit. */
static void harden(void)
{
	prctl(PR_SET_PDEATHSIG, 0);
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2,
	                               SIGTSTP, SIGTTIN, SIGTTOU, SIGALRM };
	for (size_t i = 0; i < sizeof ignored / sizeof *ignored; i++)
		signal(ignored[i], SIG_IGN);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* One stop: let the thread run on, changing nothing. */
static void resume_stop(pid_t tid, int status)
{
	int sig = WSTOPSIG(status), event = status >> 16;
	if (event == PTRACE_EVENT_STOP && (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)) {
		/* group-stop: stays stopped until SIGCONT, as untraced */
		ptrace(PTRACE_LISTEN, tid, 0, 0);
		return;
	}
	/* a call the program's own filter denies fails as it would without
	 * pdig (guard_seccomp.c), not run */
	if (event == PTRACE_EVENT_SECCOMP)
		guard_seccomp_keep(tid);
	/* a signal-delivery stop passes its signal; any other stop (seccomp,
	 * fork, clone, exec, syscall exit, interrupt) none */
	bool delivery = event == 0 && sig != (SIGTRAP | 0x80);
	ptrace(PTRACE_CONT, tid, 0, (void *)(long)(delivery ? sig : 0));
}

int tracer_keep(pid_t pid)
{
	(void)pid; /* shown in ps; every tracee of this task is kept */
	prctl(PR_SET_NAME, KEEPER_NAME);
	harden();
	for (;;) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			return 0; /* ECHILD: every kept thread is gone */
		}
		if (WIFSTOPPED(status))
			resume_stop(tid, status);
	}
}
