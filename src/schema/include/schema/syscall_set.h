/* A set of native x86-64 syscalls: which ones pdig traces. The schema
 * decides what the default set holds (syscall_set.c); the tracer turns a
 * set into a seccomp filter; -e trace= edits one (trace_filter.c). */
#ifndef PDIG_SYSCALL_SET_H
#define PDIG_SYSCALL_SET_H

#include <stdbool.h>
#include <stdint.h>

#include "schema/schema.h"

struct syscall_set {
	uint8_t on[PDIG_SYSCALL_MAX];
};

/* Fill set with the default traced set, or (all) every syscall the driver
 * reports: the UF_USED ones and, as generic events, all the others. */
void syscall_set_init(struct syscall_set *set, bool all);

#endif
