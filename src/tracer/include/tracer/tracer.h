/* The ptrace engine: spawn a program (or attach to running ones) and turn
 * its syscall stops into events, handed to an output that main wires to
 * the sinks (the tracer never sees a sink). */
#ifndef PDIG_TRACER_H
#define PDIG_TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "schema/schema.h"
#include "tracer/seccomp.h"

/* Where finished events go. `wanted` is asked once per stop and its answer
 * passed down, so it may cost a little: the schemas events are wanted in
 * (SCHEMA_BIT()s, schema/schema.h), 0 = none. An event is built once per
 * schema wanted; one no schema is wanted in is not built, and `skipped`
 * is told how many, so the outputs can count them. */
struct tracer_output {
	void *ctx;
	uint32_t (*wanted)(void *ctx);
	uint32_t (*snaplen)(void *ctx); /* I/O payload bytes to capture */
	void (*emit)(void *ctx, enum pdig_schema_id schema, const uint8_t *ev, size_t len);
	void (*skipped)(void *ctx, uint64_t n);
	/* A thread that no event will introduce (attach mode), before the
	 * first event about it. */
	void (*describe_process)(void *ctx, int64_t tid);
	/* Optional: the schemas (SCHEMA_BIT()s) of consumers that attached
	 * since last asked and know none of the traced processes yet; the
	 * tracer then describes them all (a clone exit each), in those
	 * schemas. Asked once per stop, after wanted(). */
	uint32_t (*intro)(void *ctx);
	/* Optional: n events of schema `schema` were shed to keep pdig
	 * within --max-cpu (not made; counted where the consumers read the
	 * driver's drops). Told once per wanted schema. */
	void (*shed)(void *ctx, enum pdig_schema_id schema, uint64_t n);
};

struct tracer_opts {
	struct tracer_output out; /* required: every callback set */
	struct syscall_set set; /* syscalls to trace */
	int verbose;
	bool no_follow_cpu;     /* keep pdig off the tracee's CPU (placement.c) */
	double max_cpu;         /* --max-cpu: pdig's CPU budget (0 = none; budget.c) */
	/* --rules/--repair: what the rules name plus libsinsp's repair set
	 * for them (without what -e added), or NULL */
	const struct syscall_set *rules_need;
	unsigned threads;       /* tracer threads for a spawned program (0: 1); attach uses one */
};

/* The tracer threads a spawned program gets without --threads: the CPUs
 * pdig may use (its affinity mask, lowered to its cgroup's CPU quota), at
 * most 8; why says so ("2 CPUs in affinity mask") for -v. */
unsigned tracer_threads_default(char *why, size_t len);

/* Runs path/argv under the tracer until every traced process has exited.
 * Returns the exit status pdig should exit with: the program's own, or
 * 128+N if signal N killed it. */
int tracer_spawn(const char *path, char *const argv[], const struct tracer_opts *o);

/* Attaches to process pid (tree: and all its descendants). With seccomp,
 * injects the filter so that only traced syscalls stop. Runs until the
 * tracees exit or pdig is told to detach (SIGINT, SIGTERM, SIGHUP).
 * Returns pdig's exit status; errors are reported on stderr. */
int tracer_attach(pid_t pid, bool tree, bool seccomp, const struct tracer_opts *o);

/* Make pdig non-dumpable, so its tracees (same uid) cannot ptrace it nor
 * reach its memory or fds; first thing in main. */
void guard_protect_self(void);
/* Adds to mask the signals a handler of pdig's must hold off while it runs
 * (the guard's requests between tracer threads, guard_mask.c): for the
 * handlers the tracer does not install itself (the ring's SIGBUS guard). */
void guard_handler_keep_out(sigset_t *mask);
/* A file of pdig's (the ring, an output file) that no tracee may open for
 * writing or truncate, known by its inode; before the tracer starts. */
void guard_protect_path(const char *path);
/* -S (keeper.c): the filter cannot be removed, so the attached process
 * needs a tracer for life. tracer_split() forks before anything is opened:
 * the caller (the front, the pid a shell waits for) never returns from it
 * and exits with the status the tracer hands it; the child, in a session
 * of its own, returns and traces. Once its outputs are closed, the tracer
 * calls tracer_release(rc): it hands rc to the front and returns it, or,
 * when the filter is in, becomes the keeper (never returns). */
void tracer_split(pid_t pid);
int tracer_release(int rc);
/* `pdig --keep PID`: resume every stop of this task's tracees, changing
 * nothing, until none is left. Returns 0. */
int tracer_keep(pid_t pid);

#endif
