/* Which layer of an overlay mount a program's file comes from, for the
 * driver's EXE_UPPER_LAYER / EXE_LOWER_LAYER flags: the upper layer holds
 * what was written in the container (a dropped binary), the lower layers
 * the image. The kernel knows; from user space the mount's upperdir (its
 * super options in mountinfo) is looked at: the file's path below the
 * mount point exists there for an upper file only. When pdig cannot see
 * the upperdir (inside the container itself it is a host path) the layer
 * stays unknown and neither flag is set. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "procfs_internal.h"

struct overlay_query {
	uint64_t id;
	char mnt_point[PROC_STR_MAX];
	char upper[PROC_STR_MAX];
	bool overlay;
};

/* Copies a mountinfo field of n bytes, undoing its octal escapes (\040 for
 * a space...), into dst (cap bytes, terminated); false if it does not fit. */
static bool unescape(const char *s, size_t n, char *dst, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			ch = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= cap)
			return false;
		dst[o++] = ch;
	}
	dst[o] = '\0';
	return true;
}

/* The n-th space-separated field of line (0-based), or NULL. */
static const char *field_at(const char *line, size_t len, int n, size_t *flen)
{
	const char *p = line, *end = line + len;
	for (int i = 0; p < end; i++) {
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		const char *fe = sp ? sp : end;
		if (i == n) {
			*flen = (size_t)(fe - p);
			return p;
		}
		if (!sp)
			break;
		p = sp + 1;
	}
	return NULL;
}

/* "ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTS [TAGS...] - FSTYPE SOURCE SUPER_OPTS" */
static int overlay_line(const char *line, size_t len, void *arg)
{
	struct overlay_query *q = arg;
	char idtxt[24];
	size_t n;
	const char *f = field_at(line, len, 0, &n);
	if (!f || n >= sizeof idtxt)
		return -1;
	memcpy(idtxt, f, n);
	idtxt[n] = '\0';
	if ((uint64_t)strtoull(idtxt, NULL, 10) != q->id)
		return -1;
	/* found: the rest decides, whatever it says */
	f = field_at(line, len, 4, &n);
	const char *dash = memmem(line, len, " - ", 3);
	if (!f || !dash || !unescape(f, n, q->mnt_point, sizeof q->mnt_point))
		return 0;
	const char *rest = dash + 3;
	size_t rlen = len - (size_t)(rest - line);
	const char *type = field_at(rest, rlen, 0, &n);
	q->overlay = type && n == 7 && !memcmp(type, "overlay", 7);
	const char *opts = field_at(rest, rlen, 2, &n);
	const char *up = opts ? memmem(opts, n, "upperdir=", 9) : NULL;
	if (q->overlay && up && (up == opts || up[-1] == ',')) {
		up += 9;
		const char *ue = memchr(up, ',', n - (size_t)(up - opts));
		size_t ulen = ue ? (size_t)(ue - up) : n - (size_t)(up - opts);
		if (!unescape(up, ulen, q->upper, sizeof q->upper))
			q->upper[0] = '\0';
	}
	return 0;
}

uint8_t procfs_overlay_layer(int64_t pid, uint64_t mnt_id, const char *path)
{
	static struct overlay_query q; /* 8 KiB: not on the tracer's stack */
	memset(&q, 0, sizeof q);
	q.id = mnt_id;
	if (!mnt_id || procfs_scan_mountinfo(pid, overlay_line, &q) || !q.overlay || !q.upper[0])
		return EXE_LAYER_UNKNOWN;
	/* the path below the mount point, both as pid sees them */
	size_t mp = strlen(q.mnt_point);
	if (mp == 1 && q.mnt_point[0] == '/')
		mp = 0;
	if (strncmp(path, q.mnt_point, mp) || (path[mp] != '/' && path[mp] != '\0'))
		return EXE_LAYER_UNKNOWN;
	struct stat st;
	if (stat(q.upper, &st) != 0 || !S_ISDIR(st.st_mode))
		return EXE_LAYER_UNKNOWN;
	char in_upper[2 * PROC_STR_MAX];
	if ((size_t)snprintf(in_upper, sizeof in_upper, "%s%s", q.upper, path + mp) >= sizeof in_upper)
		return EXE_LAYER_UNKNOWN;
	return lstat(in_upper, &st) == 0 ? EXE_LAYER_UPPER : EXE_LAYER_LOWER;
}
