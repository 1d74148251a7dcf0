/* What a tracer thread does for a stop before it takes the core lock
 * (prelock.c, docs/scale.md "Where the held time goes"). Only used with
 * several tracer threads; with one, the loop is as it was. */
#ifndef PDIG_PRELOCK_H
#define PDIG_PRELOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "abi/kernel_abi.h"

/* Take tid's report if it is a stop (never a death: deaths are taken under
 * the lock); true and *status as waitpid gives it, or false. */
bool prelock_take_stop(pid_t tid, int *status, int wait_flags);
/* A stop just taken: what its handler will ask of the tracee alone, asked
 * now (a syscall's info and path; with elide on, an exec's or fork's
 * io_uring scan). */
void prelock_info(pid_t tid, int status, bool elide);
/* After prelock_info(tid, status): false if tid is in a syscall stop of
 * another kind than status reports (a report of a task that no longer has
 * that tid: workers.c, take_report); true when it cannot tell. */
bool prelock_stop_is(pid_t tid, int status);
/* The stop is handled (or was not ours): what was read is not kept. */
void prelock_forget(void);
/* PTRACE_GET_SYSCALL_INFO for tid's current stop: the answer read before
 * the lock if there is one, else asked now; info->op is 0 (none) when
 * nothing could be read. */
long prelock_syscall_info(pid_t tid, struct pdig_syscall_info *info);

/* A read of tid's memory served from the path read before the lock:
 * bytes copied, or -1 when it is not (wholly) there. */
ssize_t prelock_read(pid_t tid, uint64_t addr, void *dst, size_t len);

/* Whether process pid holds an io_uring, if scanned before the lock: true
 * and *has, or false (not scanned). */
bool prelock_io_uring(pid_t pid, bool *has);

/* Deaths reaped by a tracer thread that does not trace them (worker 0, the
 * real parent of pdig's child: docs/scale.md). A stop taken before the lock
 * is stale once its thread's death was handled so: */
uint64_t prelock_reaps_mark(void);        /* before the take */
void prelock_reaped_elsewhere(pid_t tid); /* under the lock */
/* Under the lock: true if the stop of tid taken after `mark` is a dead
 * thread's, to be dropped. */
bool prelock_stale(uint64_t mark, pid_t tid, int wait_flags);

#endif
