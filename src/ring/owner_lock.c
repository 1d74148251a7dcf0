/* The owner lock (owner_lock.h): yield a little, then sleep 20 µs between
 * tries, probing the owner every 10 ms. */
#include <sched.h>
#include <time.h>

#include "ring/owner_lock.h"

#define MS 1000000ull
#define PROBE_NS (10 * MS)
#define GIVEUP_NS (250 * MS)
/* After a give-up, how long no call waits. */
#define NO_WAIT_NS (5000 * MS)

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool owner_lock_take(struct owner_lock *l)
{
	uint64_t start = 0, next_probe = 0;
	bool hurry = false;
	if (l->no_wait_until) {
		hurry = mono_ns() < l->no_wait_until;
		if (!hurry)
			l->no_wait_until = 0;
	}
	for (unsigned spin = 0;; spin++) {
		uint64_t owner = 0;
		if (__atomic_compare_exchange_n(l->word, &owner, l->self, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		if (owner == l->self)
			break;
		if (spin < 32 && !hurry) {
			sched_yield();
			continue;
		}
		uint64_t now = mono_ns();
		if (!start)
			start = next_probe = now;
		if (now >= next_probe) {
			next_probe = now + PROBE_NS;
			if (!l->alive(l->ctx, owner)) {
				if (__atomic_compare_exchange_n(l->word, &owner, l->self, false,
								__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
					break;
				continue;
			}
		}
		if (hurry)
			return false;
		if (now - start >= GIVEUP_NS) {
			l->no_wait_until = now + NO_WAIT_NS;
			return false;
		}
		struct timespec ts = {0, 20000};
		nanosleep(&ts, NULL);
	}
	return true;
}

void owner_lock_release(struct owner_lock *l)
{
	uint64_t me = l->self;
	__atomic_compare_exchange_n(l->word, &me, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
}
