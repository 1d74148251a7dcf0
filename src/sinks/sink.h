/* A sink takes finished events. The tracer hands every event to the sink
 * set (sinks.c); each sink decides whether it records it. */
#ifndef PDIG_SINK_H
#define PDIG_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc_snapshot; /* src/events/encoder.h */

struct sink_stats {
	uint64_t written;   /* events recorded */
	uint64_t dropped;   /* events lost (ring full, I/O error) */
	uint64_t discarded; /* events not wanted (no consumer attached) */
};

struct sink {
	const char *name;
	/* Would an event written now be recorded? (cheap; checked per event) */
	bool (*wants)(struct sink *s);
	/* Max I/O payload bytes this sink wants (0 = no preference). */
	uint32_t (*snaplen)(struct sink *s);
	/* Record one complete event. */
	void (*write)(struct sink *s, const uint8_t *ev, size_t len);
	void (*flush)(struct sink *s);
	void (*close)(struct sink *s);
	/* Optional (NULL = not needed). A thread that exists before the first
	 * event and that no event will introduce (attach mode): sinks that
	 * cannot look at /proc themselves learn its name and ids here. */
	void (*describe_process)(struct sink *s, const struct proc_snapshot *p);
	struct sink_stats stats;
};

#define SINKS_MAX 4

/* The set of active sinks. */
void sinks_add(struct sink *s);
bool sinks_want(void);          /* does any sink want events now? */
uint32_t sinks_snaplen(void);   /* the largest snaplen wanted */
void sinks_emit(const uint8_t *ev, size_t len);
/* Hands p to every sink that describes processes; call before the first
 * event, once per thread. */
void sinks_describe_process(const struct proc_snapshot *p);
void sinks_flush(void);
void sinks_close(void);
/* Totals over all sinks. */
struct sink_stats sinks_totals(void);

/* Constructors. Each returns NULL and fills err on failure. */
struct sink *udig_sink_open(char *err, size_t errlen);
struct sink *text_sink_open(const char *path, bool json, char *err, size_t errlen);

#endif
