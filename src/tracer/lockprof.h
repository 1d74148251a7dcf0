/* Where the core lock's held time goes (docs/scale.md, "Where the held
 * time goes"). Built with -DPDIG_LOCK_PROFILE=ON, the handlers time their
 * phases with the monotonic clock and -v with several tracer threads
 * splits the held time per stop into them; in a normal build every call
 * here is empty and compiles away, so the product pays nothing. */
#ifndef PDIG_LOCKPROF_H
#define PDIG_LOCKPROF_H

#include <stdint.h>

enum lp_phase {
	LP_TAKE,    /* the report taken (waitpid) under the lock */
	LP_PTRACE,  /* PTRACE_GET_SYSCALL_INFO made under the lock */
	LP_PROCFS,  /* the tracer's procfs notes and lookups (entry, exit, clone, exec, death, ids, placement) */
	LP_ENCODE,  /* the encoders, with the memory and /proc reads they make */
	LP_MEM,     /* tracee memory reads, wherever made (mostly inside LP_ENCODE) */
	LP_SINK,    /* the output: emit, wanted, snaplen, skipped */
	LP_HANDOVER, /* a new thread parked and posted to another worker (handover_try) */
	LP_COUNT
};

#ifdef PDIG_LOCK_PROFILE
uint64_t lp_now(void);
/* add the time since `since` (an lp_now()) to phase p of the calling thread */
void lp_add(enum lp_phase p, uint64_t since);
/* -v: the phases per stop, against the held time measured by workers.c */
void lp_report(uint64_t held_ns, uint64_t stops);
#else
static inline uint64_t lp_now(void) { return 0; }
static inline void lp_add(enum lp_phase p, uint64_t since) { (void)p; (void)since; }
static inline void lp_report(uint64_t held_ns, uint64_t stops) { (void)held_ns; (void)stops; }
#endif

#endif
