/* Bounded tracee-memory params; see ubuf.h. */
#include <stdbool.h>
#include <string.h>
#include <sys/uio.h>

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
 * read, then the first SA_SPAN bytes of each of their strings in one readv.
 * One read per pointer and per string cost ~70 syscalls for an ordinary
 * environment, at every PATH entry an execvp tries. */
#define SA_BATCH 64 /* <= MEM_READV_MAX */
#define SA_SPAN 256

/* Appends the strings at p[0..n) to dst (used bytes so far); false when
 * one cannot be read or they may not fit (the rule of mem_read_str with the
 * room left: a string needs its length and NUL below the room). */
static bool append_strs(const struct tracee_mem *m, const uint64_t *p, size_t n, char *dst, size_t cap,
                        size_t *used)
{
	char scratch[SA_BATCH][SA_SPAN];
	struct mem_span spans[SA_BATCH];
	size_t got[SA_BATCH];
	for (size_t j = 0; j < n; j++) {
		size_t span = 4096 - (p[j] & 4095); /* not into the next page */
		spans[j] = (struct mem_span){ p[j], scratch[j], span < SA_SPAN ? span : SA_SPAN };
		got[j] = 0;
	}
	if (n > 1 && m->readv) {
		m->readv(m->ctx, spans, n, got);
	} else {
		for (size_t j = 0; j < n; j++) {
			ssize_t r = m->read(m->ctx, spans[j].addr, spans[j].dst, spans[j].len);
			got[j] = r > 0 ? (size_t)r : 0;
		}
	}
	for (size_t j = 0; j < n; j++) {
		if (*used >= cap)
			return false;
		size_t room = cap - *used, g = got[j] < spans[j].len ? got[j] : spans[j].len;
		const char *nul = g ? memchr(scratch[j], 0, g) : NULL;
		size_t len;
		if (nul) {
			len = (size_t)(nul - scratch[j]);
			if (len + 1 >= room)
				return false;
			memcpy(dst + *used, scratch[j], len + 1);
		} else {
			/* longer than its span or cut by an unreadable byte: on
			 * from where the batch stopped; not read in it: alone */
			if (g + 1 >= room)
				return false; /* it cannot fit */
			memcpy(dst + *used, scratch[j], g);
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

int64_t ub_iov_total(const struct tracee_mem *m, uint64_t iov, uint64_t cnt)
{
	struct iovec v[32];
	uint64_t total = 0;
	if (cnt > UB_MAX_IOV)
		cnt = UB_MAX_IOV;
	for (uint64_t i = 0; i < cnt; i += 32) {
		size_t k = cnt - i < 32 ? (size_t)(cnt - i) : 32;
		if (mem_read_exact(m, iov + i * sizeof(v[0]), v, k * sizeof(v[0])) < 0)
			return -1;
		for (size_t j = 0; j < k; j++)
			total = total + v[j].iov_len < total ? UINT64_MAX : total + v[j].iov_len;
	}
	return total > INT64_MAX ? INT64_MAX : (int64_t)total;
}

uint64_t ub_iov_data_cap(uint64_t cnt)
{
	const uint64_t page = 4096, entry = 16;
	return cnt >= page / entry ? 0 : page - entry * cnt - 1;
}

void ub_put_iov(struct evbuf *b, const struct tracee_mem *m, uint64_t iov, uint64_t cnt, size_t len)
{
	if (len > ub_iov_data_cap(cnt))
		len = (size_t)ub_iov_data_cap(cnt);
	if (len > EVB_MAX_ARG)
		len = EVB_MAX_ARG;
	uint8_t *d = evb_reserve(b, len);
	if (!d)
		return;
	size_t got = 0;
	if (cnt > UB_MAX_IOV)
		cnt = UB_MAX_IOV;
	struct iovec v[32];
	size_t have = 0, next = 0; /* entries in v, the next one to use */
	for (uint64_t i = 0; i < cnt && got < len; i++) {
		if (next == have) {
			/* the iovec array 32 entries at a time; an entry that
			 * cannot be read ends the data, as before */
			size_t k = cnt - i < 32 ? (size_t)(cnt - i) : 32;
			while (k && mem_read_exact(m, iov + i * sizeof(v[0]), v, k * sizeof(v[0])) < 0)
				k = k > 1 ? 1 : 0; /* the readable prefix may be shorter: one at a time */
			if (!k)
				break;
			have = k;
			next = 0;
		}
		const struct iovec *e = &v[next++];
		size_t want = e->iov_len < len - got ? e->iov_len : len - got;
		size_t n = ub_read(m, (uint64_t)(uintptr_t)e->iov_base, d + got, want);
		got += n;
		if (n < want)
			break;
	}
	evb_commit(b, got);
}
