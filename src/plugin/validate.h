/* Checks one event from the ring against the host's table before the host
 * sees it: the host's parser trusts what a plugin hands it. */
#ifndef PDIG_PLUGIN_VALIDATE_H
#define PDIG_PLUGIN_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "host_table.h"

/* NULL if ev (len bytes) is an event the host can parse, else why not. */
const char *validate_event(const struct host_table *t, const uint8_t *ev, size_t len);

#endif
