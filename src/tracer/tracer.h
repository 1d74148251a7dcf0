/* The ptrace engine: spawn a program (or attach to running ones) and turn
 * its syscall stops into events for the sinks. */
#ifndef PDIG_TRACER_H
#define PDIG_TRACER_H

#include <stdbool.h>
#include <sys/types.h>

#include "seccomp.h"

struct tracer_opts {
	struct syscall_set set; /* syscalls to trace */
	int verbose;
	bool no_follow_cpu;     /* keep pdig off the tracee's CPU (placement.c) */
};

/* Runs path/argv under the tracer until every traced process has exited.
 * Returns the exit status pdig should exit with: the program's own, or
 * 128+N if signal N killed it. */
int tracer_spawn(const char *path, char *const argv[], const struct tracer_opts *o);

/* Attaches to process pid (tree: and all its descendants). With seccomp,
 * injects the filter so that only traced syscalls stop. Runs until the
 * tracees exit or pdig is told to detach (SIGINT, SIGTERM, SIGHUP).
 * Returns pdig's exit status; errors are reported on stderr. */
int tracer_attach(pid_t pid, bool tree, bool seccomp, const struct tracer_opts *o);

#endif
