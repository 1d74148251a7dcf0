/* A spinlock in shared memory whose word holds its owner's id (0 = free),
 * for producers that cannot trust each other to stay alive: a dead owner's
 * lock is stolen, and a live owner that holds it too long is given up on.
 * The udig sink (owner = PID) and the pdig ring (owner = slot + 1) use it;
 * each says how to tell whether an owner is alive. */
#ifndef PDIG_OWNER_LOCK_H
#define PDIG_OWNER_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct owner_lock {
	uint64_t *word;      /* in the shared mapping */
	uint64_t self;       /* our id, never 0 */
	/* Is owner alive? Called at most every 10 ms while we wait. */
	bool (*alive)(void *ctx, uint64_t owner);
	void *ctx;
	/* gave up on a live owner: until then (CLOCK_MONOTONIC ns) don't wait */
	uint64_t no_wait_until;
};

/* Takes the lock. Finding our own id there means a dead earlier holder of
 * it left it: taken. A live owner holding it for 250 ms makes this return
 * false, and for the next 5 s later calls try once without waiting, won
 * or not: a stuck peer (or one that lets go now and then to reset us)
 * does not slow every caller by 250 ms. */
bool owner_lock_take(struct owner_lock *l);
/* Releases it, unless someone stole it meanwhile (believing us dead). */
void owner_lock_release(struct owner_lock *l);

#endif
