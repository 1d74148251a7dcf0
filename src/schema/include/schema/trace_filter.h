/* `-e trace=...`: strace's syntax for choosing the traced syscalls. */
#ifndef PDIG_TRACE_FILTER_H
#define PDIG_TRACE_FILTER_H

#include <stddef.h>

#include "schema/syscall_set.h"

/* Applies one -e expression to set. Accepted: "trace=LIST" or a bare LIST
 * (as strace). LIST is comma-separated items:
 *   NAME      an x86-64 syscall name: UF_USED ones get their own events,
 *             the others generic ones (as the driver reports them)
 *   %CLASS    file, network (net), process, desc, memory, signal, ipc,
 *             creds: strace's membership
 *   all/none  every syscall the driver reports (as -a) / nothing
 *   ?ITEM     ITEM, but silently skipped when unknown
 * A leading '!' negates the whole list (all minus LIST).
 * The first call (*first true) empties the set, so the result is exactly
 * what the expressions name; later calls add to it (strace accumulates
 * repeated -e trace). Returns 0, or -1 with a one-line message in err
 * (set then undefined). */
int trace_filter_apply(const char *expr, struct syscall_set *set, int *first,
		       char *err, size_t errlen);

/* Members of a class ("file", ...), NULL-terminated; NULL if no such class.
 * Names newer than pdig's name table are skipped. */
const char *const *trace_filter_class(const char *name);

#endif
