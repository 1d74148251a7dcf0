/* Bounded readers of tracee memory for the encoders (and for procfs's
 * note of opened paths): strings stop at a NUL, at cap, or at the first
 * unreadable page. */
#include <string.h>

#include "events/encoder.h"

static ssize_t read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap, size_t got);

ssize_t mem_read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap)
{
	if (!cap)
		return -1;
	dst[0] = 0;
	if (!addr)
		return -1;
	if (m->recall_str) {
		ssize_t n = m->recall_str(m->ctx, addr, dst, cap);
		if (n >= 0)
			return n;
	}
	ssize_t n = read_str(m, addr, dst, cap, 0);
	if (n >= 0 && m->keep_str)
		m->keep_str(m->ctx, addr, dst, (size_t)n);
	return n;
}

/* got: bytes already in dst (no NUL among them), read from addr on. */
static ssize_t read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap, size_t got)
{
	/* Read in chunks that do not cross a page, so a string ending just
	 * before an unmapped page is still read whole. */
	while (got + 1 < cap) {
		uint64_t a = addr + got;
		size_t chunk = 4096 - (a & 4095);
		if (chunk > cap - 1 - got)
			chunk = cap - 1 - got;
		ssize_t n = m->read(m->ctx, a, dst + got, chunk);
		if (n <= 0) {
			if (!got)
				return -1;
			break;
		}
		void *nul = memchr(dst + got, 0, (size_t)n);
		if (nul)
			return (char *)nul - dst;
		got += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	dst[got] = 0;
	return (ssize_t)got;
}

ssize_t mem_read_str_rest(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap, size_t got)
{
	if (!cap || got >= cap)
		return -1;
	return read_str(m, addr, dst, cap, got);
}

int mem_read_exact(const struct tracee_mem *m, uint64_t addr, void *dst, size_t len)
{
	if (!len)
		return 0;
	ssize_t n = m->read(m->ctx, addr, dst, len);
	return n == (ssize_t)len ? 0 : -1;
}

void mem_readv(const struct tracee_mem *m, const struct mem_span *spans, size_t n, size_t *got)
{
	if (n > MEM_READV_MAX)
		n = MEM_READV_MAX;
	if (n > 1 && m->readv) {
		m->readv(m->ctx, spans, n, got);
		for (size_t j = 0; j < n; j++)
			if (got[j] > spans[j].len)
				got[j] = spans[j].len;
		return;
	}
	for (size_t j = 0; j < n; j++) {
		ssize_t r = m->read(m->ctx, spans[j].addr, spans[j].dst, spans[j].len);
		got[j] = r <= 0 ? 0 : (size_t)r < spans[j].len ? (size_t)r : spans[j].len;
	}
}

/* The chunk read_str starts with: to the end of addr's page, within cap. */
static size_t first_chunk(uint64_t addr, size_t cap)
{
	size_t chunk = 4096 - (addr & 4095);
	return chunk < cap - 1 ? chunk : cap - 1;
}

void mem_read_strs(const struct tracee_mem *m, size_t n, const uint64_t *addr, char *const *dst,
                   const size_t *cap, ssize_t *len)
{
	struct mem_span spans[MEM_STRS_MAX];
	size_t which[MEM_STRS_MAX], got[MEM_STRS_MAX];
	size_t k = 0;
	if (n > MEM_STRS_MAX)
		n = MEM_STRS_MAX;
	for (size_t i = 0; i < n; i++) {
		len[i] = -1;
		if (!cap[i])
			continue;
		dst[i][0] = 0;
		if (!addr[i])
			continue;
		if (m->recall_str && (len[i] = m->recall_str(m->ctx, addr[i], dst[i], cap[i])) >= 0)
			continue;
		if (cap[i] < 2) {
			len[i] = 0; /* room for the NUL only */
			if (m->keep_str)
				m->keep_str(m->ctx, addr[i], dst[i], 0);
			continue;
		}
		spans[k] = (struct mem_span){ addr[i], dst[i], first_chunk(addr[i], cap[i]) };
		which[k++] = i;
	}
	if (k == 0)
		return;
	mem_readv(m, spans, k, got);
	for (size_t j = 0; j < k; j++) {
		size_t i = which[j];
		char *d = dst[i];
		size_t g = got[j] < spans[j].len ? got[j] : spans[j].len;
		char *nul = g ? memchr(d, 0, g) : NULL;
		if (nul)
			len[i] = nul - d;
		else if (g == 0)
			len[i] = read_str(m, addr[i], d, cap[i], 0); /* not read in the batch: alone */
		else if (g < spans[j].len) {
			d[g] = 0; /* ends at an unreadable byte */
			len[i] = (ssize_t)g;
		} else
			len[i] = read_str(m, addr[i], d, cap[i], g); /* longer than its first page */
		if (len[i] >= 0 && m->keep_str)
			m->keep_str(m->ctx, addr[i], d, (size_t)len[i]);
	}
}
