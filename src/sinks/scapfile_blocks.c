/* pcapng-style blocks of a .scap file (docs/scap-file.md §1-5, 7).
 * Everything little endian, as the host (x86-64). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scapfile_int.h"

void sb_put(struct sbuf *b, const void *src, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *p = realloc(b->p, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (n) /* src may be NULL for an empty value */
		memcpy(b->p + b->len, src, n);
	b->len += n;
}

void sb_u8(struct sbuf *b, uint8_t v) { sb_put(b, &v, 1); }
void sb_u16(struct sbuf *b, uint16_t v) { sb_put(b, &v, 2); }
void sb_u32(struct sbuf *b, uint32_t v) { sb_put(b, &v, 4); }
void sb_u64(struct sbuf *b, uint64_t v) { sb_put(b, &v, 8); }

void sb_lstr(struct sbuf *b, const char *s, size_t n, size_t max)
{
	if (n > max)
		n = max;
	sb_u16(b, (uint16_t)n);
	sb_put(b, s, n);
}

void sb_free(struct sbuf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

size_t scap_block_begin(struct sbuf *b, uint32_t type)
{
	size_t start = b->len;
	sb_u32(b, type);
	sb_u32(b, 0); /* total length, set by scap_block_end */
	return start;
}

void scap_block_end(struct sbuf *b, size_t start)
{
	static const uint8_t zero[4];
	size_t body = b->len - start - 8;
	sb_put(b, zero, (4 - body % 4) % 4);
	uint32_t total = (uint32_t)(b->len - start + 4);
	sb_u32(b, total);
	if (!b->oom)
		memcpy(b->p + start + 4, &total, 4);
}

static uint64_t phys_mem(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	return pages > 0 && psz > 0 ? (uint64_t)pages * (uint64_t)psz : 0;
}

/* The machine's online CPUs ("0-3,6" in sysfs). Not sysconf: musl counts
 * the CPUs pdig may run on, one when it is pinned. */
static uint32_t online_cpus(void)
{
	char buf[256];
	FILE *f = fopen("/sys/devices/system/cpu/online", "re");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	uint32_t count = 0;
	for (char *p = buf; *p >= '0' && *p <= '9';) {
		char *end;
		unsigned long lo = strtoul(p, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtoul(end + 1, &end, 10);
		if (hi >= lo && hi - lo < 65536)
			count += (uint32_t)(hi - lo + 1);
		p = *end == ',' ? end + 1 : end;
	}
	if (count)
		return count;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu > 0 ? (uint32_t)ncpu : 1;
}

void scap_put_header(struct sbuf *b)
{
	size_t s = scap_block_begin(b, SCAP_BT_SHB);
	sb_u32(b, 0x1A2B3C4D); /* byte-order magic */
	sb_u16(b, 1);          /* major */
	sb_u16(b, 2);          /* minor */
	sb_u64(b, ~0ull);      /* section length: unspecified */
	scap_block_end(b, s);

	/* Machine Info: a fixed 180-byte body, read whole by the consumer */
	s = scap_block_begin(b, SCAP_BT_MI);
	sb_u32(b, online_cpus());
	sb_u64(b, phys_mem());
	sb_u64(b, 0); /* max_pid: sysdig itself writes 0 */
	char host[128];
	memset(host, 0, sizeof host);
	gethostname(host, sizeof host - 1);
	sb_put(b, host, sizeof host);
	for (int i = 0; i < 4; i++)
		sb_u64(b, 0); /* reserved */
	scap_block_end(b, s);
}

static void put_str(struct sbuf *b, struct desc_str s, size_t max)
{
	sb_lstr(b, s.p, s.len, max);
}

void scap_put_proc_entry(struct sbuf *b, const struct proc_desc *p)
{
	size_t start = b->len;
	sb_u32(b, 0); /* entry length, patched below */
	sb_u64(b, (uint64_t)p->tid);
	sb_u64(b, (uint64_t)p->pid);
	sb_u64(b, (uint64_t)p->ptid);
	sb_u64(b, (uint64_t)p->sid);
	sb_u64(b, (uint64_t)p->pgid);
	/* the reader's limits: 1024 for names and paths, 4096 for lists */
	put_str(b, p->comm, 1024);
	put_str(b, p->exe, 1024);
	put_str(b, p->exepath, 1024);
	put_str(b, p->args, 4096);
	put_str(b, p->cwd, 1024);
	sb_u64(b, p->fdlimit);
	sb_u32(b, 0); /* flags */
	sb_u32(b, p->uid);
	sb_u32(b, p->gid);
	sb_u32(b, p->vm_size_kb);
	sb_u32(b, p->vm_rss_kb);
	sb_u32(b, p->vm_swap_kb);
	sb_u64(b, p->pgft_maj);
	sb_u64(b, p->pgft_min);
	put_str(b, p->env, 4096);
	sb_u64(b, (uint64_t)p->vtid);
	sb_u64(b, (uint64_t)p->vpid);
	put_str(b, p->cgroups, 4096);
	put_str(b, p->root, 1024);
	sb_u32(b, (uint32_t)p->loginuid);
	sb_u8(b, p->exe_writable);
	if (!b->oom) {
		uint32_t n = (uint32_t)(b->len - start);
		memcpy(b->p + start, &n, 4);
	}
}

bool scap_put_event(struct sbuf *b, const uint8_t *ev, size_t len)
{
	/* cpu_id + event + padding + trailer must stay within the limit */
	if (2 + len + 3 + 4 > SCAP_MAX_BLOCK_BODY)
		return false;
	size_t s = scap_block_begin(b, SCAP_BT_EV_V2);
	sb_u16(b, 0); /* cpu_id: one stream, like `sysdig -u -w` */
	sb_put(b, ev, len);
	scap_block_end(b, s);
	return !b->oom;
}
