/* Availability mode, `--max-cpu FRACTION` (budget.c): pdig keeps its own
 * CPU within the budget by shedding events in a fixed order of levels,
 * counts every event it sheds and comes back when the pressure ends. */
#ifndef PDIG_TRACER_BUDGET_H
#define PDIG_TRACER_BUDGET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "tracer/seccomp.h"

struct tracer;
struct thread;

/* Levels, in the order pdig narrows what it traces. */
enum budget_level {
	BUDGET_FULL,  /* everything traced is reported */
	BUDGET_IO,    /* data I/O (with --rules: and what no rule needs) is shed */
	BUDGET_FILES, /* and every call but process, network and path calls */
	BUDGET_CORE,  /* and path calls (opens...) of files not sensitive */
	BUDGET_LEVELS
};

/* Once, before tracing: max_cpu 0 = off. traced: the traced set;
 * rules_need: what --rules/--repair asked for (the rules' syscalls and
 * the repair set for them), or NULL (neither given). */
void budget_init(double max_cpu, const struct syscall_set *traced, const struct syscall_set *rules_need);
/* The level from which calls nr are shed (0: never; BUDGET_CORE: only
 * those whose paths are not sensitive), and that test, for -v and tests. */
int budget_shed_level(uint64_t nr);
/* The same for one call, with what its registers say (a sendto naming
 * a destination, an fcntl duplicating an fd, a setuid chmod: 0). */
int budget_call_level(uint64_t nr, const uint64_t *args);
/* writes: the call creates or changes the file (not a read-only open) */
bool budget_path_sensitive(const char *path, bool writes);
/* At every stop, before it is handled (want: events are wanted now):
 * measures pdig's CPU when a window is over and moves between levels,
 * telling the consumer (drop enter/exit events) when narrowing starts
 * and ends. tid: the stopped thread, which the markers name. */
void budget_tick(struct tracer *tr, pid_t tid, bool want);
/* A traced syscall's entry, events wanted: true if its events are shed
 * at the current level (then counted, and the output told per schema),
 * or if it is the restart of a shed call (not counted again). */
bool budget_sheds(struct tracer *tr, struct thread *t, uint64_t nr, const uint64_t *args);
/* A signal-delivery stop of t for a signal the kernel discards: if it
 * interrupted t's last shed call, that call's restart is no new call. */
void budget_on_discarded_signal(struct thread *t);
/* Does a shed call still need its exit stop for pdig's own state (the
 * guard's check of an open that may write, procfs's view of opens)? */
bool budget_needs_exit(uint64_t nr, const uint64_t *args);
/* At the end, with -v: events shed per level and per syscall. */
void budget_report(int verbose);

#endif
