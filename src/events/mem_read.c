/* Bounded readers of tracee memory for the encoders (and for procfs's
 * note of opened paths): strings stop at a NUL, at cap, or at the first
 * unreadable page. */
#include <string.h>

#include "encoder.h"

static ssize_t read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap);

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
	ssize_t n = read_str(m, addr, dst, cap);
	if (n >= 0 && m->keep_str)
		m->keep_str(m->ctx, addr, dst, (size_t)n);
	return n;
}

static ssize_t read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap)
{
	size_t got = 0;
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

int mem_read_exact(const struct tracee_mem *m, uint64_t addr, void *dst, size_t len)
{
	if (!len)
		return 0;
	ssize_t n = m->read(m->ctx, addr, dst, len);
	return n == (ssize_t)len ? 0 : -1;
}
