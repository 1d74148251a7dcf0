/* Survives a mapping of a file that someone else truncates under us.
 *
 * The pdig ring and the udig ring are files anyone may write (0666): a
 * stranger's `truncate` makes every later access to the vanished pages a
 * SIGBUS, which would kill pdig and, with it, the programs it traces
 * (PTRACE_O_EXITKILL). Every access to such a mapping runs inside
 * FAULT_GUARD: a SIGBUS there jumps back to the guard, which runs its
 * fault branch; the caller then lets go of the mapping for good.
 *
 * Only for single-threaded callers (pdig's tracer is): one jump buffer.
 * Guards do not nest. The fast path is a flag store and a sigsetjmp that
 * saves no signal mask (no syscall): the handler runs with SA_NODEFER, so
 * jumping out of it leaves SIGBUS unblocked, and it puts back the mask of
 * the code it interrupted before it jumps, so the signals it held off
 * (fault_guard_keep_out) are let in again. */
#ifndef PDIG_FAULT_GUARD_H
#define PDIG_FAULT_GUARD_H

#include <setjmp.h>
#include <signal.h>

extern sigjmp_buf fault_guard_jmp;
extern volatile sig_atomic_t fault_guard_armed;

/* Installs the SIGBUS handler (once; later calls do nothing). A SIGBUS
 * outside a guard is not ours: it kills as it would have. */
void fault_guard_install(void);

/* Signals the handler holds off while it runs (added to its sa_mask), for
 * the layer above to name: pdig's tracer threads ask each other to edit
 * their masks with a signal whose handler must never run nested in
 * another handler (docs/scale.md). Before the install, or it re-installs. */
void fault_guard_keep_out(const sigset_t *set);

/* FAULT_GUARD { accesses } ON_FAULT { what to do instead } FAULT_GUARD_END;
 * The guarded block must not return or jump out; end it normally. */
#define FAULT_GUARD                                                                                \
	fault_guard_armed = 1;                                                                     \
	if (sigsetjmp(fault_guard_jmp, 0) == 0)
#define ON_FAULT else
#define FAULT_GUARD_END (fault_guard_armed = 0)

#endif
