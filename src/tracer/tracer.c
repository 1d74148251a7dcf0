/* The stop loop. With the seccomp filter, a traced syscall costs two stops:
 * the seccomp stop at entry (resumed with PTRACE_SYSCALL) and the
 * syscall-exit stop (resumed with PTRACE_CONT); untraced syscalls never
 * stop. Without it (attach without -S) every syscall stops at entry and
 * exit and untraced ones are skipped here. Process creation and exec are
 * finished at their ptrace event stop instead of a further stop. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../abi/time_ns.h"
#include "../procfs/procfs.h"
#include "../sinks/sink.h"
#include "../abi/kernel_abi.h"
#include "tracer_internal.h"

#define EVENT_BUF_SIZE (512 * 1024)

struct tracer_state tracer = { .main_status = -1 };

static uint8_t event_buf[EVENT_BUF_SIZE];
static struct tracee_state proc_state;
static struct mem_ctx mem_ctx;
static struct tracee_mem mem;

static bool traced(uint64_t nr);

unsigned long tracer_options(void)
{
	unsigned long o = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
	                  PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC;
	/* a spawned program dies with pdig, like under strace; attached ones never do */
	return tracer.attach_mode ? o : o | PTRACE_O_EXITKILL;
}

void core_init(const struct tracer_opts *o)
{
	tracer.set = o->set;
	tracer.verbose = o->verbose;
	procfs_state_init(&proc_state);
	/* every syscall that invalidates a cached read stops (seccomp.c) */
	procfs_cache_enable(true);
	/* cgroup moves and loginuid writes are seen through the opens */
	procfs_lineage_watch(traced(SYS_open) && traced(SYS_creat) && traced(SYS_openat) && traced(SYS_openat2));
	placement_init(!o->no_follow_cpu);
	waiting_init(!o->no_follow_cpu);
	tracee_mem_init(&mem, &mem_ctx);
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

static void emit(size_t len)
{
	if (len)
		sinks_emit(event_buf, len);
	else
		tracer.encode_failures++;
}

static void emit_syscall_in(enum mem_phase phase, int is_exit, const struct thread *t, uint64_t nr,
                            const uint64_t *args, int64_t ret);

/* The tracee memory reader, pointed at t's current syscall. */
static const struct tracee_mem *mem_for(const struct thread *t, enum mem_phase phase)
{
	mem_ctx.tid = t->tid;
	mem_ctx.peek_only = 0;
	mem_ctx.phase = phase;
	mem_ctx.pin = NULL;
	return &mem;
}

/* A thread's process id, looked up in /proc the first time if it was not
 * learnt when the thread appeared. */
static pid_t thread_pid(const struct thread *ct)
{
	struct thread *t = (struct thread *)ct;
	if (!t->pid) {
		int64_t tgid, ppid;
		t->pid = procfs_ids(t->tid, &tgid, &ppid) == 0 && tgid > 0 ? (pid_t)tgid : t->tid;
	}
	return t->pid;
}

static void emit_syscall(int is_exit, const struct thread *t, uint64_t nr, const uint64_t *args, int64_t ret)
{
	emit_syscall_in(MEM_PLAIN, is_exit, t, nr, args, ret);
}

/* phase: whether strings read now are kept for (entry) or taken from
 * (exit) the thread's current syscall. */
static void emit_syscall_in(enum mem_phase phase, int is_exit, const struct thread *t, uint64_t nr,
                            const uint64_t *args, int64_t ret)
{
	struct enc_ctx c;
	c.ts = now_ns();
	c.tid = t->tid;
	c.pid = thread_pid(t);
	c.nr = nr;
	memcpy(c.args, args, sizeof c.args);
	c.ret = ret;
	c.snaplen = sinks_snaplen();
	c.mem = mem_for(t, phase);
	/* clone3 flags, read at the entry: the creator's own, or for a new
	 * child the ones its creator passed */
	if (nr == SYS_clone3 && is_exit) {
		if (t->state == TS_IN_SYSCALL && t->nr == SYS_clone3 && t->clone3_flags_ok)
			mem_ctx.pin = &t->clone3_flags;
		else if (t->state != TS_IN_SYSCALL && t->creator_nr == SYS_clone3 && t->creator_flags_read)
			mem_ctx.pin = &t->creator_flags;
		mem_ctx.pin_addr = args[0];
	}
	c.st = &proc_state;
	emit(encode_syscall(is_exit, &c, event_buf, sizeof event_buf));
}

static void emit_procexit(pid_t tid, int status)
{
	if (sinks_want())
		emit(encode_procexit(now_ns(), tid, status, event_buf, sizeof event_buf));
	else
		sinks_skipped(1);
}

static void resume(pid_t tid, int request, int sig)
{
	/* ESRCH: the thread died meanwhile; waitpid reports its exit. */
	ptrace(request, tid, 0, (void *)(long)sig);
}

/* How to let a thread run on: PTRACE_SYSCALL while its exit stop is wanted
 * or while it has no filter; PTRACE_CONT otherwise. */
static void run_on(struct thread *t)
{
	resume(t->tid, t->state == TS_IN_SYSCALL || !t->seccomp ? PTRACE_SYSCALL : PTRACE_CONT, 0);
}

/* Tgid and parent pid of a thread, from /proc (process events only). */
static void read_ids(pid_t tid, pid_t *tgid, pid_t *ppid)
{
	int64_t pid = 0, parent = 0;
	procfs_ids(tid, &pid, &parent);
	*tgid = pid > 0 ? (pid_t)pid : tid;
	*ppid = parent > 0 ? (pid_t)parent : 0;
}

static bool traced(uint64_t nr)
{
	return nr < PDIG_SYSCALL_MAX && tracer.set.on[nr];
}

static bool is_clone_family(uint64_t nr)
{
	return nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone3;
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

/* The process of a new thread whose creating syscall is known: the
 * creator's with CLONE_THREAD, its own otherwise. Falls back to /proc. */
static pid_t new_thread_tgid(struct thread *t)
{
	return (t->creator_flags & CLONE_THREAD) && t->creator_pid ? t->creator_pid : t->tid;
}

/* The clone flags of the call a thread is making, read while it is stopped
 * (clone3 keeps them in memory the caller may reuse once it runs on);
 * false if they cannot be read. */
static bool clone_flags_of(const struct thread *t, uint64_t *flags)
{
	if (t->nr == SYS_clone) {
		*flags = t->args[0];
		return true;
	}
	if (t->nr != SYS_clone3)
		return *flags = 0, t->nr == SYS_fork || t->nr == SYS_vfork;
	if (t->clone3_flags_ok) {
		*flags = t->clone3_flags;
		return true;
	}
	struct mem_ctx ctx = { .tid = t->tid, .phase = MEM_PLAIN };
	struct tracee_mem m;
	tracee_mem_init(&m, &ctx);
	return t->args[1] >= 8 && mem_read_exact(&m, t->args[0], flags, sizeof *flags) == 0;
}

/* The flags as they act on the child: CLONE_CHILD_SETTID with no address
 * (clone's fourth argument) writes nothing, so costs the child no fault. */
static uint64_t flags_as_applied(const struct thread *t, uint64_t flags)
{
	if (t->nr == SYS_clone && !t->args[3])
		flags &= ~CLONE_CHILD_SETTID;
	return flags;
}

/* Does a thread of process pid carry pdig's filter? */
struct filtered_search {
	pid_t pid;
	bool found;
};

static void match_filtered(struct thread *t, void *arg)
{
	struct filtered_search *f = arg;
	if (t->seccomp && t->pid == f->pid)
		f->found = true;
}

static bool process_filtered(pid_t pid)
{
	struct filtered_search f = { pid, false };
	if (pid > 0)
		threads_each(match_filtered, &f);
	return f.found;
}

/* First stop of an auto-attached child: emit its side of the clone exit
 * (res = 0), described by the creator's syscall. */
static void on_new_thread(struct thread *t)
{
	t->attached = true;
	/* Spawned programs all carry pdig's filter. In attach mode a new thread
	 * has it when its creator does (-S); on_clone_event set that already
	 * when the creator's stop came first. */
	if (!tracer.attach_mode)
		t->seccomp = true;
	struct thread *creator = NULL;
	uint64_t nr = SYS_clone, args[6] = {0};
	if (t->child_pending) {
		/* the creator's event stop came first and left its syscall here;
		 * its flags tell whether this is a thread of the same process */
		nr = t->creator_nr;
		memcpy(args, t->creator_args, sizeof args);
		t->child_pending = false;
		t->pid = new_thread_tgid(t);
	} else {
		/* nobody takes events: no event to describe it, and its process
		 * id is looked up when one is first needed (thread_pid) */
		if (!sinks_want() && !tracer.attach_mode)
			return;
		pid_t tgid, ppid;
		read_ids(t->tid, &tgid, &ppid);
		t->pid = tgid;
		struct creator_search s = { tgid, ppid, NULL };
		threads_each(match_creator, &s);
		creator = s.found;
		if (creator) {
			nr = creator->nr;
			memcpy(args, creator->args, sizeof args);
			uint64_t flags;
			if (sinks_want() && clone_flags_of(creator, &flags))
				procfs_note_clone(t->tid, creator->tid, flags_as_applied(creator, flags), false);
		}
		if (tracer.attach_mode)
			t->seccomp = creator ? creator->seccomp : process_filtered(tgid) || process_filtered(ppid);
		if (!sinks_want())
			return;
	}
	if (traced(nr) && sinks_want())
		emit_syscall(1, t, nr, args, 0);
	else if (traced(nr))
		sinks_skipped(1);
}

void core_describe_new_process(struct thread *t)
{
	if (sinks_want()) {
		uint64_t args[6] = { SIGCHLD };
		emit_syscall(1, t, SYS_clone, args, 0);
	} else {
		sinks_skipped(1);
	}
}

static void on_syscall_entry(struct thread *t, uint64_t nr, const uint64_t *args)
{
	t->silent = false;
	t->nr = nr;
	memcpy(t->args, args, sizeof t->args);
	t->state = TS_IN_SYSCALL;
	if (sinks_want())
		emit_syscall_in(MEM_ENTRY, 0, t, t->nr, t->args, 0);
	else
		sinks_skipped(1);
	resume(t->tid, PTRACE_SYSCALL, 0);
}

/* A traced syscall let go because no sink wants events: its enter and
 * exit are not made (exit and exit_group never return). */
static void skip_syscall(uint64_t nr)
{
	sinks_skipped(nr == SYS_exit || nr == SYS_exit_group ? 1 : 2);
}

static bool is_clone_call(uint64_t nr) { return nr == SYS_clone || nr == SYS_clone3; }

/* A syscall with no event wanted that may change what procfs caches:
 * waited for to its exit, where the change is done, without events. */
static bool watch_silently(struct thread *t, uint64_t nr)
{
	if (traced(nr) || !procfs_watched(nr) || !sinks_want())
		return false;
	t->nr = nr;
	t->silent = true;
	t->state = TS_IN_SYSCALL;
	resume(t->tid, PTRACE_SYSCALL, 0);
	return true;
}

static void on_seccomp_stop(struct thread *t)
{
	struct pdig_syscall_info info;
	if (!t->seccomp) {
		/* Not pdig's filter but the process's own (RET_TRACE in a filter
		 * of its own, attach mode): the syscall-entry stop before this one
		 * was the entry. */
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	uint64_t nr = COMPAT_NONE;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof info, &info) > 0 &&
	    info.op == PDIG_SYSCALL_INFO_SECCOMP)
		nr = compat_native_nr(info.arch, info.seccomp.nr, &tracer.unrecorded_compat);
	if (nr >= PDIG_SYSCALL_MAX) {
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_CONT, 0);
		return;
	}
	/* clone and clone3 always stop, traced or not, so no child escapes */
	if (is_clone_call(nr))
		keep_traced(t, info.arch, nr, info.seccomp.args, info.stack_pointer);
	procfs_note_syscall(t->tid, nr);
	if (watch_silently(t, nr))
		return;
	if (!traced(nr) || !sinks_want()) {
		if (traced(nr))
			skip_syscall(nr);
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_CONT, 0);
		return;
	}
	on_syscall_entry(t, nr, info.seccomp.args);
}

/* A syscall stop (entry or exit) from PTRACE_SYSCALL. */
static void on_syscall_stop(struct thread *t)
{
	struct pdig_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof info, &info) <= 0) {
		t->state = TS_RUNNING;
		run_on(t);
		return;
	}
	if (info.op == PDIG_SYSCALL_INFO_ENTRY) {
		/* With a filter the seccomp stop that follows is the entry. */
		if (t->seccomp) {
			t->state = TS_RUNNING;
			resume(t->tid, PTRACE_CONT, 0);
			return;
		}
		pid_t tid = t->tid;
		bool tried = tracer.inject_seccomp;
		int injected = tried ? inject_seccomp(t) : -1;
		if (tried) {
			/* deaths reaped during the injection may have moved or removed t */
			if (!(t = threads_find(tid)))
				return;
		}
		if (injected >= 0) {
			/* the syscall is re-issued and reported afresh */
			t->state = TS_RUNNING;
			run_on(t);
			return;
		}
		uint64_t nr = compat_native_nr(info.arch, info.entry.nr, &tracer.unrecorded_compat);
		if (is_clone_call(nr))
			keep_traced(t, info.arch, nr, info.entry.args, info.stack_pointer);
		procfs_note_syscall(t->tid, nr);
		if (traced(nr) && sinks_want()) {
			on_syscall_entry(t, nr, info.entry.args);
			return;
		}
		if (traced(nr))
			skip_syscall(nr);
		if (watch_silently(t, nr))
			return;
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	if (info.op == PDIG_SYSCALL_INFO_EXIT && t->state == TS_IN_SYSCALL) {
		/* a change the entry announced is done now: cached reads made
		 * meanwhile are stale */
		procfs_note_exit(t->tid, t->nr, t->args, info.exit.rval, mem_for(t, MEM_EXIT));
		if (sinks_want() && !t->silent)
			emit_syscall_in(MEM_EXIT, 1, t, t->nr, t->args, info.exit.rval);
		else if (!t->silent)
			sinks_skipped(1);
		t->silent = false;
	}
	mem_release(t->tid);
	t->state = TS_RUNNING;
	run_on(t);
}

/* Children reaped before their creator's clone event was handled (wait
 * reports come in any order): that event must not bring them back. */
#define REAPED_EARLY 16
static pid_t reaped_early[REAPED_EARLY];
static unsigned reaped_early_next;

static bool take_reaped_early(pid_t tid)
{
	for (unsigned i = 0; i < REAPED_EARLY; i++) {
		if (reaped_early[i] == tid) {
			reaped_early[i] = 0;
			return true;
		}
	}
	return false;
}

/* fork/vfork/clone event in the parent: the syscall has succeeded, so its
 * exit event is emitted now and the exit stop is not waited for. */
static void on_clone_event(pid_t tid)
{
	unsigned long child = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	procfs_note_clone_made(tid);
	/* Get the child first: adding it may move the parent's entry. It may
	 * have stopped, run and been reaped already: then it stays gone. */
	struct thread *ct = child ? threads_find((pid_t)child) : NULL;
	if (child && !ct && !take_reaped_early((pid_t)child))
		ct = threads_get((pid_t)child);
	if (ct)
		ct->creator_seen = true;
	struct thread *t = threads_find(tid);
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (ct && !ct->attached) {
		ct->seccomp = t->seccomp;
		if (t->state == TS_IN_SYSCALL) {
			/* its first stop is still to come: leave it the creator's syscall */
			ct->child_pending = true;
			ct->creator_pid = t->pid ? t->pid : t->tid;
			ct->creator_flags_read = clone_flags_of(t, &ct->creator_flags);
			if (!ct->creator_flags_read) {
				/* unreadable: let /proc decide the child's process */
				pid_t tgid, ppid;
				read_ids(ct->tid, &tgid, &ppid);
				ct->creator_flags = tgid == ct->creator_pid ? CLONE_THREAD : 0;
			}
			ct->creator_nr = t->nr;
			memcpy(ct->creator_args, t->args, sizeof ct->creator_args);
			if (sinks_want() && ct->creator_flags_read)
				procfs_note_clone(ct->tid, t->tid, flags_as_applied(t, ct->creator_flags), true);
		}
	}
	if (t->state == TS_IN_SYSCALL && sinks_want())
		emit_syscall(1, t, t->nr, t->args, (int64_t)child);
	else if (t->state == TS_IN_SYSCALL)
		sinks_skipped(1);
	t->state = TS_RUNNING;
	run_on(t);
}

/* exec succeeded. If a non-leader thread ran it, it now has the leader's
 * tid; its old tid vanishes without a wait report. */
static void on_exec_event(pid_t tid)
{
	unsigned long former = (unsigned long)tid;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
	/* the cached argv/env/exe and credentials are the old image's; from a
	 * non-leader, the leader's cached state was never the caller's */
	procfs_forget_exec(tid);
	if ((pid_t)former != tid)
		procfs_exec_took_over(tid, (pid_t)former);
	struct thread *t;
	if ((pid_t)former != tid) {
		threads_remove(tid);
		t = threads_rename((pid_t)former, tid);
		/* the filename now lives only in what was kept at the entry */
		mem_rename((pid_t)former, tid);
		if (t) {
			t->pid = tid;
			emit_procexit((pid_t)former, 0);
			if (t->state == TS_IN_SYSCALL && sinks_want()) /* pair the exit with an enter on the new tid */
				emit_syscall_in(MEM_EXIT, 0, t, t->nr, t->args, 0);
			else if (t->state == TS_IN_SYSCALL)
				sinks_skipped(1);
		}
	} else {
		t = threads_find(tid);
	}
	mem_release(tid); /* the old image's strings must not meet the new one */
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (t->state == TS_IN_SYSCALL && sinks_want())
		emit_syscall(1, t, t->nr, t->args, 0);
	else if (t->state == TS_IN_SYSCALL)
		sinks_skipped(1);
	t->state = TS_RUNNING;
	run_on(t);
}

void core_on_stop(pid_t tid, int status)
{
	struct thread *t = threads_get(tid);
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (!t->attached)
		on_new_thread(t);
	placement_follow(t);
	t->group_stopped = false;
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		on_syscall_stop(t);
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
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			t->group_stopped = true;
			resume(tid, PTRACE_LISTEN, 0); /* group-stop: stay stopped until SIGCONT */
		} else {
			run_on(t);
		}
		return;
	case 0:
		/* signal-delivery-stop: pass the signal on unchanged */
		resume(tid, t->seccomp ? PTRACE_CONT : PTRACE_SYSCALL, sig);
		return;
	default:
		run_on(t);
		return;
	}
}

void core_on_death(pid_t tid, int status)
{
	struct thread *t = threads_find(tid);
	mem_release(tid);
	if (t) {
		if (!t->creator_seen) {
			/* a child whose creator's event may still come (or a
			 * thread pdig found in place: harmless) */
			reaped_early[reaped_early_next++ % REAPED_EARLY] = tid;
		}
		emit_procexit(tid, status);
		threads_remove(tid);
		procfs_forget(tid);
	}
	if (tid == tracer.main_pid)
		tracer.main_status = status;
}

void core_loop(void)
{
	/* As PID 1, pdig ends with the program, like tini: the kernel then
	 * ends the rest of the namespace. Otherwise it waits for every
	 * tracee, like strace -f. Orphans reparented to pdig are reaped here
	 * either way, since waitpid(-1) also returns untraced children. */
	while (!tracer.detach_requested && !(tracer.init_process && tracer.main_status >= 0)) {
		int status;
		pid_t tid = tracer_wait(&status);
		placement_tick();
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every tracee is gone */
		}
		if (WIFSTOPPED(status))
			core_on_stop(tid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			core_on_death(tid, status);
	}
	waiting_report();
	if (tracer.unrecorded_compat)
		fprintf(stderr, "pdig: %llu traced syscalls made through the 32-bit ABI (socketcall, 16-bit "
		                "set*id) have no x86-64 event and were not recorded\n",
		        (unsigned long long)tracer.unrecorded_compat);
	if (tracer.encode_failures)
		fprintf(stderr, "pdig: %llu events could not be encoded and were dropped\n",
		        (unsigned long long)tracer.encode_failures);
}

int core_exit_code(int status)
{
	if (status < 0)
		return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
