/* Exit elision: the exit stops pdig can skip because it knows, at the
 * entry, exactly what the exit will say (elide.c). */
#ifndef PDIG_TRACER_ELIDE_H
#define PDIG_TRACER_ELIDE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define ELIDE_FDS 1024   /* fds tracked per process: the common range */
#define ELIDE_PROCS 64   /* processes tracked; an evicted one is unknown */

/* What pdig knows of one process's fd table: the fds that are open on a
 * file whose close cannot fail. Everything not set is unknown. */
struct elide_proc {
	pid_t pid;          /* 0 = free slot */
	/* since its last exec (which makes the table private and the process
	 * single-threaded) nothing but its one thread could change its table */
	bool known;
	uint64_t clean[ELIDE_FDS / 64];
};

struct elide {
	bool on;
	unsigned next;      /* round-robin eviction */
	struct elide_proc procs[ELIDE_PROCS];
};

struct tracer;
struct thread;

struct syscall_set;
/* Whether set has every call whose entry elision must see. */
bool elide_possible(const struct syscall_set *set);
/* A call not in set that must still stop for elision to stay exact (the
 * seccomp filter stops it, with no events): io_uring_enter and
 * io_uring_register, by which a ring pdig did not see made closes fds. */
bool elide_watched(const struct syscall_set *set, uint64_t nr);

/* Decides once whether elision can be exact for this tracer (every call
 * that changes an fd table stops; not attach mode; PDIG_NO_ELIDE unset). */
void elide_init(struct tracer *tr);
/* Every stopped entry of thread tid of process pid, events wanted or not
 * (nr COMPAT_NONE: a 32-bit call with no x86-64 twin): forgets what the
 * call may change, an fd it may close is unknown from then on. Returns
 * true when the call's exit is known exactly, its result in *ret: it may
 * be reported now and its exit stop skipped. */
bool elide_on_entry(struct tracer *tr, pid_t pid, pid_t tid, const struct thread *t, uint64_t nr,
                    const uint64_t *args, int64_t *ret);
struct tracee_mem;
/* A traced exit seen (args at the entry, mem reads the tracee): learn the
 * fd it opened; an fd received from elsewhere (SCM_RIGHTS, pidfd_getfd)
 * ends the trust in the table. */
void elide_on_exit(struct tracer *tr, pid_t pid, uint64_t nr, const uint64_t *args, int64_t ret,
                   const struct tracee_mem *mem);
/* Process child was made by a fork of process parent (a clone sharing
 * neither the fd table nor the thread group), before the child ran: its
 * table is a copy of the parent's, known if the parent's is. */
void elide_on_fork(struct tracer *tr, pid_t parent, pid_t child);
/* Process pid made a successful exec: its table is private from now. */
void elide_on_exec(struct tracer *tr, pid_t pid);
/* Thread tid died: a process's slot goes with its main thread. */
void elide_on_death(struct tracer *tr, pid_t tid);

#endif
