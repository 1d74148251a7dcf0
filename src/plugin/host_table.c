/* Finding the host's event table (docs/plugin.md, "Which schema").
 *
 * The plugin API gives a plugin no way to ask its host which event schema
 * it parses, and a plugin's events reach the parser unconverted. But the
 * host's parser reads its own table, libscap's g_event_info: an array of
 * entries { char name[32]; u32 category; u32 flags; u32 nparams;
 * param[32] } with param = { char name[32]; u32 type; u32 fmt; void *info;
 * u8 ninfo }. Measured in Falco 0.42.0 and 0.44.1: not packed, so params
 * start at 48 and are 56 bytes apart (an entry is 1840 bytes); a packed
 * build would give 44 and 49. Its first entries are always "syscall",
 * "syscall", "open", "open", "close", "close". We look for that pattern in
 * the file-backed mappings of the process, learn the entry size from the
 * distance between the first two names (and from it the layout), and read
 * the entries up to the first that does not look like one (Falco 0.42.0:
 * 430, 0.44.1: 454, as their libs' PPM_EVENT_MAX). */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "host_table.h"
#include "ring/ring.h"
#include "schema/schema.h"

#define NAME_LEN 32
#define EV_PACKED (NAME_LEN + 12)     /* name, category, flags, nparams */
#define EV_ALIGNED (NAME_LEN + 16)    /* the same, padded to 8 for the params */
#define PARAM_MIN 49                  /* name, type, fmt, info, ninfo */
#define STRIDE_MAX (EV_ALIGNED + HT_MAX_PARAMS * 64)
#define CHUNK (1u << 20)
#define PT_LAST 64                    /* param types stay below this */
#define EF_LARGE_PAYLOAD (1u << 11)

static int mem_fd = -2;

/* Reads our own memory without touching it directly: an unmapped or
 * unreadable address is an error, not a SIGSEGV. */
static bool peek(uintptr_t addr, void *dst, size_t n)
{
	struct iovec local = { dst, n }, remote = { (void *)addr, n };
	ssize_t got = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (got == (ssize_t)n)
		return true;
	if (got < 0 && (errno == ENOSYS || errno == EPERM)) {
		/* seccomp profiles may forbid it: /proc/self/mem is the same read */
		if (mem_fd == -2)
			mem_fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
		if (mem_fd >= 0)
			return pread(mem_fd, dst, n, (off_t)addr) == (ssize_t)n;
	}
	return false;
}

static bool is_name(const uint8_t *p, const char *want)
{
	size_t n = strlen(want);
	if (memcmp(p, want, n))
		return false;
	for (size_t i = n; i < NAME_LEN; i++)
		if (p[i])
			return false;
	return true;
}

/* A NUL-terminated identifier within 32 bytes, zero-padded after. */
static bool plausible_name(const uint8_t *p)
{
	size_t i = 0;
	while (i < NAME_LEN && p[i]) {
		uint8_t c = p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
		i++;
	}
	if (i == 0 || i == NAME_LEN)
		return false;
	return true;
}

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* Where the params start in an entry of this size, 0 if no layout fits. */
static uint32_t params_at(uint32_t stride)
{
	if (stride >= EV_ALIGNED + HT_MAX_PARAMS * PARAM_MIN && (stride - EV_ALIGNED) % HT_MAX_PARAMS == 0 &&
	    ((stride - EV_ALIGNED) / HT_MAX_PARAMS) % 8 == 0)
		return EV_ALIGNED;
	if (stride >= EV_PACKED + HT_MAX_PARAMS * PARAM_MIN && (stride - EV_PACKED) % HT_MAX_PARAMS == 0)
		return EV_PACKED;
	return 0;
}

/* Reads entry i at base; false when it does not look like an entry. */
static bool read_entry(uintptr_t base, uint32_t stride, uint32_t i, struct ht_event *e, uint8_t *buf)
{
	if (!peek(base + (uintptr_t)i * stride, buf, stride) || !plausible_name(buf))
		return false;
	uint32_t flags = rd32(buf + NAME_LEN + 4), np = rd32(buf + NAME_LEN + 8);
	uint32_t first = params_at(stride), pstride = (stride - first) / HT_MAX_PARAMS;
	if (np > HT_MAX_PARAMS)
		return false;
	e->nparams = (uint8_t)np;
	e->large = flags & EF_LARGE_PAYLOAD;
	for (uint32_t k = 0; k < np; k++) {
		const uint8_t *pp = buf + first + k * pstride;
		uint32_t type = rd32(pp + NAME_LEN);
		if (!plausible_name(pp) || type >= PT_LAST)
			return false;
		e->type[k] = (uint8_t)type;
		e->ninfo[k] = pp[NAME_LEN + 16];
	}
	return true;
}

/* Is there a table at addr (an entry named "syscall")? Fills t. */
static bool try_table(uintptr_t addr, struct host_table *t, uint8_t *buf)
{
	if (!peek(addr, buf, STRIDE_MAX + NAME_LEN))
		return false;
	uint32_t stride = 0;
	for (uint32_t d = EV_PACKED + HT_MAX_PARAMS * PARAM_MIN; d <= STRIDE_MAX; d++)
		if (is_name(buf + d, "syscall")) {
			stride = d;
			break;
		}
	if (!stride || !params_at(stride))
		return false;
	static const char *const first[] = { "open", "open", "close", "close" };
	for (int i = 0; i < 4; i++) {
		uint8_t name[NAME_LEN];
		if (!peek(addr + (uintptr_t)(i + 2) * stride, name, NAME_LEN) || !is_name(name, first[i]))
			return false;
	}
	uint32_t n = 0;
	while (n < HT_MAX_EVENTS && read_entry(addr, stride, n, &t->ev[n], buf))
		n++;
	t->nevents = n;
	t->addr = addr;
	t->stride = stride;
	return n >= 6;
}

static bool same_table(const struct host_table *a, const struct host_table *b)
{
	if (a->nevents != b->nevents)
		return false;
	for (uint32_t i = 0; i < a->nevents; i++)
		if (a->ev[i].nparams != b->ev[i].nparams ||
		    memcmp(a->ev[i].type, b->ev[i].type, a->ev[i].nparams))
			return false;
	return true;
}

/* Scans one mapping for the first name; each hit is tried as a table. */
static int scan_range(uintptr_t lo, uintptr_t hi, struct host_table *t, struct host_table *tmp,
		      uint8_t *chunk, uint8_t *buf, int found)
{
	static const uint8_t pat[NAME_LEN] = "syscall";
	for (uintptr_t at = lo; at < hi; at += CHUNK) {
		size_t n = hi - at < CHUNK + NAME_LEN ? hi - at : CHUNK + NAME_LEN;
		if (!peek(at, chunk, n))
			continue;
		for (size_t off = 0; off + NAME_LEN <= n; off++) {
			const uint8_t *hit = memmem(chunk + off, n - off, pat, NAME_LEN);
			if (!hit)
				break;
			off = (size_t)(hit - chunk);
			if (off >= CHUNK)
				break; /* the overlap: the next chunk sees it */
			if (!try_table(at + off, tmp, buf))
				continue;
			if (!found) {
				memcpy(t, tmp, sizeof *t);
				found = 1;
			} else if (!same_table(t, tmp)) {
				return -1;
			}
			off += tmp->stride * tmp->nevents - 1; /* skip the table itself */
		}
	}
	return found;
}

int host_table_find(struct host_table *t, char *why, size_t cap)
{
	FILE *maps = fopen("/proc/self/maps", "re");
	if (!maps) {
		snprintf(why, cap, "cannot read /proc/self/maps: %s", strerror(errno));
		return 0;
	}
	/* our own mappings hold no scap table, but skip them all the same */
	Dl_info self;
	const char *own = dladdr((void *)host_table_find, &self) && self.dli_fname ? self.dli_fname : "";
	struct host_table *tmp = malloc(sizeof *tmp);
	uint8_t *chunk = malloc(CHUNK + NAME_LEN), *buf = malloc(STRIDE_MAX + NAME_LEN);
	int found = 0;
	char line[4608];
	while (tmp && chunk && buf && found >= 0 && fgets(line, sizeof line, maps)) {
		unsigned long lo, hi;
		char perms[8], path[4096] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095[^\n]", &lo, &hi, perms, path) < 3)
			continue;
		char *p = path;
		while (*p == ' ')
			p++;
		if (perms[0] != 'r' || *p != '/' || !strncmp(p, "/dev/", 5) || !strcmp(p, own))
			continue;
		int before = found;
		found = scan_range(lo, hi, t, tmp, chunk, buf, found);
		if (found > 0 && !before)
			snprintf(t->where, sizeof t->where, "%.120s", p);
	}
	fclose(maps);
	free(tmp);
	free(chunk);
	free(buf);
	if (found < 0)
		snprintf(why, cap, "the host's memory holds several different event tables");
	else if (!found)
		snprintf(why, cap, "no event table found in the host's memory");
	return found;
}

uint32_t host_table_schema(const struct host_table *t)
{
	/* libs 0.22: 430 events, execve exit (293) with 30 params;
	 * 0.23: the same with 31; 0.25: 454 events, socket exit (19) with 5. */
	if (t->nevents == 430 && t->ev[293].nparams == 30 && t->ev[19].nparams == 4)
		return RING_SCHEMA(4, 0, 1);
	if (t->nevents == 430 && t->ev[293].nparams == 31 && t->ev[19].nparams == 4)
		return RING_SCHEMA(4, 1, 0);
	if (t->nevents == 454 && t->ev[293].nparams == 31 && t->ev[19].nparams == 5)
		return RING_SCHEMA(4, 5, 1);
	return 0;
}

void host_table_from_schema(struct host_table *t, const struct pdig_schema *s)
{
	memset(t, 0, sizeof *t);
	t->nevents = s->event_max < HT_MAX_EVENTS ? s->event_max : HT_MAX_EVENTS;
	for (uint32_t i = 0; i < t->nevents; i++) {
		const struct pdig_event *e = &s->events[i];
		struct ht_event *h = &t->ev[i];
		if (!e->name)
			continue; /* no such event: nparams 0 */
		h->nparams = e->nparams;
		h->large = e->flags & EVF_LARGE_PAYLOAD;
		for (uint32_t k = 0; k < e->nparams && k < HT_MAX_PARAMS; k++) {
			h->type[k] = e->params[k].type;
			h->ninfo[k] = e->params[k].ndyn;
		}
	}
	snprintf(t->where, sizeof t->where, "pdig's own table of schema %s", s->version);
}

int host_table_diff(const struct host_table *a, const struct host_table *b)
{
	uint32_t n = a->nevents > b->nevents ? a->nevents : b->nevents;
	for (uint32_t i = 0; i < n; i++) {
		if (i >= a->nevents || i >= b->nevents)
			return (int)i;
		const struct ht_event *x = &a->ev[i], *y = &b->ev[i];
		if (x->nparams != y->nparams || x->large != y->large ||
		    memcmp(x->type, y->type, x->nparams))
			return (int)i;
	}
	return -1;
}
