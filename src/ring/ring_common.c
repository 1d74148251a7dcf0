/* What both sides of the ring share: names and schema codes. */
#include <stdio.h>
#include <string.h>

#include "ring/ring.h"

const char *ring_schema_str(uint32_t code, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u", (code >> 16) & 0xffff, (code >> 8) & 0xff, code & 0xff);
	return buf;
}

int ring_path(const char *dir, char *buf, size_t cap)
{
	if (!dir || !*dir)
		dir = RING_DIR_DEFAULT;
	int n = snprintf(buf, cap, "%s/%s", dir, RING_FILE_NAME);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}
