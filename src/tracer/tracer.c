/* The stop loop. Each traced syscall costs two stops: the seccomp stop at
 * entry (resumed with PTRACE_SYSCALL) and the syscall-exit stop (resumed
 * with PTRACE_CONT). Process creation and exec are finished at their ptrace
 * event stop instead of a third stop. Untraced syscalls never stop. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../events/encoder.h"
#include "../procfs/procfs.h"
#include "../sinks/sink.h"
#include "kernel_abi.h"
#include "threads.h"
#include "tracer.h"
#include "tracer_internal.h"

#define EVENT_BUF_SIZE (512 * 1024)

static uint8_t event_buf[EVENT_BUF_SIZE];
static struct tracee_state proc_state;
static struct mem_ctx mem_ctx;
static struct tracee_mem mem;
static pid_t main_pid;
static int main_status = -1;
static uint64_t encode_failures;

static const unsigned long seize_options =
	PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
	PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |
	PTRACE_O_EXITKILL;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void emit(size_t len)
{
	if (len)
		sinks_emit(event_buf, len);
	else
		encode_failures++;
}

static void fill_ctx(struct enc_ctx *c, const struct thread *t, uint64_t nr, const uint64_t *args, int64_t ret)
{
	c->ts = now_ns();
	c->tid = t->tid;
	c->pid = t->pid ? t->pid : t->tid;
	c->nr = nr;
	memcpy(c->args, args, sizeof c->args);
	c->ret = ret;
	c->snaplen = sinks_snaplen();
	mem_ctx.tid = t->tid;
	mem_ctx.peek_only = 0;
	c->mem = &mem;
	c->st = &proc_state;
}

static void emit_syscall(int is_exit, const struct thread *t, uint64_t nr, const uint64_t *args, int64_t ret)
{
	struct enc_ctx c;
	fill_ctx(&c, t, nr, args, ret);
	emit(encode_syscall(is_exit, &c, event_buf, sizeof event_buf));
}

static void emit_procexit(pid_t tid, int status)
{
	if (sinks_want())
		emit(encode_procexit(now_ns(), tid, status, event_buf, sizeof event_buf));
}

static void resume(pid_t tid, int request, int sig)
{
	/* ESRCH: the thread died meanwhile; its exit is reported by waitpid. */
	ptrace(request, tid, 0, (void *)(long)sig);
}

/* Tgid and parent pid of a thread, from /proc (process events only). */
static void read_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	char path[64], buf[1024];
	*tgid = tid;
	*ppid = 0;
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	char *p = strstr(buf, "\nTgid:");
	if (p)
		*tgid = (pid_t)atoi(p + 6);
	p = strstr(buf, "\nPPid:");
	if (p)
		*ppid = (pid_t)atoi(p + 6);
}

static bool is_clone_family(uint64_t nr)
{
	return nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == 435 /* clone3 */;
}

struct creator_search {
	pid_t tgid, ppid;
	struct thread *found;
};

static void match_creator(struct thread *t, void *arg)
{
	struct creator_search *s = arg;
	if (s->found || t->state != TS_IN_SYSCALL || !is_clone_family(t->nr))
		return;
	pid_t pid = t->pid ? t->pid : t->tid;
	if (pid == s->tgid || pid == s->ppid)
		s->found = t;
}

/* First stop of an auto-attached child: emit its side of the clone exit
 * (res = 0), described by the creator's syscall when we can tell it. */
static void on_new_thread(struct thread *t)
{
	t->attached = true;
	pid_t tgid, ppid;
	read_ids(t->tid, &tgid, &ppid);
	t->pid = tgid;
	if (!sinks_want())
		return;
	uint64_t nr = SYS_clone, args[6] = {0};
	if (t->child_pending) {
		/* the creator's event stop came first and left its syscall here */
		nr = t->creator_nr;
		memcpy(args, t->creator_args, sizeof args);
		t->child_pending = false;
	} else {
		struct creator_search s = { tgid, ppid, NULL };
		threads_each(match_creator, &s);
		if (s.found) {
			nr = s.found->nr;
			memcpy(args, s.found->args, sizeof args);
		}
	}
	emit_syscall(1, t, nr, args, 0);
}

static void on_seccomp_stop(struct thread *t)
{
	struct pdig_syscall_info info;
	if (!sinks_want() ||
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof info, &info) <= 0 ||
	    info.op != PDIG_SYSCALL_INFO_SECCOMP || info.arch != PDIG_AUDIT_ARCH_X86_64 ||
	    info.seccomp.nr >= PDIG_SYSCALL_MAX) {
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_CONT, 0);
		return;
	}
	t->nr = info.seccomp.nr;
	memcpy(t->args, info.seccomp.args, sizeof t->args);
	t->state = TS_IN_SYSCALL;
	emit_syscall(0, t, t->nr, t->args, 0);
	resume(t->tid, PTRACE_SYSCALL, 0);
}

static void on_syscall_exit(struct thread *t)
{
	struct pdig_syscall_info info;
	if (t->state == TS_IN_SYSCALL &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof info, &info) > 0 &&
	    info.op == PDIG_SYSCALL_INFO_EXIT && sinks_want())
		emit_syscall(1, t, t->nr, t->args, info.exit.rval);
	t->state = TS_RUNNING;
	resume(t->tid, PTRACE_CONT, 0);
}

/* fork/vfork/clone event in the parent: the syscall has succeeded, so its
 * exit event is emitted now and the exit stop is skipped. */
static void on_clone_event(pid_t tid)
{
	unsigned long child = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	/* get the child first: adding it may move the parent's entry */
	struct thread *ct = child ? threads_get((pid_t)child) : NULL;
	struct thread *t = threads_find(tid);
	if (ct && !ct->attached && t && t->state == TS_IN_SYSCALL) {
		/* its first stop is still to come: leave it the creator's syscall */
		ct->child_pending = true;
		ct->creator_nr = t->nr;
		memcpy(ct->creator_args, t->args, sizeof ct->creator_args);
	}
	if (t && t->state == TS_IN_SYSCALL && sinks_want())
		emit_syscall(1, t, t->nr, t->args, (int64_t)child);
	if (t)
		t->state = TS_RUNNING;
	resume(tid, PTRACE_CONT, 0);
}

/* exec succeeded. If a non-leader thread ran it, it now has the leader's
 * tid; its old tid vanishes without a wait report. */
static void on_exec_event(pid_t tid)
{
	unsigned long former = (unsigned long)tid;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
	struct thread *t;
	if ((pid_t)former != tid) {
		threads_remove(tid);
		t = threads_rename((pid_t)former, tid);
		if (t) {
			t->pid = tid;
			emit_procexit((pid_t)former, 0);
			if (t->state == TS_IN_SYSCALL && sinks_want())
				emit_syscall(0, t, t->nr, t->args, 0); /* pair the exit with an enter on the new tid */
		}
	} else {
		t = threads_find(tid);
	}
	if (t && t->state == TS_IN_SYSCALL && sinks_want())
		emit_syscall(1, t, t->nr, t->args, 0);
	if (t)
		t->state = TS_RUNNING;
	resume(tid, PTRACE_CONT, 0);
}

static void on_stop(pid_t tid, int status)
{
	struct thread *t = threads_get(tid);
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (!t->attached)
		on_new_thread(t);
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_exit(t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_stop(t);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(tid);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(tid);
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
			resume(tid, PTRACE_LISTEN, 0); /* group-stop: stay stopped until SIGCONT */
		else
			resume(tid, PTRACE_CONT, 0);
		return;
	case 0:
		/* signal-delivery-stop: pass the signal on unchanged */
		resume(tid, PTRACE_CONT, sig);
		return;
	default:
		resume(tid, PTRACE_CONT, 0);
		return;
	}
}

static void on_death(pid_t tid, int status)
{
	struct thread *t = threads_find(tid);
	if (t) {
		bool leader = !t->pid || t->pid == tid;
		emit_procexit(tid, status);
		threads_remove(tid);
		if (leader)
			procfs_forget(tid);
	}
	if (tid == main_pid)
		main_status = status;
}

/* Signals sent to pdig with kill(1) go on to the program. Those from the
 * terminal already reached it (same process group), so they are not sent
 * twice. */
static void forward_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (main_pid > 0 && si && si->si_code != SI_KERNEL)
		kill(main_pid, sig);
}

static void install_forwarding(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = forward_signal;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		sigaction(sigs[i], &sa, NULL);
}

static bool has_cap_sys_admin(void)
{
	/* capget would need linux/capability.h; /proc/self/status is enough. */
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	char line[256];
	unsigned long long eff = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ull << 21);
}

/* In the child: wait for the tracer, arm seccomp, exec. Never returns. */
static void child_exec(const char *path, char *const argv[], const struct syscall_set *set, bool keep_privs)
{
	raise(SIGSTOP); /* the tracer seizes us here */
	signal(SIGPIPE, SIG_DFL);
	/* Without CAP_SYS_ADMIN the kernel requires NO_NEW_PRIVS for a filter.
	 * With it, leave setuid programs working as they would without pdig. */
	if (!keep_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "pdig: cannot set no_new_privs: %s\n", strerror(errno));
		_exit(126);
	}
	if (seccomp_install(set) < 0) {
		fprintf(stderr, "pdig: cannot install the seccomp filter: %s\n", strerror(errno));
		_exit(126);
	}
	execv(path, argv);
	int e = errno;
	fprintf(stderr, "pdig: %s: %s\n", argv[0], strerror(e));
	_exit(e == ENOENT ? 127 : 126);
}

static int exit_code(int status)
{
	if (status < 0)
		return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int tracer_spawn(const char *path, char *const argv[], const struct tracer_opts *o)
{
	procfs_state_init(&proc_state);
	tracee_mem_init(&mem, &mem_ctx);
	signal(SIGPIPE, SIG_IGN);

	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pdig: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		child_exec(path, argv, &o->set, has_cap_sys_admin());

	int status;
	if (waitpid(pid, &status, WSTOPPED) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "pdig: the program did not start\n");
		return 1;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)seize_options) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		if (e == EPERM)
			fprintf(stderr, "pdig: ptrace is not permitted here (EPERM): allow the ptrace syscall "
			                "in the container's seccomp profile and/or grant CAP_SYS_PTRACE\n");
		else
			fprintf(stderr, "pdig: ptrace: %s\n", strerror(e));
		return 1;
	}
	struct thread *t = threads_get(pid);
	if (t) {
		t->pid = pid;
		t->attached = true;
	}
	main_pid = pid;
	/* pdig forked this process before tracing began: describe it with the
	 * child side of that fork, so the consumer knows its parent, ids and
	 * cwd before the first exec. */
	if (t && sinks_want()) {
		uint64_t args[6] = { SIGCHLD };
		emit_syscall(1, t, SYS_clone, args, 0);
	}
	install_forwarding();
	kill(pid, SIGCONT);

	for (;;) {
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every tracee is gone */
		}
		if (WIFSTOPPED(status))
			on_stop(tid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			on_death(tid, status);
	}
	if (encode_failures)
		fprintf(stderr, "pdig: %llu events could not be encoded and were dropped\n",
		        (unsigned long long)encode_failures);
	return exit_code(main_status);
}
