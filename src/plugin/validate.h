/* Checks one event from the ring against the host's table before the host
 * sees it: the host's parser trusts what a plugin hands it. */
#ifndef PDIG_PLUGIN_VALIDATE_H
#define PDIG_PLUGIN_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "host_table.h"

/* Narrows what validate_event() lets through to what pdig sends in schema
 * s: its syscall events in that generation's form, procexit and
 * signaldeliver; no meta or internal event (a container, a CPU hotplug, a
 * plugin event, a task iterator, a drop marker...), which a writer of the
 * ring could use to stop or forge the host's state. Also gives the syscall
 * code range and the PT_DYN variants' types. */
void validate_prepare(struct host_table *t, const struct pdig_schema *s);

/* NULL if ev (len bytes) is an event the host can parse, else why not. */
const char *validate_event(const struct host_table *t, const uint8_t *ev, size_t len);

#endif
