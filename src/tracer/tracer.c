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

#include "abi/time_ns.h"
#include "procfs/procfs.h"
#include "abi/kernel_abi.h"
#include "budget.h"
#include "lockprof.h"
#include "prelock.h"
#include "seize.h"
#include "tracer_internal.h"

struct tracer_process tracer_process = { .main_status = -1 };

/* One stop (or death) as its handlers see it, built on the stack for each. */
struct stop {
	struct tracer *tr;
	bool want; /* the output's wanted(), asked once for the stop and passed down */
};

static bool traced(const struct tracer *tr, uint64_t nr);

unsigned long tracer_options(const struct tracer *tr)
{
	unsigned long o = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
	                  PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |
	                  PTRACE_O_TRACEVFORKDONE;
	/* a spawned program dies with pdig, like under strace; attached ones never do */
	return tr->attach_mode ? o : o | PTRACE_O_EXITKILL;
}

struct tracer *core_new(const struct tracer_opts *o, bool attach_mode)
{
	/* on the heap: the event buffer and the kept strings are large */
	struct tracer *tr = calloc(1, sizeof *tr);
	if (!tr) {
		fprintf(stderr, "pdig: out of memory\n");
		return NULL;
	}
	tr->set = o->set;
	tr->verbose = o->verbose;
	tr->out = o->out;
	tr->attach_mode = attach_mode;
	elide_init(tr);
	/* the capture sink reads the process list through the default
	 * instance: share its cache, as the notes below keep it right */
	tr->procfs = procfs_default();
	procfs_state_bind(&tr->st, tr->procfs);
	/* every syscall that invalidates a cached read stops (seccomp.c);
	 * cgroup moves and loginuid writes are seen through the opens */
	procfs_cache_enable(tr->procfs, true,
	                    traced(tr, SYS_open) && traced(tr, SYS_creat) && traced(tr, SYS_openat) && traced(tr, SYS_openat2));
	placement_init(&tr->placement, !o->no_follow_cpu);
	/* polling spends CPU to shorten waits: not under a CPU budget */
	waiting_init(&tr->waiting, !o->no_follow_cpu && !(o->max_cpu > 0));
	budget_init(o->max_cpu, &o->set, o->rules_need);
	return tr;
}

void core_free(struct tracer *tr)
{
	if (!tr)
		return;
	placement_close(&tr->placement);
	threads_free(&tr->threads);
	free(tr->deaths);
	free(tr);
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

/* n events were not built because the output did not want them. */
static void skipped(struct tracer *tr, uint64_t n)
{
	uint64_t t0 = lp_now();
	tr->out.skipped(tr->out.ctx, n);
	lp_add(LP_SINK, t0);
}

static void emit(struct tracer *tr, const struct pdig_schema *s, size_t len)
{
	uint64_t t0 = lp_now();
	if (len)
		tr->out.emit(tr->out.ctx, s->id, tr->event_buf, len);
	lp_add(LP_SINK, t0);
	if (!len)
		tr->encode_failures++;
}

uint64_t core_now_ns(void) { return now_ns(); }
void core_emit(struct tracer *tr, const struct pdig_schema *s, size_t len) { emit(tr, s, len); }

bool core_wanted(struct tracer *tr)
{
	uint64_t t0 = lp_now();
	tr->schemas = tr->out.wanted(tr->out.ctx);
	lp_add(LP_SINK, t0);
	return tr->schemas != 0;
}

const struct pdig_schema *core_schema_next(const struct tracer *tr, const struct pdig_schema *prev)
{
	for (int id = prev ? (int)prev->id + 1 : 0; id < SCHEMA_COUNT; id++)
		if (tr->schemas & SCHEMA_BIT(id))
			return pdig_schema_get((enum pdig_schema_id)id);
	return NULL;
}

#define EACH_SCHEMA(tr, s) \
	for (const struct pdig_schema *s = core_schema_next(tr, NULL); s; s = core_schema_next(tr, s))

/* Tgid and parent pid of a thread, from /proc; tgid falls back to tid. */
static void read_ids(struct tracer *tr, pid_t tid, pid_t *tgid, pid_t *ppid)
{
	int64_t pid = 0, parent = 0;
	uint64_t t0 = lp_now();
	procfs_ids(tr->procfs, tid, &pid, &parent);
	lp_add(LP_PROCFS, t0);
	*tgid = pid > 0 ? (pid_t)pid : tid;
	*ppid = parent > 0 ? (pid_t)parent : 0;
}

/* A thread's process id, looked up in /proc the first time if it was not
 * learnt when the thread appeared. */
static pid_t thread_pid(struct tracer *tr, const struct thread *ct)
{
	struct thread *t = (struct thread *)ct;
	if (!t->pid) {
		pid_t ppid;
		read_ids(tr, t->tid, &t->pid, &ppid);
	}
	return t->pid;
}

/* The memory reader for syscall nr of t. phase: whether strings read now
 * are kept for (entry) or taken from (exit) the thread's current syscall.
 * A clone3 exit reads the flags read at the entry: the creator's own, or
 * for a new child the ones its creator passed. */
static const struct tracee_mem *syscall_reader(struct mem_reader *r, struct tracer *tr, const struct thread *t,
                                               enum mem_phase phase, int is_exit, uint64_t nr,
                                               const uint64_t *args)
{
	const struct tracee_mem *m = mem_reader_init(r, &tr->kept, t->tid, phase);
	if (nr == SYS_clone3 && is_exit) {
		if (t->state == TS_IN_SYSCALL && t->nr == SYS_clone3 && t->clone3_flags_ok)
			r->ctx.pin = &t->clone3_flags;
		else if (t->state != TS_IN_SYSCALL && t->creator_nr == SYS_clone3 && t->creator_flags_read)
			r->ctx.pin = &t->creator_flags;
		r->ctx.pin_addr = args[0];
	}
	return m;
}

/* Encode and emit syscall nr's entry or exit event for t, reading its
 * memory through mem. */
static void emit_syscall_with(struct tracer *tr, const struct tracee_mem *mem, int is_exit, const struct thread *t,
                              uint64_t nr, const uint64_t *args, int64_t ret)
{
	struct enc_ctx c;
	c.ts = now_ns();
	c.tid = t->tid;
	c.pid = thread_pid(tr, t);
	c.nr = nr;
	memcpy(c.args, args, sizeof c.args);
	c.ret = ret;
	uint64_t t0 = lp_now();
	c.snaplen = tr->out.snaplen(tr->out.ctx);
	lp_add(LP_SINK, t0);
	c.mem = mem;
	c.st = &tr->st;
	bool built = false;
	EACH_SCHEMA(tr, s) {
		/* a schema whose drivers send no such enter: nothing to build */
		if (!is_exit && !encode_enter_sent(s, nr))
			continue;
		c.schema = s;
		built = true;
		t0 = lp_now();
		size_t len = encode_syscall(is_exit, &c, tr->event_buf, sizeof tr->event_buf);
		lp_add(LP_ENCODE, t0);
		emit(tr, s, len);
	}
	/* events wanted, but no enter built: its exit may still need what
	 * only the entry can read */
	if (!is_exit && !built && tr->schemas)
		encode_keep_entry_strings(&c);
}

static void emit_syscall_in(struct tracer *tr, enum mem_phase phase, int is_exit, const struct thread *t,
                            uint64_t nr, const uint64_t *args, int64_t ret)
{
	struct mem_reader r;
	emit_syscall_with(tr, syscall_reader(&r, tr, t, phase, is_exit, nr, args), is_exit, t, nr, args, ret);
}

static void emit_syscall(struct tracer *tr, int is_exit, const struct thread *t, uint64_t nr, const uint64_t *args,
                         int64_t ret)
{
	emit_syscall_in(tr, MEM_PLAIN, is_exit, t, nr, args, ret);
}

void core_emit_enter(struct tracer *tr, struct thread *t)
{
	emit_syscall_in(tr, MEM_ENTRY, 0, t, t->nr, t->args, 0);
}

void core_emit_exit(struct tracer *tr, struct thread *t, int64_t ret)
{
	emit_syscall_in(tr, MEM_EXIT, 1, t, t->nr, t->args, ret);
	mem_release(&tr->kept, t->tid);
}

void core_skip_exit(struct tracer *tr, struct thread *t)
{
	skipped(tr, 1);
	mem_release(&tr->kept, t->tid);
}

static void emit_procexit(struct tracer *tr, pid_t tid, int status)
{
	uint64_t ts = now_ns();
	EACH_SCHEMA(tr, s) {
		uint64_t t0 = lp_now();
		size_t len = encode_procexit(s, ts, tid, status, tr->event_buf, sizeof tr->event_buf);
		lp_add(LP_ENCODE, t0);
		emit(tr, s, len);
	}
}

static void resume(pid_t tid, int request, int sig)
{
	/* with several workers, the stop's last resume waits for the lock to
	 * be let go (workers.c) */
	if (core_resume_deferred(tid, request, sig))
		return;
	/* ESRCH: the thread died meanwhile; waitpid reports its exit. */
	ptrace(request, tid, 0, (void *)(long)sig);
}

void core_resume(pid_t tid, int request, int sig) { resume(tid, request, sig); }

/* How to let a thread run on: PTRACE_SYSCALL while its exit stop is wanted
 * or while it has no filter; PTRACE_CONT otherwise. */
static void run_on(struct thread *t)
{
	resume(t->tid, t->state == TS_IN_SYSCALL || !t->seccomp ? PTRACE_SYSCALL : PTRACE_CONT, 0);
}

static bool traced(const struct tracer *tr, uint64_t nr)
{
	return nr < PDIG_SYSCALL_MAX && tr->set.on[nr];
}

static bool is_clone_family(uint64_t nr)
{
	return nr == SYS_clone || nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone3;
}

struct creator_search {
	pid_t tgid, ppid;
	bool thread;          /* the new one is a thread of an existing process */
	struct thread *found; /* a creator whose flags make what was made */
	struct thread *maybe; /* one whose flags could not be read */
};

static bool clone_flags_of(const struct thread *t, uint64_t *flags);

/* A thread in a clone call that may have made the new one: of its process
 * for a thread, of its parent process for a new process. When a fork and a
 * pthread_create race in one process both are in clone calls: their flags
 * tell which made a thread and which a process. */
static void match_creator(struct thread *t, void *arg)
{
	struct creator_search *s = arg;
	/* a vfork parent waiting for its child made its child already */
	if (s->found || t->state != TS_IN_SYSCALL || !is_clone_family(t->nr) || t->vfork_wait)
		return;
	pid_t pid = t->pid ? t->pid : t->tid;
	if (pid != (s->thread ? s->tgid : s->ppid))
		return;
	uint64_t flags;
	if (!clone_flags_of(t, &flags)) {
		if (!s->maybe)
			s->maybe = t;
	} else if (!(flags & CLONE_THREAD) == !s->thread) {
		s->found = t;
	}
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
	struct mem_reader r;
	return t->args[1] >= 8 &&
	       mem_read_exact(mem_reader_init(&r, NULL, t->tid, MEM_PLAIN), t->args[0], flags, sizeof *flags) == 0;
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

static bool process_filtered(struct tracer *tr, pid_t pid)
{
	struct filtered_search f = { pid, false };
	if (pid > 0)
		threads_each(&tr->threads, match_filtered, &f);
	return f.found;
}

/* First stop of an auto-attached child: emit its side of the clone exit
 * (res = 0), described by the creator's syscall. */
static void on_new_thread(const struct stop *s, struct thread *t)
{
	struct tracer *tr = s->tr;
	t->attached = true;
	/* Spawned programs all carry pdig's filter. In attach mode a new thread
	 * has it when its creator does (-S); on_clone_event set that already
	 * when the creator's stop came first. */
	if (!tr->attach_mode)
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
		if (!s->want && !tr->attach_mode)
			return;
		pid_t tgid, ppid;
		read_ids(tr, t->tid, &tgid, &ppid);
		t->pid = tgid;
		struct creator_search cs = { tgid, ppid, tgid != t->tid, NULL, NULL };
		threads_each(&tr->threads, match_creator, &cs);
		creator = cs.found ? cs.found : cs.maybe;
		if (creator) {
			t->exit_stops = creator->exit_stops;
			nr = creator->nr;
			memcpy(args, creator->args, sizeof args);
			uint64_t flags;
			if (s->want && clone_flags_of(creator, &flags))
				procfs_on_clone(tr->procfs, creator->tid, t->tid, flags_as_applied(creator, flags), false);
		}
		if (tr->attach_mode)
			t->seccomp = creator ? creator->seccomp : process_filtered(tr, tgid) || process_filtered(tr, ppid);
		/* the creator is a guess: with no event to make, nothing is
		 * counted as skipped either */
		if (!s->want)
			return;
	}
	if (traced(tr, nr) && s->want)
		emit_syscall(tr, 1, t, nr, args, 0);
	else if (traced(tr, nr))
		skipped(tr, 1);
}

void core_describe_thread(struct tracer *tr, struct thread *t, uint64_t clone_flags)
{
	uint64_t args[6] = { clone_flags };
	emit_syscall(tr, 1, t, SYS_clone, args, 0);
}

void core_describe_new_process(struct tracer *tr, struct thread *t)
{
	if (core_wanted(tr)) {
		uint64_t args[6] = { SIGCHLD };
		emit_syscall(tr, 1, t, SYS_clone, args, 0);
	} else {
		skipped(tr, 1);
	}
}

/* A traced syscall's entry, with events wanted: emit it and wait for its
 * exit. */
static void on_syscall_entry(const struct stop *s, struct thread *t, uint64_t nr, const uint64_t *args)
{
	t->silent = false;
	t->nr = nr;
	memcpy(t->args, args, sizeof t->args);
	t->state = TS_IN_SYSCALL;
	emit_syscall_in(s->tr, MEM_ENTRY, 0, t, t->nr, t->args, 0);
	resume(t->tid, PTRACE_SYSCALL, 0);
}

/* A traced syscall's entry whose exit is known now (elide.c): both events
 * are made here and the exit stop is skipped. */
static void on_syscall_entry_elided(const struct stop *s, struct thread *t, uint64_t nr, const uint64_t *args,
                                    int64_t ret)
{
	t->silent = false;
	t->nr = nr;
	memcpy(t->args, args, sizeof t->args);
	emit_syscall_in(s->tr, MEM_ENTRY, 0, t, nr, t->args, 0);
	emit_syscall_in(s->tr, MEM_EXIT, 1, t, nr, t->args, ret);
	mem_release(&s->tr->kept, t->tid);
	s->tr->stops.exits_elided++;
	t->state = TS_RUNNING;
	resume(t->tid, PTRACE_CONT, 0);
}

/* A traced call whose events the budget sheds (budget.c): no event, no
 * read; followed to its exit only where pdig's own state needs the exit
 * (the guard's too: a group signal it let through ends there), else
 * resumed with request. */
static void shed_syscall(struct thread *t, uint64_t nr, const uint64_t *args, int request)
{
	if (budget_needs_exit(nr, args) || guard_follows(t->tid)) {
		t->nr = nr;
		memcpy(t->args, args, sizeof t->args);
		t->silent = true;
		t->state = TS_IN_SYSCALL;
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	t->state = TS_RUNNING;
	resume(t->tid, request, 0);
}

/* A traced syscall let go because no sink wants events: its enter and
 * exit are not made (exit and exit_group never return). */
static void skip_syscall(struct tracer *tr, uint64_t nr)
{
	skipped(tr, nr == SYS_exit || nr == SYS_exit_group ? 1 : 2);
}

static void set_exit_stops(struct tracer *tr, struct thread *t, bool on);

static bool is_clone_call(uint64_t nr) { return nr == SYS_clone || nr == SYS_clone3; }

/* Any syscall's entry (nr native, or COMPAT_NONE), whatever is done with
 * it next: the one place procfs hears of an entry. */
static void syscall_entered(const struct stop *s, struct thread *t, uint32_t arch, uint64_t nr, uint64_t *args,
                            uint64_t sp)
{
	/* clone and clone3 always stop, traced or not, so no child escapes */
	if (is_clone_call(nr))
		keep_traced(t, arch, nr, args, sp);
	/* a clone3's creator killed before its exit stop (a sibling's
	 * exit_group) is checked at its thread's exit stop */
	if (t->untraced_asked && !t->exit_stops)
		set_exit_stops(s->tr, t, true);
	uint64_t t0 = lp_now();
	procfs_on_entry(s->tr->procfs, t->tid, nr);
	lp_add(LP_PROCFS, t0);
}

/* A syscall with no event wanted that may change what procfs caches:
 * waited for to its exit, where the change is done, without events. */
static bool watch_silently(const struct stop *s, struct thread *t, uint64_t nr)
{
	if (traced(s->tr, nr) || !procfs_watched(nr) || !s->want)
		return false;
	t->nr = nr;
	t->silent = true;
	t->state = TS_IN_SYSCALL;
	resume(t->tid, PTRACE_SYSCALL, 0);
	return true;
}

/* A syscall that would switch pdig off (guard.c): it is skipped and fails;
 * its events are made whatever the traced set says, as an attack. */
static bool refused(const struct stop *s, struct thread *t, uint64_t nr, const uint64_t *args)
{
	int err = guard_check(s->tr, t, nr, args);
	bool shown = err || guard_seccomp_call(nr, args);
	if (!err && guard_follows(t->tid) && !(traced(s->tr, nr) && s->want) && !(shown && s->want)) {
		/* a group signal or a filter install let through: followed to
		 * its exit, where the guard finishes it (guard_group.c,
		 * guard_seccomp.c), with no events */
		if (traced(s->tr, nr))
			skip_syscall(s->tr, nr);
		t->nr = nr;
		memcpy(t->args, args, sizeof t->args);
		t->silent = true;
		t->state = TS_IN_SYSCALL;
		resume(t->tid, PTRACE_SYSCALL, 0);
		return true;
	}
	if (err && guard_refuse(t->tid, err) < 0)
		return false;
	if (!shown || (!err && !s->want))
		return false;
	/* refused, or a filter install: its events whatever -e says */
	if (s->want) {
		on_syscall_entry(s, t, nr, args);
	} else {
		t->state = TS_RUNNING;
		run_on(t);
	}
	return true;
}

/* The stop's syscall info: read before the lock when it could be. */
static long syscall_info(pid_t tid, struct pdig_syscall_info *info)
{
	uint64_t t0 = lp_now();
	long n = prelock_syscall_info(tid, info);
	lp_add(LP_PTRACE, t0);
	return n;
}

static void on_seccomp_stop(const struct stop *s, struct thread *t)
{
	struct tracer *tr = s->tr;
	struct pdig_syscall_info info;
	if (!t->seccomp) {
		/* Not pdig's filter but the process's own (RET_TRACE in a filter
		 * of its own, attach mode): the syscall-entry stop before this one
		 * was the entry. */
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	uint64_t nr = COMPAT_NONE;
	if (syscall_info(t->tid, &info) > 0 && info.op == PDIG_SYSCALL_INFO_SECCOMP)
		nr = compat_native_nr(info.arch, info.seccomp.nr, &tr->unrecorded_compat);
	/* a call the program's own filter denies (guard_seccomp.c) */
	if (info.op == PDIG_SYSCALL_INFO_SECCOMP &&
	    guard_seccomp_denied(tr, t, info.seccomp.ret_data, nr, info.seccomp.args, s->want))
		return;
	int64_t known_ret = 0;
	if (nr >= PDIG_SYSCALL_MAX) {
		elide_on_entry(tr, thread_pid(tr, t), t->tid, t, COMPAT_NONE, info.seccomp.args, &known_ret);
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_CONT, 0);
		return;
	}
	syscall_entered(s, t, info.arch, nr, info.seccomp.args, info.stack_pointer);
	/* after syscall_entered: clone3's flags are read there */
	bool known = elide_on_entry(tr, thread_pid(tr, t), t->tid, t, nr, info.seccomp.args, &known_ret);
	if (refused(s, t, nr, info.seccomp.args))
		return;
	/* (a restarted clone is cleaned again above, and a restarted call
	 * checked again: what they read may have changed meanwhile) */
	if ((t->exit_deferred || t->in_restart) && sig_absorb_restart(tr, t, nr, s->want)) {
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	if (watch_silently(s, t, nr))
		return;
	if (!traced(tr, nr) || !s->want) {
		if (traced(tr, nr))
			skip_syscall(tr, nr);
		t->state = TS_RUNNING;
		/* a clone3: its exit is checked for a child that escaped */
		resume(t->tid, t->untraced_asked ? PTRACE_SYSCALL : PTRACE_CONT, 0);
		return;
	}
	if (budget_sheds(tr, t, nr, info.seccomp.args)) {
		shed_syscall(t, nr, info.seccomp.args, t->untraced_asked ? PTRACE_SYSCALL : PTRACE_CONT);
		return;
	}
	if (known)
		on_syscall_entry_elided(s, t, nr, info.seccomp.args, known_ret);
	else
		on_syscall_entry(s, t, nr, info.seccomp.args);
}

/* A syscall-entry stop from PTRACE_SYSCALL. */
static void on_syscall_entry_stop(const struct stop *s, struct thread *t, struct pdig_syscall_info *info)
{
	struct tracer *tr = s->tr;
	/* a restart after a signal the program ignores is no new call */
	uint64_t uncounted = 0, rnr = compat_native_nr(info->arch, info->entry.nr, &uncounted);
	if ((t->exit_deferred || t->in_restart) && sig_absorb_restart(tr, t, rnr, s->want)) {
		/* without a filter this stop is the entry: clean a clone, check
		 * the call again */
		if (!t->seccomp) {
			syscall_entered(s, t, info->arch, rnr, info->entry.args, info->stack_pointer);
			if (refused(s, t, rnr, info->entry.args))
				return;
		}
		resume(t->tid, PTRACE_SYSCALL, 0);
		return;
	}
	/* With a filter the seccomp stop that follows is the entry. */
	if (t->seccomp) {
		t->state = TS_RUNNING;
		resume(t->tid, PTRACE_CONT, 0);
		return;
	}
	if (tr->inject_seccomp) {
		int injected = inject_seccomp(tr, t);
		/* it died meanwhile: the main loop reports that next */
		if (core_death_pending(tr, t->tid))
			return;
		if (injected >= 0) {
			/* the syscall is re-issued and reported afresh */
			t->state = TS_RUNNING;
			run_on(t);
			return;
		}
	}
	uint64_t nr = compat_native_nr(info->arch, info->entry.nr, &tr->unrecorded_compat);
	syscall_entered(s, t, info->arch, nr, info->entry.args, info->stack_pointer);
	if (refused(s, t, nr, info->entry.args))
		return;
	if (traced(tr, nr) && s->want && budget_sheds(tr, t, nr, info->entry.args)) {
		shed_syscall(t, nr, info->entry.args, PTRACE_SYSCALL);
		return;
	}
	if (traced(tr, nr) && s->want) {
		on_syscall_entry(s, t, nr, info->entry.args);
		return;
	}
	if (traced(tr, nr))
		skip_syscall(tr, nr);
	if (watch_silently(s, t, nr))
		return;
	t->state = TS_RUNNING;
	resume(t->tid, PTRACE_SYSCALL, 0);
}

/* A syscall stop (entry or exit) from PTRACE_SYSCALL. */
static void on_syscall_stop(const struct stop *s, struct thread *t)
{
	struct tracer *tr = s->tr;
	struct pdig_syscall_info info;
	if (syscall_info(t->tid, &info) <= 0) {
		t->state = TS_RUNNING;
		run_on(t);
		return;
	}
	if (info.op == PDIG_SYSCALL_INFO_ENTRY) {
		on_syscall_entry_stop(s, t, &info);
		return;
	}
	if (info.op == PDIG_SYSCALL_INFO_EXIT)
		guard_call_over(t->tid, true);
	if (info.op == PDIG_SYSCALL_INFO_EXIT && t->state == TS_IN_SYSCALL) {
		/* one reader for procfs and the event: procfs looks at the
		 * opens, the event at the rest */
		struct mem_reader r;
		const struct tracee_mem *mem = syscall_reader(&r, tr, t, MEM_EXIT, 1, t->nr, t->args);
		uint64_t t0 = lp_now();
		procfs_on_exit(tr->procfs, t->tid, t->nr, t->args, info.exit.rval, mem);
		lp_add(LP_PROCFS, t0);
		t->in_restart = false;
		if (s->want && !t->silent && sig_defers_exit(info.exit.rval)) {
			/* told when the signal behind it is known (signals.c);
			 * PTRACE_SYSCALL meanwhile, to see a restart's entry */
			t->exit_deferred = true;
			t->deferred_ret = info.exit.rval;
			resume(t->tid, PTRACE_SYSCALL, 0);
			return;
		}
		if (s->want && !t->silent)
			emit_syscall_with(tr, mem, 1, t, t->nr, t->args, info.exit.rval);
		else if (!t->silent)
			skipped(tr, 1);
		/* after the event: its dev lookup tells what elide needs */
		elide_on_exit(tr, thread_pid(tr, t), t->nr, t->args, info.exit.rval, mem);
		t->silent = false;
		guard_file_opened(tr, t, info.exit.rval);
	}
	if (info.op == PDIG_SYSCALL_INFO_EXIT && t->untraced_asked)
		clone_escaped(tr, t, info.exit.rval);
	mem_release(&tr->kept, t->tid);
	t->state = TS_RUNNING;
	run_on(t);
}

static bool take_reaped_early(struct tracer *tr, pid_t tid)
{
	for (unsigned i = 0; i < REAPED_EARLY; i++) {
		if (tr->reaped_early[i] == tid) {
			tr->reaped_early[i] = 0;
			return true;
		}
	}
	return false;
}

/* The first stop of ct, made by t's clone, is still to come: leave it its
 * creator's syscall. Returns ct's tid when procfs is to start ct with t's
 * state (events are wanted and the flags are known), else 0. */
static pid_t leave_creator_syscall(const struct stop *s, const struct thread *t, struct thread *ct)
{
	ct->child_pending = true;
	ct->creator_pid = t->pid ? t->pid : t->tid;
	ct->creator_flags_read = clone_flags_of(t, &ct->creator_flags);
	if (!ct->creator_flags_read) {
		/* unreadable: let /proc decide the child's process */
		pid_t tgid, ppid;
		read_ids(s->tr, ct->tid, &tgid, &ppid);
		ct->creator_flags = tgid == ct->creator_pid ? CLONE_THREAD : 0;
	}
	ct->creator_nr = t->nr;
	memcpy(ct->creator_args, t->args, sizeof ct->creator_args);
	return s->want && ct->creator_flags_read ? ct->tid : 0;
}

/* fork/vfork/clone event in the parent: the syscall has succeeded, so its
 * exit event is emitted now and the exit stop is not waited for; a vfork's
 * waits for PTRACE_EVENT_VFORK_DONE (flush_vfork_exit). */
static void on_clone_event(const struct stop *s, pid_t tid, bool vfork)
{
	struct tracer *tr = s->tr;
	unsigned long child = 0;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &child);
	/* Get the child first: adding it may move the parent's entry. It may
	 * have stopped, run and been reaped already: then it stays gone. */
	struct thread *ct = child ? threads_find(&tr->threads, (pid_t)child) : NULL;
	if (child && !ct && !take_reaped_early(tr, (pid_t)child))
		ct = threads_get(&tr->threads, (pid_t)child);
	if (ct)
		ct->creator_seen = true;
	if (ct && !ct->attached)
		threads_set_owner(&tr->threads, ct, (uint8_t)worker_self()); /* auto-attached to the creator's tracer thread */
	struct thread *t = threads_find(&tr->threads, tid);
	if (t)
		t->untraced_asked = false; /* the child is traced: no escape */
	pid_t seeded = 0;
	if (t && ct && !ct->attached) {
		uint64_t flags;
		/* the child has not run yet: its fd table is the parent's now */
		if (t->state == TS_IN_SYSCALL && is_clone_family(t->nr) && clone_flags_of(t, &flags) &&
		    !(flags & (CLONE_THREAD | CLONE_FILES)))
			elide_on_fork(tr, thread_pid(tr, t), (pid_t)child);
		ct->seccomp = t->seccomp;
		ct->exit_stops = t->exit_stops; /* ptrace options are inherited */
		if (t->state == TS_IN_SYSCALL)
			seeded = leave_creator_syscall(s, t, ct);
	}
	uint64_t t0 = lp_now();
	procfs_on_clone(tr->procfs, tid, seeded, seeded ? flags_as_applied(t, ct->creator_flags) : 0, true);
	lp_add(LP_PROCFS, t0);
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	if (t->state == TS_IN_SYSCALL && s->want && vfork) {
		/* the driver's exit comes when the kernel resumes the parent,
		 * after the child's exec or exit: PTRACE_EVENT_VFORK_DONE */
		t->vfork_wait = true;
		t->vfork_res = procfs_id_seen_by(tr->procfs, (int64_t)child, tid);
		run_on(t);
		return;
	}
	if (t->state == TS_IN_SYSCALL && s->want)
		emit_syscall(tr, 1, t, t->nr, t->args, procfs_id_seen_by(tr->procfs, (int64_t)child, tid));
	else if (t->state == TS_IN_SYSCALL)
		skipped(tr, 1);
	t->state = TS_RUNNING;
	run_on(t);
}

/* The vfork parent's clone exit, held since its PTRACE_EVENT_VFORK. */
static void flush_vfork_exit(const struct stop *s, struct thread *t)
{
	if (!t->vfork_wait)
		return;
	t->vfork_wait = false;
	if (s->want)
		emit_syscall(s->tr, 1, t, t->nr, t->args, t->vfork_res);
	else
		skipped(s->tr, 1);
	t->state = TS_RUNNING;
}

/* Out of pdig's hands before its VFORK_DONE (a detach, a death with no exit
 * stop): the held exit is written now rather than lost uncounted. */
void core_flush_held_exit(struct tracer *tr, pid_t tid)
{
	struct thread *t = threads_find(&tr->threads, tid);
	if (!t || !t->vfork_wait)
		return;
	struct stop s = { .tr = tr, .want = core_wanted(tr) };
	flush_vfork_exit(&s, t);
}

/* The thread is exiting (PTRACE_EVENT_EXIT): its last events, then its
 * procexit now, as the driver writes it from the kernel's exit path, not
 * once the thread is reaped (a leader is reaped only after its last
 * thread, a zombie only when pdig gets to it). */
static void on_exit_stop(const struct stop *s, struct thread *t)
{
	/* dying inside a clone3: an untraced child it made goes too */
	clone3_creator_exits(s->tr, t);
	/* killed while the child had the memory: the call returned */
	flush_vfork_exit(s, t);
	sig_on_exit_stop(s->tr, t, s->want);
	unsigned long status = 0;
	if (s->want && ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &status) == 0) {
		emit_procexit(s->tr, t->tid, (int)status);
		t->procexit_sent = true;
	}
	resume(t->tid, PTRACE_CONT, 0);
}

/* exec succeeded. If a non-leader thread ran it, it now has the leader's
 * tid; its old tid vanishes without a wait report. */
static void on_exec_event(const struct stop *s, pid_t tid)
{
	struct tracer *tr = s->tr;
	unsigned long former = (unsigned long)tid;
	ptrace(PTRACE_GETEVENTMSG, tid, 0, &former);
	uint64_t t0 = lp_now();
	procfs_on_exec(tr->procfs, tid, (pid_t)former);
	lp_add(LP_PROCFS, t0);
	elide_on_exec(tr, tid);
	struct thread *t;
	if ((pid_t)former != tid) {
		threads_remove(&tr->threads, tid);
		t = threads_rename(&tr->threads, (pid_t)former, tid);
		/* the filename now lives only in what was kept at the entry */
		mem_rename(&tr->kept, (pid_t)former, tid);
		if (t) {
			t->pid = tid;
			if (s->want)
				emit_procexit(tr, (pid_t)former, 0);
			else
				skipped(tr, 1);
			/* no enter on the new tid: the driver's enter is the
			 * one made on the former tid, and its exit comes on
			 * the leader's tid unpaired */
		}
	} else {
		t = threads_find(&tr->threads, tid);
	}
	/* the exit names the program by the path the entry kept (modern
	 * schemas' filename): the caller's memory is gone */
	if (t && t->state == TS_IN_SYSCALL && s->want)
		emit_syscall_in(tr, MEM_EXIT, 1, t, t->nr, t->args, 0);
	else if (t && t->state == TS_IN_SYSCALL)
		skipped(tr, 1);
	mem_release(&tr->kept, tid); /* the old image's strings must not meet the new one */
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	t->state = TS_RUNNING;
	run_on(t);
}

/* PTRACE_O_TRACEEXIT on t while events are wanted: a thread killed in a
 * blocking syscall makes no syscall-exit stop, and its exit stop is where
 * that syscall's exit and the driver's SIGKILL are reported (signals.c).
 * It costs a stop per thread exit, so it is off while nobody takes events
 * (new threads inherit their creator's options). */
static void set_exit_stops(struct tracer *tr, struct thread *t, bool on)
{
	unsigned long o = tracer_options(tr) | (on ? PTRACE_O_TRACEEXIT : 0);
	if (ptrace(PTRACE_SETOPTIONS, t->tid, 0, (void *)o) == 0)
		t->exit_stops = on;
}

void core_on_stop(struct tracer *tr, pid_t tid, int status)
{
	if (park_on_stop(tr, tid, status))
		return;
	struct stop s = { .tr = tr, .want = core_wanted(tr) };
	budget_tick(tr, tid, s.want);
	/* a consumer that attached since: the processes it cannot know yet */
	if (s.want && tr->out.intro) {
		uint32_t mask = tr->out.intro(tr->out.ctx) & tr->schemas;
		if (mask) {
			uint32_t all = tr->schemas;
			tr->schemas = mask;
			core_introduce(tr);
			tr->schemas = all;
		}
	}
	struct thread *t = threads_get(&tr->threads, tid);
	if (!t) {
		resume(tid, PTRACE_CONT, 0);
		return;
	}
	bool first = !t->attached;
	if (first) {
		threads_set_owner(&tr->threads, t, (uint8_t)worker_self()); /* the worker its first stop came to */
		on_new_thread(&s, t);
	}
	/* a clone3 in flight is watched to its thread's exit, events or not */
	if (t->exit_stops != (s.want || t->untraced_asked))
		set_exit_stops(tr, t, s.want || t->untraced_asked);
	uint64_t t0 = lp_now();
	placement_follow(core_placement(tr), tr->procfs, t);
	lp_add(LP_PROCFS, t0);
	t->group_stopped = false;
	int sig = WSTOPSIG(status);
	int event = status >> 16;
	if (sig == (SIGTRAP | 0x80)) {
		tr->stops.syscall++;
		on_syscall_stop(&s, t);
		return;
	}
	/* any other stop but these ends a wait for the signal behind a
	 * restart errno: the driver saw that exit */
	if (t->exit_deferred && event != 0 && event != PTRACE_EVENT_SECCOMP && event != PTRACE_EVENT_EXIT)
		sig_flush_exit(tr, t, s.want);
	if (event == PTRACE_EVENT_SECCOMP)
		tr->stops.seccomp++;
	else
		tr->stops.other++;
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp_stop(&s, t);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_clone_event(&s, tid, event == PTRACE_EVENT_VFORK);
		return;
	case PTRACE_EVENT_VFORK_DONE:
		flush_vfork_exit(&s, t);
		run_on(t);
		return;
	case PTRACE_EVENT_EXEC:
		on_exec_event(&s, tid);
		return;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			t->group_stopped = true;
			resume(tid, PTRACE_LISTEN, 0); /* group-stop: stay stopped until SIGCONT */
		} else {
			uint64_t t0 = lp_now();
			bool handed = first && handover_try(tr, t);
			lp_add(LP_HANDOVER, t0);
			if (!handed)
				run_on(t); /* (handed over: another worker resumes it) */
		}
		return;
	case PTRACE_EVENT_EXIT:
		on_exit_stop(&s, t);
		return;
	case 0:
		/* signal-delivery-stop: pass the signal on unchanged */
		sig_on_delivery_stop(tr, t, sig, s.want);
		return;
	default:
		run_on(t);
		return;
	}
}

void core_on_death(struct tracer *tr, pid_t tid, int status)
{
	if (park_on_death(tr, tid, status))
		return;
	struct thread *t = threads_find(&tr->threads, tid);
	mem_release(&tr->kept, tid);
	guard_call_over(tid, false);
	elide_on_death(tr, tid);
	if (t) {
		/* a death its tracer thread may hold a stop of (prelock.c) */
		if (workers_count() > 1 && t->owner != worker_self())
			prelock_reaped_elsewhere(tid);
		if (!t->creator_seen) {
			/* a child whose creator's event may still come (or a
			 * thread pdig found in place: harmless) */
			tr->reaped_early[tr->reaped_early_next++ % REAPED_EARLY] = tid;
		}
		bool want = core_wanted(tr);
		core_flush_held_exit(tr, tid);
		/* (its exit stop ends a wait for the signal; this is in case
		 * it never came) */
		sig_flush_exit(tr, t, want);
		if (t->procexit_sent)
			; /* at its exit stop */
		else if (want)
			emit_procexit(tr, tid, status);
		else
			skipped(tr, 1);
		threads_remove(&tr->threads, tid);
		uint64_t t0 = lp_now();
		procfs_on_death(tr->procfs, tid);
		lp_add(LP_PROCFS, t0);
	}
	if (tid == tracer_process.main_pid) {
		/* read without the lock by the loops and the signal handler */
		__atomic_store_n(&tracer_process.main_status, status, __ATOMIC_RELAXED);
		/* pdig's own child, which another worker may be waiting for in
		 * vain now that this one reaped it (workers.c) */
		workers_poke();
	}
}

bool core_death_room(struct tracer *tr)
{
	if (tr->ndeaths < tr->deaths_cap)
		return true;
	size_t cap = tr->deaths_cap ? tr->deaths_cap * 2 : 16;
	struct death *q = realloc(tr->deaths, cap * sizeof *q);
	if (!q)
		return false;
	tr->deaths = q;
	tr->deaths_cap = cap;
	return true;
}

void core_death_later(struct tracer *tr, pid_t tid, int status)
{
	/* the caller made room (core_death_room) before it reaped */
	if (tr->ndeaths < tr->deaths_cap)
		tr->deaths[tr->ndeaths++] = (struct death){ tid, status };
}

bool core_death_pending(const struct tracer *tr, pid_t tid)
{
	for (size_t i = 0; i < tr->ndeaths; i++)
		if (tr->deaths[i].tid == tid)
			return true;
	return false;
}

/* The deaths a nested wait queued, in the order they were reaped. */
static void handle_queued_deaths(struct tracer *tr)
{
	/* core_on_death never waits, so nothing is queued meanwhile */
	for (size_t i = 0; i < tr->ndeaths; i++)
		core_on_death(tr, tr->deaths[i].tid, tr->deaths[i].status);
	tr->ndeaths = 0;
}

void core_loop(struct tracer *tr)
{
	/* As PID 1, pdig ends with the program, like tini: the kernel then
	 * ends the rest of the namespace. So it does once told to end
	 * (ending.c). Otherwise it waits for every tracee, like strace -f.
	 * Orphans reparented to pdig are reaped here either way, since
	 * waitpid(-1) also returns untraced children. With several workers
	 * (workers.c) each runs this loop on its own tracees. */
	while (!tracer_process.detach_requested &&
	       !((tracer_process.init_process || tracer_process.end_signal) &&
	         __atomic_load_n(&tracer_process.main_status, __ATOMIC_RELAXED) >= 0) &&
	       !workers_done()) {
		if (workers_inbox(tr))
			continue;
		int status;
		pid_t tid = tracer_wait(tr, &status);
		placement_tick(core_placement(tr), workers_own_threads(tr), tr->verbose);
		if (tid < 0) {
			if (errno == EINTR || (errno == ECHILD && workers_idle(tr)))
				continue;
			break; /* ECHILD: every tracee is gone */
		}
		/* several workers: the report was only looked at (tracer_wait);
		 * a stop is taken, and its syscall info read, before the lock,
		 * a death only under it (prelock.c) */
		bool took = false;
		uint64_t mark = 0;
		if (workers_count() > 1) {
			mark = prelock_reaps_mark();
			/* a worker alone with tracees took the report already
			 * (waiting.c): a stop's info can still be read here */
			if (core_waiting(tr)->looked)
				took = prelock_take_stop(tid, &status, core_wait_flags());
			else
				took = WIFSTOPPED(status);
			if (took)
				prelock_info(tid, status, tr->elide.on);
		}
		core_lock();
		uint64_t t0 = lp_now();
		if (core_waiting(tr)->looked && !took && waitpid(tid, &status, core_wait_flags() | WNOHANG) <= 0) {
			core_unlock();
			continue; /* taken meanwhile by pdig's other wait (the real parent's) */
		}
		if (took && prelock_stale(mark, tid, core_wait_flags())) {
			core_unlock();
			continue; /* its thread's death was handled meanwhile */
		}
		lp_add(LP_TAKE, t0);
		/* the stop of a tracee another worker traces: its job */
		if (WIFSTOPPED(status) && workers_forward(tr, tid, status)) {
			core_unlock();
			prelock_forget();
			workers_after_stop(tr);
			continue;
		}
		workers_served();
		if (WIFSTOPPED(status))
			core_on_stop(tr, tid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			core_on_death(tr, tid, status);
		if (tr->ndeaths)
			handle_queued_deaths(tr);
		core_unlock();
		prelock_forget();
		core_resume_flush();
		workers_after_stop(tr);
	}
	/* the others see the end too */
	workers_leave();
	if (workers_count() == 1)
		core_report(tr);
}

void core_report(struct tracer *tr)
{
	waiting_report(&tr->waiting, tr->verbose);
	budget_report(tr->verbose);
	seize_report(tr->verbose);
	if (tr->verbose)
		fprintf(stderr, "pdig: stops: %llu (seccomp %llu, syscall entry/exit %llu, other %llu), exits elided %llu\n",
		        (unsigned long long)(tr->stops.seccomp + tr->stops.syscall + tr->stops.other),
		        (unsigned long long)tr->stops.seccomp, (unsigned long long)tr->stops.syscall,
		        (unsigned long long)tr->stops.other, (unsigned long long)tr->stops.exits_elided);
	if (tr->unrecorded_compat)
		fprintf(stderr, "pdig: %llu traced syscalls made through the 32-bit ABI (socketcall, 16-bit "
		                "set*id) have no x86-64 event and were not recorded\n",
		        (unsigned long long)tr->unrecorded_compat);
	if (tr->encode_failures)
		fprintf(stderr, "pdig: %llu events could not be encoded and were dropped\n",
		        (unsigned long long)tr->encode_failures);
}

int core_exit_code(int status)
{
	if (status < 0)
		return 1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
