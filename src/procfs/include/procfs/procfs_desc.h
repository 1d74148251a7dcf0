/* The sinks' state source backed by /proc: descriptions of threads and of
 * their open fds (schema/state_desc.h), made with the readers pdig uses for
 * its events. main wires it into the sinks. Not thread-safe: like the
 * snapshots it is made from, a description is kept in ctx. */
#ifndef PDIG_PROCFS_DESC_H
#define PDIG_PROCFS_DESC_H

#include "events/encoder.h"
#include "schema/state_desc.h"

struct procfs_desc_ctx {
	struct tracee_state st;
	struct proc_desc desc;
};

/* Fills src with ctx as its context (ctx must outlive src). */
void procfs_desc_source(struct procfs_desc_ctx *ctx, struct state_source *src);

#endif
