/* Readable rendering of scap events (the text/JSON sink), decoded through
 * pdig's own schema table. See text.c for the output formats. */
#ifndef PDIG_TEXT_H
#define PDIG_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Formats one event as one line (no trailing newline) into out, always
 * NUL-terminated when cap > 0. Updates the renderer's process/fd tracking
 * (shared with the sink). Any input is safe: lengths are bounds-checked.
 * Returns the line length (< cap). */
size_t text_format_event(const uint8_t *ev, size_t len, bool json, char *out, size_t cap);

/* Forgets every tracked thread and fd name (tests). */
void text_state_reset(void);

/* "ENOENT" for 2, NULL if unknown. */
const char *text_errno_name(int64_t err);
/* "SIGKILL" for 9, NULL if unknown. */
const char *text_signal_name(unsigned sig);

#endif
