/* A thread's signal dispositions, read through the kept /proc fds: stat
 * (fields 33 and 34, signals 1-31, the cheaper file) or, for real-time
 * signals, status (SigIgn, SigCgt). */
#include <stdlib.h>
#include <string.h>

#include "procfs/procfs.h"
#include "procfs_internal.h"

/* The number after key (hex in status, decimal in stat) */
static bool number_after(const char *buf, const char *key, int base, uint64_t *out)
{
	const char *p = key ? strstr(buf, key) : buf;
	if (!p)
		return false;
	p += key ? strlen(key) : 0;
	char *end;
	*out = strtoull(p, &end, base);
	return end != p;
}

int procfs_signal_dispositions(struct procfs *pf, int64_t tid, int sig, uint64_t *ignored, uint64_t *caught)
{
	char buf[4096];
	bool status = sig >= 32;
	ssize_t n = tc_read_text(pf, tid, status, buf, sizeof buf);
	if (n <= 0)
		return -1;
	if (status)
		return number_after(buf, "\nSigIgn:", 16, ignored) && number_after(buf, "\nSigCgt:", 16, caught) ? 0 : -1;
	/* stat's sigignore and sigcatch: fields 33 and 34 */
	const char *p = procfs_stat_field(buf, (size_t)n, 33), *q = procfs_stat_field(buf, (size_t)n, 34);
	return p && q && number_after(p, NULL, 10, ignored) && number_after(q, NULL, 10, caught) ? 0 : -1;
}
