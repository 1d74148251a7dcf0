/* Bounded tracee-memory params; see ubuf.h. */
#include <stdbool.h>
#include <string.h>

#include "ubuf.h"

size_t ub_read(const struct tracee_mem *m, uint64_t addr, void *dst, size_t len)
{
	size_t got = 0;
	if (!addr)
		return 0;
	while (got < len) {
		ssize_t n = m->read(m->ctx, addr + got, (uint8_t *)dst + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n > len - got ? len - got : (size_t)n;
	}
	return got;
}

void ub_put_bytes(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t len)
{
	if (len > EVB_MAX_ARG)
		len = EVB_MAX_ARG;
	uint8_t *d = evb_reserve(b, len);
	if (!d)
		return;
	evb_commit(b, ub_read(m, addr, d, len));
}

void ub_put_str_or(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t max, const char *unreadable)
{
	if (!addr) {
		evb_str(b, NULL);
		return;
	}
	if (max > EVB_MAX_ARG)
		max = EVB_MAX_ARG;
	uint8_t *d = evb_reserve(b, max);
	if (!d)
		return;
	ssize_t n = mem_read_str(m, addr, (char *)d, max);
	if (n < 0) {
		n = (ssize_t)strnlen(unreadable, max - 1);
		memcpy(d, unreadable, (size_t)n);
		d[n] = 0;
	}
	evb_commit(b, (size_t)n + 1);
}

void ub_put_str(struct evbuf *b, const struct tracee_mem *m, uint64_t addr, size_t max)
{
	ub_put_str_or(b, m, addr, max, "");
}

/* A failed execve's argv/envp is read in batches: SA_BATCH pointers in one
 * read, then their strings in one readv. One read per pointer and per
 * string cost ~70 syscalls for an ordinary environment, at every PATH entry
 * an execvp tries. The strings of a list usually sit side by side (the
 * environment at the top of the stack), and process_vm_readv pins the
 * pages of each area anew (45 areas on 3 pages: ~30 us, one area: ~7), so
 * strings close together are read as one area: from the first to SA_SPAN
 * bytes past the last, within its page. */
#define SA_BATCH 64 /* <= MEM_READV_MAX */
#define SA_SPAN 256
#define SA_SCRATCH (SA_BATCH * SA_SPAN)
#define SA_NONE 0xff

/* Where each string's first bytes are read: reg[j] = the area holding
 * p[j] (SA_NONE: none, read alone). Returns the number of areas. */
static size_t plan_areas(const uint64_t *p, size_t n, uint8_t *scratch, struct mem_span *areas, uint8_t *reg)
{
	uint8_t order[SA_BATCH];
	for (size_t j = 0; j < n; j++) { /* by address (insertion sort, n <= 64) */
		size_t k = j;
		for (; k > 0 && p[order[k - 1]] > p[j]; k--)
			order[k] = order[k - 1];
		order[k] = (uint8_t)j;
	}
	size_t na = 0, off = 0;
	uint64_t start = 0, end = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t a = p[order[i]];
		reg[order[i]] = SA_NONE;
		if (a > UINT64_MAX - 4096)
			continue; /* no such user address */
		size_t first = 4096 - (a & 4095); /* not into the next page */
		uint64_t e = a + (first < SA_SPAN ? first : SA_SPAN);
		if (na && a <= end && (e <= end || off + (e - start) <= SA_SCRATCH)) {
			if (e > end)
				end = e; /* joins the area */
		} else {
			if (na) {
				areas[na - 1].len = (size_t)(end - start);
				off += areas[na - 1].len;
			}
			if (off + (e - a) > SA_SCRATCH)
				continue; /* no room left: read alone */
			areas[na++] = (struct mem_span){ a, scratch + off, 0 };
			start = a;
			end = e;
		}
		reg[order[i]] = (uint8_t)(na - 1);
	}
	if (na)
		areas[na - 1].len = (size_t)(end - start);
	return na;
}

/* Appends the strings at p[0..n) to dst (used bytes so far); false when
 * one cannot be read or they may not fit (the rule of mem_read_str with the
 * room left: a string needs its length and NUL below the room). */
static bool append_strs(const struct tracee_mem *m, const uint64_t *p, size_t n, char *dst, size_t cap,
                        size_t *used)
{
	uint8_t scratch[SA_SCRATCH], reg[SA_BATCH];
	struct mem_span areas[SA_BATCH];
	size_t got[SA_BATCH];
	if (!n)
		return true;
	size_t na = plan_areas(p, n, scratch, areas, reg);
	for (size_t r = 0; r < na; r++)
		got[r] = 0;
	mem_readv(m, areas, na, got);
	for (size_t j = 0; j < n; j++) {
		if (*used >= cap)
			return false;
		size_t room = cap - *used, g = 0;
		const char *s = NULL;
		if (reg[j] != SA_NONE) {
			const struct mem_span *a = &areas[reg[j]];
			size_t at = (size_t)(p[j] - a->addr), have = got[reg[j]] < a->len ? got[reg[j]] : a->len;
			s = (const char *)a->dst + at;
			g = have > at ? have - at : 0;
		}
		const char *nul = g ? memchr(s, 0, g) : NULL;
		size_t len;
		if (nul) {
			len = (size_t)(nul - s);
			if (len + 1 >= room)
				return false;
			memcpy(dst + *used, s, len + 1);
		} else {
			/* longer than its area or cut by an unreadable byte: on
			 * from where the batch stopped; not read in it: alone */
			if (g + 1 >= room)
				return false; /* it cannot fit */
			if (g)
				memcpy(dst + *used, s, g);
			ssize_t r = g ? mem_read_str_rest(m, p[j], dst + *used, room, g)
			              : mem_read_str(m, p[j], dst + *used, room);
			if (r < 0 || (size_t)r + 1 >= room)
				return false;
			len = (size_t)r;
		}
		*used += len + 1;
	}
	return true;
}

size_t ub_strarray(const struct tracee_mem *m, uint64_t arr, char *dst, size_t cap)
{
	uint64_t p[SA_BATCH];
	size_t used = 0;
	if (!arr)
		return 0;
	/* Each string takes at least one byte, so cap bounds the count. */
	for (uint64_t i = 0; i <= cap;) {
		ssize_t n = m->read(m->ctx, arr + i * 8, p, sizeof p);
		if (n < 8)
			return 0; /* a pointer that cannot be read */
		size_t k = (size_t)n / 8, strs = k;
		for (size_t j = 0; j < k; j++) {
			if (!p[j]) {
				strs = j;
				break;
			}
		}
		if (!append_strs(m, p, strs, dst, cap, &used))
			return 0;
		if (strs < k)
			return used; /* the terminating NULL */
		i += k;
	}
	return 0;
}

int64_t ub_iov_read(const struct tracee_mem *m, uint64_t iov, uint64_t cnt, uint8_t *dst, size_t want,
                    size_t *got, bool whole)
{
	uint64_t v[2 * 32]; /* struct iovec: base, len */
	uint64_t total = 0;
	bool ok = true, single = false;
	size_t g = 0;
	bool more = dst && want; /* data still wanted */
	if (cnt > UB_MAX_IOV)
		cnt = UB_MAX_IOV;
	for (uint64_t i = 0; i < cnt && ((whole && ok) || more);) {
		/* the array 32 entries at a time; once a batch cannot be
		 * read, the data's readable prefix one entry at a time */
		size_t k = single ? 1 : (cnt - i < 32 ? (size_t)(cnt - i) : 32);
		if (mem_read_exact(m, iov + i * 16, v, k * 16) < 0) {
			ok = false;
			if (!more || k == 1)
				break;
			single = true;
			continue;
		}
		uint64_t sum = 0;
		for (size_t j = 0; j < k; j++)
			sum = sum + v[2 * j + 1] < sum ? UINT64_MAX : sum + v[2 * j + 1];
		total = total + sum < total ? UINT64_MAX : total + sum;
		if (more) {
			size_t expect = sum < want - g ? (size_t)sum : want - g;
			size_t n = ub_gather(m, v, k, dst + g, want - g);
			g += n;
			more = n == expect && g < want; /* an unreadable byte ends the data */
		}
		i += k;
	}
	if (got)
		*got = g;
	if (!ok)
		return -1;
	return total > INT64_MAX ? INT64_MAX : (int64_t)total;
}

int64_t ub_iov_total(const struct tracee_mem *m, uint64_t iov, uint64_t cnt)
{
	return ub_iov_read(m, iov, cnt, NULL, 0, NULL, true);
}

uint64_t ub_iov_data_cap(uint64_t cnt)
{
	const uint64_t page = 4096, entry = 16;
	return cnt >= page / entry ? 0 : page - entry * cnt - 1;
}

size_t ub_gather(const struct tracee_mem *m, const uint64_t *v, size_t n, uint8_t *dst, size_t want)
{
	struct mem_span spans[MEM_READV_MAX];
	size_t got[MEM_READV_MAX];
	size_t done = 0, i = 0;
	while (i < n && done < want) {
		/* the next entries' buffers, up to want in all (empty ones
		 * take no area: a zero-length read reads nothing) */
		size_t k = 0, planned = done;
		for (; i < n && k < MEM_READV_MAX && planned < want; i++) {
			uint64_t len = v[2 * i + 1];
			size_t take = len < want - planned ? (size_t)len : want - planned;
			if (!take)
				continue;
			spans[k] = (struct mem_span){ v[2 * i], dst + planned, take };
			got[k++] = 0;
			planned += take;
		}
		mem_readv(m, spans, k, got);
		for (size_t j = 0; j < k; j++) {
			size_t g = got[j] < spans[j].len ? got[j] : spans[j].len;
			/* not read in the batch, or cut at a page: the rest alone */
			if (g < spans[j].len)
				g += ub_read(m, spans[j].addr + g, (uint8_t *)spans[j].dst + g, spans[j].len - g);
			done += g;
			if (g < spans[j].len)
				return done; /* the first unreadable byte ends the data */
		}
	}
	return done;
}
