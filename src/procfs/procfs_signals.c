/* A thread's signal dispositions, read through the kept /proc fds: stat
 * (fields 33 and 34, signals 1-31, the cheaper file) or, for real-time
 * signals, status (SigIgn, SigCgt). */
#include <stdlib.h>
#include <string.h>

#include "procfs/procfs.h"
#include "procfs_internal.h"

static bool hex_field(const char *buf, const char *key, uint64_t *out)
{
	const char *p = strstr(buf, key);
	if (!p)
		return false;
	*out = strtoull(p + strlen(key), NULL, 16);
	return true;
}

static int from_status(struct procfs *pf, int64_t tid, uint64_t *ignored, uint64_t *caught)
{
	char buf[4096];
	ssize_t n = tc_read_text(pf, tid, true, buf, sizeof buf - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return hex_field(buf, "\nSigIgn:", ignored) && hex_field(buf, "\nSigCgt:", caught) ? 0 : -1;
}

/* stat's sigignore and sigcatch (fields 33, 34): the first 31 signals */
static int from_stat(struct procfs *pf, int64_t tid, uint64_t *ignored, uint64_t *caught)
{
	char buf[1024];
	ssize_t n = tc_read_text(pf, tid, false, buf, sizeof buf - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = memrchr(buf, ')', (size_t)n); /* comm may hold spaces */
	if (!p)
		return -1;
	/* after ')': field 3 (state) onwards */
	int field = 2;
	for (; *p && field < 33; p++)
		if (*p == ' ')
			field++;
	char *end;
	*ignored = strtoull(p, &end, 10);
	if (end == p || *end != ' ')
		return -1;
	p = end + 1;
	*caught = strtoull(p, &end, 10);
	return end == p ? -1 : 0;
}

int procfs_signal_dispositions(struct procfs *pf, int64_t tid, int sig, uint64_t *ignored, uint64_t *caught)
{
	return sig < 32 ? from_stat(pf, tid, ignored, caught) : from_status(pf, tid, ignored, caught);
}
