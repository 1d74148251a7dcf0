/* A PTRACE_SEIZE that cannot hang pdig (seize.c, docs/scale.md "A seize
 * waits for an exec"). */
#ifndef PDIG_SEIZE_H
#define PDIG_SEIZE_H

#include <stdbool.h>
#include <sys/types.h>

struct tracer;

/* PTRACE_SEIZE tid with options, bounded in time. Called without the core
 * lock (a timed-out attempt takes it to reap the caller's own dead tracees
 * of tid's process). Returns 0, or -1 with errno:
 *   ESRCH      gone, or dying (a zombie: the kernel's EPERM for an exiting
 *              task is no permission error)
 *   EPERM      refused (permissions, or traced by another tracer)
 *   ETIMEDOUT  its process's exec held the seize off SEIZE_GIVE_UP_MS
 *   EINTR      pdig is ending or detaching
 *   others     as ptrace(2) says */
int seize_bounded(struct tracer *tr, pid_t tid, unsigned long options);

/* The calling tracer thread's timer, made before any tracee runs on it
 * (making one counts against RLIMIT_SIGPENDING, which a tracee of pdig's
 * uid can fill); seize_bounded makes it too if this was not called. */
void seize_thread_setup(void);

/* The timer's signal. Every other pdig handler holds it off
 * (guard_mask_keep_out): its handler jumps out of the interrupted code, and
 * jumping out of another handler would skip that handler and leave its
 * frame's saved mask unrestored (a wake signal blocked for good). */
int seize_signal(void);

/* Reap the calling tracer thread's dead tracees (under the core lock, as
 * its loop would): a thread that serves no stops yet (attach mode, until
 * the scan has settled) calls it while it waits, since an exec in a
 * process it traces waits for those zombies, holding off every seize of
 * that process meanwhile. */
void seize_reap_own_deaths(struct tracer *tr);

/* -v: seizes that waited for an exec, deaths reaped meanwhile, given up. */
void seize_report(bool verbose);

#endif
