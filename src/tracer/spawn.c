/* Spawn mode: pdig forks the program, seizes it before exec, and the
 * program arms the seccomp filter itself, so no capability is needed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "abi/kernel_abi.h"
#include "tracer/tracer.h"
#include "seize.h"
#include "tracer_internal.h"

bool tracer_has_cap(int cap)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	char line[256];
	unsigned long long eff = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return eff & (1ull << cap);
}

/* In the child: wait for the tracer, arm seccomp, exec. Never returns. */
static void child_exec(const char *path, char *const argv[], const struct syscall_set *set, bool keep_privs)
{
	guard_child_dumpable(); /* pdig is not: it could not seize us */
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

/* A number from a one-line /proc file, or -1. */
static int read_proc_int(const char *path, const char *key)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	char line[256];
	int v = -1;
	size_t klen = key ? strlen(key) : 0;
	while (fgets(line, sizeof line, f))
		if (!key || strncmp(line, key, klen) == 0) {
			sscanf(line + klen, "%d", &v);
			break;
		}
	fclose(f);
	return v;
}

/* One line naming what to allow when pdig may not trace its own child.
 * Tracing a child needs no capability, so the causes are few: Yama at
 * scope 3 (no ptrace at all) or 2 (CAP_SYS_PTRACE only), or a seccomp
 * profile without ptrace, which is what a container runtime's custom
 * profile does. Such a profile answers ENOSYS (podman's defaultErrnoRet)
 * or EPERM (Docker's), which pdig printed raw before: "ptrace: Function
 * not implemented" told a user nothing about the profile. */
static void explain_seize_error(int err)
{
	int scope = read_proc_int("/proc/sys/kernel/yama/ptrace_scope", NULL);
	if (scope == 3)
		fprintf(stderr, "pdig: ptrace is disabled on this host (kernel.yama.ptrace_scope=3): "
		                "set it to 1 or lower to run pdig\n");
	else if (err == EPERM && scope == 2 && !tracer_has_cap(19 /* CAP_SYS_PTRACE */))
		fprintf(stderr, "pdig: ptrace needs CAP_SYS_PTRACE on this host (kernel.yama.ptrace_scope=2): "
		                "grant that capability or set the scope to 1\n");
	else if ((err == EPERM || err == ENOSYS) && read_proc_int("/proc/self/status", "Seccomp:") > 0)
		fprintf(stderr, "pdig: the seccomp profile forbids ptrace (%s): allow the ptrace syscall in the "
		                "container's seccomp profile (runtimes' default profiles do; no capability is needed)\n",
		        strerror(err));
	else if (err == EPERM || err == ENOSYS)
		fprintf(stderr, "pdig: ptrace is not available here (%s): the runtime or sandbox must allow "
		                "the ptrace syscall (no capability is needed)\n", strerror(err));
	else
		fprintf(stderr, "pdig: ptrace: %s\n", strerror(err));
}

/* Forks, seizes, traces; the tracer is the caller's to free. */
static int spawn_with(struct tracer *tr, const char *path, char *const argv[], const struct tracer_opts *o)
{
	signal(SIGPIPE, SIG_IGN);

	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "pdig: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0)
		child_exec(path, argv, &o->set, tracer_has_cap(21 /* CAP_SYS_ADMIN */));

	/* EINTR: a signal pdig handles (SIGURG, from anyone) may come now */
	int status, r;
	while ((r = waitpid(pid, &status, WSTOPPED)) < 0 && errno == EINTR)
		;
	if (r < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "pdig: the program did not start\n");
		/* never leave it stopped, holding pdig's output open */
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return 1;
	}
	if (seize_bounded(tr, pid, tracer_options(tr)) < 0) {
		int e = errno;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		explain_seize_error(e);
		return 1;
	}
	struct thread *t = threads_get(&tr->threads, pid);
	if (t) {
		t->pid = pid;
		t->attached = true;
		t->seccomp = true;
		/* pdig forked this process before tracing began: describe it with
		 * the child side of that fork, so the consumer knows its parent,
		 * ids and cwd before the first exec. */
		core_describe_new_process(tr, t);
	}
	tracer_process.main_pid = pid;
	tracer_process.init_process = getpid() == 1;
	ending_install();
	kill(pid, SIGCONT);
	workers_run(tr);
	return core_exit_code(tracer_process.main_status);
}

int tracer_spawn(const char *path, char *const argv[], const struct tracer_opts *o)
{
	struct tracer *tr = core_new(o, false);
	if (!tr)
		return 1;
	workers_setup(tr, o->threads ? o->threads : 1, !o->no_follow_cpu);
	int rc = spawn_with(tr, path, argv, o);
	core_free(tr);
	return rc;
}
