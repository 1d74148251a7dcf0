/* The ptrace engine: spawn a program under a seccomp filter and turn its
 * syscall stops into events for the sinks. */
#ifndef PDIG_TRACER_H
#define PDIG_TRACER_H

#include <stdbool.h>

#include "seccomp.h"

struct tracer_opts {
	struct syscall_set set; /* syscalls to trace */
	int verbose;
};

/* Runs argv (argv[0] already resolved to path) under the tracer until every
 * traced process has exited. Returns the exit status pdig should exit with:
 * the program's own, or 128+N if signal N killed it. */
int tracer_spawn(const char *path, char *const argv[], const struct tracer_opts *o);

#endif
