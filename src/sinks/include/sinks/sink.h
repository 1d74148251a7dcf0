/* A sink takes finished events. The tracer hands every event to the sink
 * set (sinks.c); each sink decides whether it records it.
 *
 * Besides events, a sink may need to know the processes and fds that exist
 * (a capture file starts with their lists). It learns them only through
 * this header: plain-data descriptions (struct proc_desc, struct fd_desc)
 * (schema/state_desc.h) that the tracer side produces, pushed for threads no event introduces
 * (describe_process) and pulled from a state source when the sink needs
 * the current state (a new capture file). It never reads the tracee or
 * /proc itself, so it could run on another thread, in another process or
 * inside a plugin, given a source that answers there. */
#ifndef PDIG_SINK_H
#define PDIG_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"
#include "schema/state_desc.h"

struct sink_stats {
	uint64_t written;   /* events recorded */
	uint64_t dropped;   /* events lost (ring full, I/O error) */
	uint64_t discarded; /* events not wanted (see discard_reason) */
};

struct sink {
	const char *name;
	/* Why this sink discards events ("no consumer"); NULL = it never does. */
	const char *discard_reason;
	/* Would an event written now be recorded? Cheap and free of side
	 * effects, so it may be asked any number of times per event. */
	bool (*wants)(struct sink *s);
	/* Optional (NULL = 1.0.0): the schema this sink takes events in now.
	 * It may change (a consumer that attaches names its own); write()
	 * gets only events of the schema it names. */
	enum pdig_schema_id (*schema)(struct sink *s);
	/* Max I/O payload bytes this sink wants (0 = no preference). */
	uint32_t (*snaplen)(struct sink *s);
	/* Record one complete event (or count it as discarded or dropped). */
	void (*write)(struct sink *s, const uint8_t *ev, size_t len);
	void (*flush)(struct sink *s);
	void (*close)(struct sink *s);
	/* Optional (NULL = not needed). The sink keeps a copy of src and asks
	 * it when it needs the current state. */
	void (*use_source)(struct sink *s, const struct state_source *src);
	/* Optional: true once after the sink began feeding a consumer that
	 * scans no /proc of its own (the Falco plugin's host), so the tracer
	 * describes the processes it already traces. */
	bool (*take_intro)(struct sink *s);
	/* Optional. A thread that exists before the first event and that no
	 * event will introduce (attach mode). */
	void (*describe_process)(struct sink *s, const struct proc_desc *p);
	/* Optional. n events were shed to keep pdig within --max-cpu: told
	 * to the consumer where it reads the driver's drops. */
	void (*shed)(struct sink *s, uint64_t n);
	struct sink_stats stats;
};

#define SINKS_MAX 4

/* The set of active sinks. */
void sinks_add(struct sink *s);
/* Hands src to every sink that takes a state source, now and when added
 * later. src must outlive the sinks. */
void sinks_set_source(const struct state_source *src);
/* The schemas some sink wants events in now, as SCHEMA_BIT()s; 0 = no
 * sink wants any event. */
uint32_t sinks_wanted(void);
/* The schema a sink takes its events in. */
enum pdig_schema_id sink_schema(struct sink *s);
uint32_t sinks_snaplen(void);   /* the largest snaplen wanted */
/* An event in schema `schema`, to every sink of that schema. */
void sinks_emit(enum pdig_schema_id schema, const uint8_t *ev, size_t len);
/* n events were not made because sinks_wanted() said none: every sink that
 * discards counts them. */
void sinks_skipped(uint64_t n);
/* n events of schema `schema` were shed (--max-cpu): every sink of that
 * schema that wants events now and counts drops for its consumer counts
 * them. */
void sinks_shed(enum pdig_schema_id schema, uint64_t n);
/* The schemas of sinks whose take_intro() says a new consumer needs the
 * traced processes described (SCHEMA_BIT()s). */
uint32_t sinks_intro(void);
/* Describes thread tid (from the state source) to every sink that takes
 * descriptions; call before the first event, once per thread. */
void sinks_describe_process(int64_t tid);
void sinks_flush(void);
void sinks_close(void);
/* Per-sink counters, for the report: calls fn for each sink. */
void sinks_each_stats(void (*fn)(void *arg, const struct sink *s), void *arg);
/* Totals over all sinks. */
struct sink_stats sinks_totals(void);

/* Constructors. Each returns NULL and fills err on failure. */
struct sink *udig_sink_open(char *err, size_t errlen);
struct sink *text_sink_open(const char *path, bool json, char *err, size_t errlen);
/* The pdig ring in dir (NULL = /dev/shm), fed whenever a consumer (the
 * pdig Falco plugin) has made one there. on_attach(path) is called each
 * time the sink attaches to a ring file (pdig protects it from tracees). */
struct sink *ring_sink_open(const char *dir, void (*on_attach)(const char *path),
			    char *err, size_t errlen);
/* Waits up to ms for the ring sink s to attach to a consumer's ring (so a
 * program started next loses none of its first events); true if it did. */
bool ring_sink_wait(struct sink *s, unsigned ms);

#endif
