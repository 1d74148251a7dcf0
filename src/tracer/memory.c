/* Reads tracee memory for the encoders: process_vm_readv, with a
 * PTRACE_PEEKDATA fallback for when the kernel refuses it (e.g. an LSM that
 * allows ptrace but not process_vm_readv). */
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

#include "lockprof.h"
#include "prelock.h"
#include "tracer_internal.h"

static ssize_t peek_read(pid_t tid, uint64_t addr, void *dst, size_t len)
{
	size_t got = 0;
	while (got < len) {
		uint64_t a = addr + got;
		uint64_t aligned = a & ~7ull;
		errno = 0;
		long word = ptrace(PTRACE_PEEKDATA, tid, (void *)aligned, NULL);
		if (errno)
			break;
		size_t skip = (size_t)(a - aligned);
		size_t n = 8 - skip;
		if (n > len - got)
			n = len - got;
		memcpy((char *)dst + got, (char *)&word + skip, n);
		got += n;
	}
	return got ? (ssize_t)got : -1;
}

static ssize_t vm_read_now(void *ctx, uint64_t addr, void *dst, size_t len);

static ssize_t vm_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	uint64_t t0 = lp_now();
	ssize_t n = vm_read_now(ctx, addr, dst, len);
	lp_add(LP_MEM, t0);
	return n;
}

static ssize_t vm_read_now(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct mem_ctx *m = ctx;
	if (!len)
		return 0;
	if (!addr || addr + len < addr)
		return -1;
	if (m->pin && addr == m->pin_addr && len <= sizeof *m->pin) {
		memcpy(dst, m->pin, len);
		return (ssize_t)len;
	}
	/* read before the lock (prelock.c) */
	ssize_t early = prelock_read(m->tid, addr, dst, len);
	if (early >= 0)
		return early;
	if (!m->peek_only) {
		struct iovec local = { dst, len }, remote = { (void *)addr, len };
		ssize_t n = process_vm_readv(m->tid, &local, 1, &remote, 1, 0);
		if (n > 0)
			return n;
		if (n < 0 && errno != EPERM && errno != ENOSYS)
			return -1;
		if (n < 0)
			m->peek_only = 1;
	}
	return peek_read(m->tid, addr, dst, len);
}

/* Several areas in one process_vm_readv. It copies them in order and
 * stops at the first byte it cannot read, so the bytes it reports fill the
 * areas from the first: the one it stopped in gets a part (or none), the
 * rest none, and the encoders read those alone. */
static void vm_readv(void *ctx, const struct mem_span *spans, size_t n, size_t *got)
{
	struct mem_ctx *m = ctx;
	struct iovec local[MEM_READV_MAX], remote[MEM_READV_MAX];
	if (n > MEM_READV_MAX)
		n = MEM_READV_MAX;
	if (n == 0)
		return;
	for (size_t i = 0; i < n; i++) {
		local[i] = (struct iovec){ spans[i].dst, spans[i].len };
		remote[i] = (struct iovec){ (void *)(uintptr_t)spans[i].addr, spans[i].len };
		got[i] = 0;
	}
	uint64_t t0 = lp_now();
	ssize_t total = m->peek_only ? -1 : process_vm_readv(m->tid, local, n, remote, n, 0);
	lp_add(LP_MEM, t0);
	if (total < 0) {
		/* refused (or the first area unreadable): one by one */
		for (size_t i = 0; i < n; i++) {
			ssize_t r = vm_read(ctx, spans[i].addr, spans[i].dst, spans[i].len);
			got[i] = r > 0 ? (size_t)r : 0;
		}
		return;
	}
	size_t left = (size_t)total;
	for (size_t i = 0; i < n && left; i++) {
		got[i] = left < spans[i].len ? left : spans[i].len;
		left -= got[i];
	}
}

/* The strings kept between a syscall's entry and exit (struct
 * kept_strings): slot i is tid's while slot[i].tid says so. */
static int slot_of(const struct kept_strings *k, pid_t tid)
{
	for (int i = 0; i < STR_SLOTS; i++)
		if (k->slot[i].tid == tid)
			return i;
	return -1;
}

static void keep_str(void *ctx, uint64_t addr, const char *s, size_t len)
{
	struct mem_ctx *m = ctx;
	struct kept_strings *k = m->kept;
	if (m->phase != MEM_ENTRY || !k || len >= STR_MAX)
		return;
	int i = slot_of(k, m->tid);
	if (i < 0) {
		i = (int)(k->next_victim++ % STR_SLOTS);
		k->slot[i].tid = m->tid;
		k->slot[i].n = 0;
	}
	if (k->slot[i].n >= STR_PER_CALL)
		return;
	struct kept_str *kept = &k->slot[i].str[k->slot[i].n++];
	kept->addr = addr;
	kept->len = len;
	memcpy(kept->s, s, len + 1);
}

static ssize_t recall_str(void *ctx, uint64_t addr, char *dst, size_t cap)
{
	struct mem_ctx *m = ctx;
	struct kept_strings *k = m->kept;
	int i = m->phase == MEM_EXIT && k ? slot_of(k, m->tid) : -1;
	for (unsigned j = 0; i >= 0 && j < k->slot[i].n; j++) {
		const struct kept_str *kept = &k->slot[i].str[j];
		if (kept->addr == addr && kept->len < cap) {
			memcpy(dst, kept->s, kept->len + 1);
			return (ssize_t)kept->len;
		}
	}
	return -1;
}

void mem_rename(struct kept_strings *k, pid_t from, pid_t to)
{
	mem_release(k, to);
	int i = slot_of(k, from);
	if (i >= 0)
		k->slot[i].tid = to;
}

void mem_release(struct kept_strings *k, pid_t tid)
{
	int i = slot_of(k, tid);
	if (i >= 0)
		k->slot[i].tid = 0;
}

const struct tracee_mem *mem_reader_init(struct mem_reader *r, struct kept_strings *kept, pid_t tid,
                                         enum mem_phase phase)
{
	r->ctx = (struct mem_ctx){ .tid = tid, .phase = phase, .kept = kept };
	r->mem = (struct tracee_mem){
		.ctx = &r->ctx,
		.read = vm_read,
		.recall_str = recall_str,
		.keep_str = keep_str,
		.readv = vm_readv,
	};
	return &r->mem;
}

int mem_write(pid_t tid, uint64_t addr, const void *src, size_t len)
{
	struct iovec local = { (void *)src, len }, remote = { (void *)addr, len };
	if (process_vm_writev(tid, &local, 1, &remote, 1, 0) == (ssize_t)len)
		return 0;
	/* POKEDATA fallback, word by word (len must be a multiple of 8);
	 * it also writes a read-only page, as a debugger sets a breakpoint */
	for (size_t off = 0; off + 8 <= len; off += 8) {
		long word;
		memcpy(&word, (const char *)src + off, 8);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(addr + off), (void *)word) < 0)
			return -1;
	}
	return 0;
}
