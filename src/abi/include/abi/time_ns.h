/* Clock readings as nanoseconds, the unit of every pdig timestamp (event
 * headers, the udig ring, staleness checks). In the bottom layer so that
 * every layer takes its time the same way. */
#ifndef PDIG_TIME_NS_H
#define PDIG_TIME_NS_H

#include <stdint.h>
#include <time.h>

static inline uint64_t timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

/* clock c now, in ns */
static inline uint64_t clock_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return timespec_ns(&ts);
}

#endif
