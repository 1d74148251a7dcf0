/* A thread's signal dispositions, from /proc/<tid>/status. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procfs/procfs.h"
#include "procfs_io.h"

static bool hex_field(const char *buf, const char *key, uint64_t *out)
{
	const char *p = strstr(buf, key);
	if (!p)
		return false;
	*out = strtoull(p + strlen(key), NULL, 16);
	return true;
}

int procfs_signal_dispositions(int64_t tid, uint64_t *ignored, uint64_t *caught)
{
	char path[64], buf[2048];
	ssize_t n;
	if (pf_path(path, sizeof path, tid, "status") || (n = pf_read(path, buf, sizeof buf - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	return hex_field(buf, "\nSigIgn:", ignored) && hex_field(buf, "\nSigCgt:", caught) ? 0 : -1;
}
