/* The capture-file sink (-w FILE): a .scap file that `sysdig -r` reads
 * (docs/scap-file.md). Layout of each file: SHB, Machine Info,
 * Process List V9, FD List V2 per process, then EV_V2 event blocks. */
#ifndef PDIG_SCAPFILE_H
#define PDIG_SCAPFILE_H

#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"

struct sink;

/* Opens path for writing. rotate_bytes > 0: rotate like `sysdig -C`: the
 * files are path0, path1, ... each at most rotate_bytes long (unless one
 * event alone is larger) and each a complete capture. NULL + err on
 * failure. */
struct sink *scap_sink_open(const char *path, uint64_t rotate_bytes, char *err, size_t errlen);

/* The process and fd lists of each file come from the state source
 * (sink.h: use_source, describe_process), never from /proc. */

/* The event schema the file's events are written in (default 1.0.0, what
 * sysdig 0.29.3 reads; later libs convert 1.0.0 events read from files,
 * but only a file in their own schema carries every param). */
void scap_sink_set_schema(struct sink *s, enum pdig_schema_id id);

/* Name of the file being written (for messages and tests). */
const char *scap_sink_current_path(struct sink *s);

#endif
