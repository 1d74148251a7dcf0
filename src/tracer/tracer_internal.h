/* State and helpers shared by the tracer's parts (core loop, spawn,
 * attach, seccomp injection). Nothing outside src/tracer uses this.
 *
 * Everything one tracer keeps is in struct tracer, passed down: a second
 * tracer thread gets one of its own. Only struct tracer_process is the
 * process's, because the signal handlers need it. */
#ifndef PDIG_TRACER_INTERNAL_H
#define PDIG_TRACER_INTERNAL_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "events/encoder.h"
#include "tracer/seccomp.h"
#include "elide.h"
#include "threads.h"
#include "tracer/tracer.h"

struct procfs;

/* The process's, not one tracer's: the program (pdig forwards signals to
 * it and exits with its status) and what the signal handlers set. */
struct tracer_process {
	pid_t main_pid;          /* whose exit status pdig returns */
	int main_status;         /* raw wait status, -1 until known */
	bool init_process;       /* pdig is PID 1 of its namespace (container entrypoint) */
	volatile sig_atomic_t filter_injected; /* a process now has the filter */
	volatile sig_atomic_t detach_requested;
	volatile sig_atomic_t stop_signals; /* SIGINT/TERM/HUP received */
	volatile sig_atomic_t end_signal;   /* spawn mode: the TERM/INT/HUP ending pdig (ending.c) */
	bool split;              /* -S: this is the tracer child of a front process (keeper.c) */
	pid_t front_pid;         /* ... that front, which the guard protects too */
	bool keep;               /* the tracer becomes the keeper once pdig's work is done */
};

extern struct tracer_process tracer_process;

/* Tracee memory (memory.c). */
enum mem_phase { MEM_PLAIN, MEM_ENTRY, MEM_EXIT };

/* Strings read at a syscall's entry, per thread, for its exit event. A few
 * slots suffice: a slot is only needed between one thread's entry and exit;
 * an evicted one just means the exit reads the string again. */
#define STR_SLOTS 8
#define STR_PER_CALL 2
#define STR_MAX 4096

struct kept_str {
	uint64_t addr;
	size_t len;
	char s[STR_MAX];
};

struct kept_strings {
	struct {
		pid_t tid;
		unsigned n;
		struct kept_str str[STR_PER_CALL];
	} slot[STR_SLOTS];
	unsigned next_victim;
};

struct mem_ctx {
	pid_t tid;
	int peek_only;
	enum mem_phase phase; /* entry: keep strings; exit: recall them */
	struct kept_strings *kept; /* where; NULL: neither */
	/* 8 bytes at pin_addr already read (clone3 flags), or pin NULL */
	const uint64_t *pin;
	uint64_t pin_addr;
};

/* A reader of one thread's memory for one use (a syscall's event, a
 * clone3's flags), built on the stack where it is used. */
struct mem_reader {
	struct mem_ctx ctx;
	struct tracee_mem mem;
};

/* Write len bytes (a multiple of 8) into tid's memory: 0, or -1. */
int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len);
/* Points r at tid's memory; returns &r->mem. */
const struct tracee_mem *mem_reader_init(struct mem_reader *r, struct kept_strings *kept, pid_t tid,
                                         enum mem_phase phase);
/* Forget the strings kept for tid's current syscall. */
void mem_release(struct kept_strings *k, pid_t tid);
/* Hand them to another tid (exec from a non-leader thread). */
void mem_rename(struct kept_strings *k, pid_t from, pid_t to);

/* CPU placement (placement.c): its fields are placement.c's own. */
struct placement {
	bool enabled, sampling;
	cpu_set_t allowed;
	int current_cpu;
	bool apart;         /* the last sampled tracee ran on a CPU pdig may not use */
	bool calm_solo;     /* one thread served, and only one for a while */
	uint64_t crowded_at;
	struct {
		bool usable, idle;
		int schedstat_fd;
		unsigned stops;
		uint64_t window_start, window_delay, retry_at, backoff;
	} assist;
};

/* Polling for stops (waiting.c): its fields are waiting.c's own. */
struct waiting {
	bool usable, on;
	unsigned polls, hits;
	long preempted_before; /* involuntary switches at the window's start */
	uint64_t retry_at, backoff;
	uint64_t total_polls, total_hits, pauses, total_preempted;
	/* the last report was only looked at (several workers): core_loop
	 * takes it under the core lock */
	bool looked;
};

/* Deaths reaped by a nested wait (inject.c), handled by the main loop. */
struct death {
	pid_t tid;
	int status;
};

/* Children reaped before their creator's clone event was handled (wait
 * reports come in any order): that event must not bring them back. */
#define REAPED_EARLY 16

#define EVENT_BUF_SIZE (512 * 1024)

/* One tracer: its settings, its tracees and everything it keeps. */
struct tracer {
	struct syscall_set set;
	int verbose;
	struct tracer_output out; /* where events go (main: the sinks) */
	bool attach_mode;        /* tracees are not ours: never kill them */
	bool inject_seccomp;     /* -S: put the filter into attached processes */
	struct thread_table threads;
	struct procfs *procfs;   /* its /proc reader and caches */
	struct tracee_state st;  /* the encoders' view of procfs */
	struct kept_strings kept;
	struct placement placement;
	struct waiting waiting;
	pid_t reaped_early[REAPED_EARLY];
	unsigned reaped_early_next;
	struct death *deaths;    /* queued by core_death_later */
	size_t ndeaths, deaths_cap;
	uint64_t encode_failures;
	/* the schemas the output wanted when last asked (core_wanted) */
	uint32_t schemas;
	uint64_t unrecorded_compat;  /* 32-bit-ABI calls with no x86-64 event */
	/* stops taken, for -v: what a traced program pays is one ptrace round
	 * trip per stop, so this is the figure to make smaller */
	struct {
		uint64_t seccomp, syscall, other, exits_elided;
	} stops;
	struct elide elide;      /* exits known at the entry (elide.c) */
	uint8_t event_buf[EVENT_BUF_SIZE]; /* the event being built */
};

/* Several tracer threads (workers.c, docs/scale.md). Worker 0 is the
 * thread that calls core_loop first; with one worker nothing changes. */
#define WORKERS_MAX 64
/* n tracer threads for this tracer (1 = the old single loop). */
void workers_setup(struct tracer *tr, unsigned n, bool follow_cpu);
unsigned workers_count(void);
/* The thread table's count, read under the core lock when it is shared. */
size_t workers_threads_count(struct tracer *tr);
/* The threads the calling worker traces (all of them with one worker). */
size_t workers_own_threads(struct tracer *tr);
/* Does no other worker trace anything (so none can see a new thread)? */
bool workers_alone(struct tracer *tr);
/* The calling tracer thread's index (0: the main one). */
unsigned worker_self(void);
/* Worker i's kernel tid (0: not running), and the signal that wakes a
 * worker (guard_mask.c signals them all). */
pid_t workers_ktid(unsigned i);
/* The signals (bit sig-1) a worker other than 0 leaves open all its life;
 * every other one it blocks for good (workers.c fixed_mask) */
uint64_t workers_left_open(void);
int workers_wake_signal(void);
/* tgkill of a pdig thread that a full pending-signal queue cannot refuse
 * (false with errno ESRCH: that thread has ended). */
bool workers_signal(pid_t ktid, int sig);
/* The calling tracer thread's placement and polling state. */
struct placement *core_placement(struct tracer *tr);
struct waiting *core_waiting(struct tracer *tr);
/* waitpid flags for the loop: __WNOTHREAD once several threads trace,
 * so each reaps only its own tracees' reports. */
int core_wait_flags(void);
/* The lock over everything shared (struct tracer but the per-worker parts),
 * held while one report is handled. */
void core_lock(void);
void core_unlock(void);
/* Inside core_loop: the last resume of a stop is made once the lock is let
 * go (core_resume_flush), so other workers need not wait for it. */
void core_resume_flush(void);
/* true if the resume was left for core_resume_flush */
bool core_resume_deferred(pid_t tid, int request, int sig);
/* The loop's hooks: take the tracees handed to this worker (true if any
 * was taken); on ECHILD, wait for work (true) or for the end (false). */
bool workers_inbox(struct tracer *tr);
bool workers_idle(struct tracer *tr);
/* A stop reported to this worker of a tracee another worker traces
 * (the program pdig forked is pdig's child: after an exec from one of its
 * threads, any pdig thread's wait may report it): posted to that worker;
 * true if so. The lock is held. */
bool workers_forward(struct tracer *tr, pid_t tid, int status);
/* After a report was handled and the lock let go: wait until the worker a
 * tracee was handed to has taken it. */
void workers_after_stop(struct tracer *tr);
/* Wake every other worker out of its wait, to look again: the kernel
 * wakes a waiting thread for its own tracees and children only, so one
 * may wait on for a child another worker reaped. */
void workers_poke(void);
/* Every worker is to leave its loop (the end, or a detach). */
bool workers_done(void);
void workers_leave(void);
/* Count a report served by the calling worker. */
void workers_served(void);
/* At a new thread's first stop (plain PTRACE_EVENT_STOP, the lock held):
 * hand it to a less busy worker (docs/scale.md: parking). True if it was
 * (it is no longer ours: do not resume it). */
bool handover_try(struct tracer *tr, struct thread *t);
/* park.c, at a parked thread's vfork stop: detach it and post it to worker
 * `to` (false: it could not be detached, i.e. it died). */
struct user_regs_struct;
bool workers_give(struct tracer *tr, struct thread *t, unsigned to, const struct user_regs_struct *regs,
                  uint64_t sigmask, uint64_t t0);
/* A pidfd naming thread tid itself (-1 before Linux 6.9 for a non-leader). */
int workers_thread_pidfd(pid_t tid);
/* Count a handover taken in, begun at t0. */
void workers_took(uint64_t t0);
/* The park (park.c, docs/scale.md): at t's first stop, make it clone the
 * helper it will wait for, on its way to worker `to` (true: parked, not to
 * be resumed by the caller). */
bool park_start(struct tracer *tr, struct thread *t, unsigned to);
/* At the top of core_on_stop / core_on_death: the park's own stops (the
 * parked thread's clone, its helper's) are handled there (true). */
bool park_on_stop(struct tracer *tr, pid_t tid, int status);
bool park_on_death(struct tracer *tr, pid_t tid, int status);
/* The taker has the parked thread tid: its helper may exit. */
void park_release(pid_t tid);
/* The taker seized tid: at its first stop, these registers, mask and
 * options are put back (false: out of memory). */
bool park_taking(pid_t tid, unsigned long opts, const struct user_regs_struct *regs, uint64_t sigmask, uint64_t t0);
void park_report(void);
/* A worker thread's park state freed as it ends. */
void park_thread_end(void);
/* Count the threads this worker (me) is parking as their takers'. */
void park_load(unsigned *count, unsigned me);
/* Spawn mode: runs core_loop on n workers, then ends the trace
 * (ending_finish) on each, and reports. */
void workers_run(struct tracer *tr);
/* The totals of -v (core_loop prints them with one worker). */
void core_report(struct tracer *tr);

/* ptrace options: the same for spawned and attached tracees, except that
 * attached ones must never be killed when pdig exits. */
unsigned long tracer_options(const struct tracer *tr);

/* A tracer for these options, or NULL (out of memory, said on stderr). */
struct tracer *core_new(const struct tracer_opts *o, bool attach_mode);
void core_free(struct tracer *tr);
/* Handle one waitpid report. */
void core_on_stop(struct tracer *tr, pid_t tid, int status);
void core_on_death(struct tracer *tr, pid_t tid, int status);
void core_flush_held_exit(struct tracer *tr, pid_t tid);
/* A death reaped where it cannot be handled (a nested wait): the main
 * loop handles it after the current stop. Make room first: a wait that
 * may reap is not started without it (false: out of memory). */
bool core_death_room(struct tracer *tr);
void core_death_later(struct tracer *tr, pid_t tid, int status);
/* Is tid's death queued for the main loop? */
bool core_death_pending(const struct tracer *tr, pid_t tid);
/* The wait loop; returns when no tracee is left or a detach is requested. */
void core_loop(struct tracer *tr);
/* Emit the child side of a fork for a process that pdig did not see being
 * created (the spawned program, attached processes). */
void core_describe_new_process(struct tracer *tr, struct thread *t);
/* The child side of a clone exit for t, with these clone flags, as if it
 * were being made now (intro.c). */
void core_describe_thread(struct tracer *tr, struct thread *t, uint64_t clone_flags);
/* Describe every traced process and thread, parents first, in the schemas
 * of tr->schemas (intro.c). */
void core_introduce(struct tracer *tr);
/* Exit code from a raw wait status. */
int core_exit_code(int status);

/* For the stop handlers outside tracer.c (signals.c). */
uint64_t core_now_ns(void);
/* Asks the output which schemas it wants events in now and keeps the
 * answer for the builders below; true when it wants any. */
bool core_wanted(struct tracer *tr);
/* Each schema the output wanted when last asked, in turn:
 * for (s = core_schema_next(tr, NULL); s; s = core_schema_next(tr, s)) */
const struct pdig_schema *core_schema_next(const struct tracer *tr, const struct pdig_schema *prev);
/* An event of len bytes in schema s built in tr->event_buf (0: it could
 * not be built). */
void core_emit(struct tracer *tr, const struct pdig_schema *s, size_t len);
/* t's syscall (t->nr, t->args) begins: its enter event. */
void core_emit_enter(struct tracer *tr, struct thread *t);
/* t's syscall ends with ret: its exit event, or (no sink wants it) a skip.
 * Either way the strings kept for it are let go. */
void core_emit_exit(struct tracer *tr, struct thread *t, int64_t ret);
void core_skip_exit(struct tracer *tr, struct thread *t);
/* ptrace(request, tid, 0, sig); a thread that died meanwhile is reported by wait. */
void core_resume(pid_t tid, int request, int sig);

/* Signals as the driver reports them (signals.c). */
/* ret is a restart errno: the exit waits for the signal behind it. */
bool sig_defers_exit(int64_t ret);
/* Emit a waiting exit now (the driver saw it). */
void sig_flush_exit(struct tracer *tr, struct thread *t, bool want);
/* At an entry stop (native nr) of a thread with a waiting exit or in a
 * restart: true if it is the restart after a signal the kernel discards,
 * to be let through unreported; else the waiting exit is emitted. */
bool sig_absorb_restart(struct tracer *tr, struct thread *t, uint64_t nr, bool want);
/* A signal-delivery stop: report it as the driver would, resume with it. */
void sig_on_delivery_stop(struct tracer *tr, struct thread *t, int sig, bool want);
/* PTRACE_EVENT_EXIT: end the syscall it was in, report the SIGKILL of a
 * group exit (the caller then reports the procexit and resumes). */
void sig_on_exit_stop(struct tracer *tr, struct thread *t, bool want);

/* Spawn mode's signal handling (ending.c): forwards signals to the program
 * and, on SIGTERM/SIGINT/SIGHUP, makes the loop return once the program
 * has exited; ending_finish() then kills and reaps the tracees left. */
void ending_install(void);
/* Kills every tracee (announce: said on stderr) and reaps the calling
 * worker's own. */
void ending_finish(struct tracer *tr, bool announce);

/* keeper.c: the ending signals tracer_split() left blocked in the tracer,
 * unblocked once attach has its handlers. */
void tracer_unblock_ending(void);
/* keeper.c: fn handles SIGINT, SIGTERM and SIGHUP, without SA_RESTART. */
void tracer_on_ending(void (*fn)(int));

/* The x86-64 number of a syscall made through any x86 ABI, or COMPAT_NONE
 * if it has no x86-64 twin (then counted in *unrecorded when traced). */
#define COMPAT_NONE ((uint64_t)-1)
uint64_t compat_native_nr(uint32_t arch, uint64_t nr, uint64_t *unrecorded);

/* CLOCK_MONOTONIC in ns (placement.c) */
uint64_t tracer_mono_ns(void);

/* CPU placement: keep pdig on the CPU of the tracee it serves. */
void placement_init(struct placement *p, bool on);
void placement_close(struct placement *p);
void placement_follow(struct placement *p, struct procfs *pf, struct thread *t);
/* After every wait, with the number of threads traced: the idle assist's
 * starvation check. */
void placement_tick(struct placement *p, size_t threads, bool verbose);
/* pdig runs as SCHED_IDLE on the tracee's CPU right now */
bool placement_assisting(const struct placement *p);
/* Polling for stops pays: the tracee last sampled runs on a CPU pdig was
 * not given, or pdig follows one thread without the idle assist. */
bool placement_poll_wanted(const struct placement *p);

/* Waiting for the next stop (waiting.c): polls briefly before blocking
 * while placement_poll_wanted() and polling catches stops;
 * waitpid(-1, status, __WALL) otherwise. */
void waiting_init(struct waiting *w, bool on);
pid_t tracer_wait(struct tracer *tr, int *status);
void waiting_report(const struct waiting *w, bool verbose); /* with -v */

/* Clear CLONE_UNTRACED from a clone/clone3 at its entry stop (args are
 * updated to what the kernel will see; sp is the thread's stack pointer). */
void keep_traced(struct thread *t, uint32_t arch, uint64_t nr, uint64_t *args, uint64_t sp);
/* At the exit stop of a clone3 that got no clone event
 * (t->untraced_asked): ret > 0 is a child that escaped; it and t's
 * process are killed. */
void clone_escaped(struct tracer *tr, struct thread *t, int64_t ret);
/* At t's exit stop: a clone3 still in flight may have made an untraced
 * child before t was killed; such a child and t's process are killed. */
void clone3_creator_exits(struct tracer *tr, struct thread *t);

/* Seccomp injection into an attached process, at a syscall-entry stop of
 * thread t. Returns 0 when the filter is in place for the whole process
 * (the thread re-issues its syscall), -1 if nothing changed, 1 if it failed
 * after the thread was moved (it re-issues its syscall, unfiltered). Deaths
 * reaped meanwhile are queued (core_death_later), t among them if it died;
 * the table is left as it was. */
int inject_seccomp(struct tracer *tr, struct thread *t);

/* The guard against tracees that attack pdig (guard.c). */
/* Syscalls that always stop, whatever is traced: they may target pdig. */
bool guard_always_stops(uint64_t nr);
/* Syscalls that stop only when args[*arg] has one of *mask's bits (the
 * seccomp filter tests it). */
bool guard_stops_for_flags(uint64_t nr, int *arg, uint32_t *mask);
/* Syscalls that stop only when the low word of args[*arg] is in
 * [*first, *last] (fcntl and ioctl commands that set a signal owner). */
bool guard_stops_for_cmd(uint64_t nr, int *arg, uint32_t *first, uint32_t *last);
/* The errno that refuses syscall nr of t at its entry, or 0 to let it run. */
int guard_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args);
/* Skip t's syscall at its entry stop; it returns -err. 0, or -1. */
int guard_refuse(pid_t tid, int err);
/* guard_files.c: opens and truncates that could change pdig's files */
bool guard_file_call(uint64_t nr);
int guard_file_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args);
/* At the exit of t's open (rval): one that got pdig's file anyway (it won
 * a race against the entry check) is killed. */
void guard_file_opened(struct tracer *tr, const struct thread *t, int64_t rval);
/* In the spawned child before it is seized: its memory must stay readable. */
void guard_child_dumpable(void);
/* Is capability cap (its number) in pdig's effective set? (spawn.c) */
bool tracer_has_cap(int cap);
/* Does the guard wait for tid's syscall exit (guard_group.c, guard_seccomp.c)? */
bool guard_follows(pid_t tid);
/* tid's call is over: its exit stop (alive), its exit event or death. */
void guard_call_over(pid_t tid, bool alive);
/* guard_seccomp.c: a tracee's own seccomp filter. */
/* seccomp(2) setting a mode, prctl(PR_SET_SECCOMP): always stopped and reported */
bool guard_seccomp_call(uint64_t nr, const uint64_t *args);
/* At the install's entry: the errno refusing it, or 0 (the filter may have
 * been rewritten, to be put back at the exit). */
int guard_seccomp_check(struct tracer *tr, const struct thread *t, uint64_t nr, const uint64_t *args);
bool guard_seccomp_follows(pid_t tid);
void guard_seccomp_done(pid_t tid, bool alive);
/* At a seccomp stop with ret data: a call the program's own filter denies
 * (ERRNO) is failed as the kernel would and its exit reported; true if so
 * (t was resumed). */
bool guard_seccomp_denied(struct tracer *tr, struct thread *t, uint32_t data, uint64_t nr, const uint64_t *args,
                          bool want);
/* The keeper's part of it (no events): true if tid's call was failed. */
bool guard_seccomp_keep(pid_t tid);
/* At a SIGSYS delivery stop, events wanted: a call the program's filter
 * trapped gets its exit event. */
void guard_seccomp_trapped(struct tracer *tr, struct thread *t);
/* guard_group.c: a group signal of tid's process (pid) runs; pdig blocks
 * sig until the call is over (false: it cannot, the call is refused where
 * it reaches pdig). */
bool guard_group_begin(pid_t tid, pid_t pid, int sig);
/* Is capability cap (its number) in pdig's effective set? (spawn.c) */
bool tracer_has_cap(int cap);
/* Does the guard wait for tid's syscall exit (a group signal in flight)? */
bool guard_group_follows(pid_t tid);
/* tid's call is over (its exit stop, exit event or death): pdig drops the
 * copy its process sent pdig, and lets the signal in again. */
void guard_group_end(pid_t tid);
/* Sent by the kernel (a terminal's signal), also once queued again by
 * the guard from another worker than 0 (handler-safe) */
bool guard_group_from_kernel(const siginfo_t *si);
/* -v: the outside signals the guard took back and queued again */
void guard_group_report(void);
/* guard_mask.c: block `want` (bit sig-1) in every pdig thread and nothing
 * else the guard blocked; with wait, true once every worker has (false:
 * one did not in time, or libc keeps a signal of it). The core lock is
 * held. setup installs the handler other workers apply it in. */
bool guard_mask_set(uint64_t want, bool wait);
void guard_mask_setup(void);
/* adds the request signals to a pdig handler's sa_mask (never nested) */
void guard_mask_keep_out(sigset_t *mask);
int guard_mask_signal(void);
/* the standard signal a request goes as when the real-time one is refused
 * (workers_signal); its handler also wakes a worker */
int guard_mask_fallback_signal(void);
/* -v: the signals sent between workers (sent, of which fallen_back went
 * as the fallback), how many group signals waited for the other workers
 * and the longest wait */
void guard_mask_report(uint64_t sent, uint64_t fallen_back);

#endif
