/* The table of traced threads, keyed by tid. */
#ifndef PDIG_THREADS_H
#define PDIG_THREADS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum thread_state {
	TS_RUNNING = 0,     /* resumed, no syscall pending */
	TS_IN_SYSCALL,      /* entry seen, exit stop expected */
	TS_NEW_STOPPED,     /* new child stopped before its creator's event */
};

struct thread {
	pid_t tid;
	pid_t pid;              /* thread group id, 0 = not known yet */
	uint8_t state;
	bool attached;          /* seen at least one stop */
	bool child_pending;     /* creator's clone exit still to be emitted for it */
	bool silent;            /* in a syscall stopped at for procfs_watched only */
	bool clone3_flags_ok;   /* clone3: its flags, read once at the entry */
	bool creator_flags_read; /* creator_flags read, not guessed */
	bool creator_seen;      /* its creator's clone event has been handled */
	uint64_t clone3_flags;
	/* in a clone3 whose clone event has not come yet: its exit stop (and
	 * the thread's exit stop) is waited for, to catch a child that escaped
	 * tracing (untraced.c) */
	bool untraced_asked;
	uint64_t untraced_flags; /* the flags it asked for */
	uint64_t clone3_since;   /* when it began, in clock ticks since boot */
	bool seccomp;           /* its process has pdig's filter: resume with CONT */
	bool group_stopped;     /* parked in PTRACE_LISTEN */
	bool exit_stops;        /* PTRACE_O_TRACEEXIT is set on it */
	uint32_t stops;         /* ptrace stops seen (CPU placement samples busy threads) */
	uint8_t owner;          /* the tracer thread (workers.c) whose tracee it is */
	/* A syscall that returned a restart errno (signals.c): its exit waits
	 * until the signal that interrupted it shows whether the driver would
	 * see it at all. */
	bool exit_deferred;
	bool restart_hidden;    /* that signal was one the kernel discards: the restart is no new call */
	bool in_restart;        /* in the restarted call: its stops are not a new entry */
	/* --max-cpu (budget.c): its last traced call was shed (nr, args);
	 * a signal the kernel discards interrupted it, so it restarts */
	bool shed_last, shed_restart;
	uint64_t shed_nr;
	uint64_t shed_args[6];
	bool fatal_reported;    /* a signaldeliver for the signal that ends it is out */
	bool procexit_sent;     /* its procexit went out at its exit stop, not to repeat when reaped */
	/* A vfork parent: the kernel resumes it once the child has exec'd or
	 * exited, and so its clone exit (vfork_res) waits for that. */
	bool vfork_wait;
	int64_t vfork_res;
	int64_t deferred_ret;
	uint64_t nr;            /* syscall in progress */
	uint64_t args[6];
	uint64_t creator_nr;    /* for a new child: the clone-family syscall */
	uint64_t creator_args[6];
	pid_t creator_pid;      /* the creating thread's process */
	uint64_t creator_flags; /* its clone flags (CLONE_THREAD: same process) */
};

/* The table: one per tracer (open addressing, all zero = empty). */
struct thread_table {
	struct thread *slots;
	size_t cap, used;
	/* entries per owner (tracer thread), changed under the table's lock
	 * and read without it (atomic): a worker's own count, per stop */
	uint32_t owned[256];
};

/* Look up tid; NULL if not traced. */
struct thread *threads_find(struct thread_table *tt, pid_t tid);
/* Find or add tid. NULL only if memory runs out. Adding may move other
 * entries: pointers into the table last until the next add or remove. */
struct thread *threads_get(struct thread_table *tt, pid_t tid);
void threads_remove(struct thread_table *tt, pid_t tid);
/* Change a thread's tid (exec from a non-leader thread). */
struct thread *threads_rename(struct thread_table *tt, pid_t old_tid, pid_t new_tid);
size_t threads_count(const struct thread_table *tt);
/* Give t to another owner, and how many entries an owner has. */
void threads_set_owner(struct thread_table *tt, struct thread *t, uint8_t owner);
size_t threads_owned(const struct thread_table *tt, uint8_t owner);
/* Call fn for each thread (the table must not change meanwhile). */
void threads_each(struct thread_table *tt, void (*fn)(struct thread *t, void *arg), void *arg);
void threads_free(struct thread_table *tt);

#endif
