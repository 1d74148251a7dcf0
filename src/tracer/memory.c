/* Reads tracee memory for the encoders: process_vm_readv, with a
 * PTRACE_PEEKDATA fallback for when the kernel refuses it (e.g. an LSM that
 * allows ptrace but not process_vm_readv). */
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>

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

static ssize_t vm_read(void *ctx, uint64_t addr, void *dst, size_t len)
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
	ssize_t total = m->peek_only ? -1 : process_vm_readv(m->tid, local, n, remote, n, 0);
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

/* Strings read at a syscall's entry, per thread, for its exit event. A few
 * slots suffice: a slot is only needed between one thread's entry and exit;
 * an evicted one just means the exit reads the string again. */
#define STR_SLOTS 8
#define STR_PER_CALL 2
#define STR_MAX 4096

struct kept_str {
	uint64_t addr;
	size_t len;
	char s[STR_MAX];
};

static struct {
	pid_t tid;
	unsigned n;
	struct kept_str str[STR_PER_CALL];
} slots[STR_SLOTS];
static unsigned next_victim;

static int slot_of(pid_t tid)
{
	for (int i = 0; i < STR_SLOTS; i++)
		if (slots[i].tid == tid)
			return i;
	return -1;
}

static void keep_str(void *ctx, uint64_t addr, const char *s, size_t len)
{
	struct mem_ctx *m = ctx;
	if (m->phase != MEM_ENTRY || len >= STR_MAX)
		return;
	int i = slot_of(m->tid);
	if (i < 0) {
		i = (int)(next_victim++ % STR_SLOTS);
		slots[i].tid = m->tid;
		slots[i].n = 0;
	}
	if (slots[i].n >= STR_PER_CALL)
		return;
	struct kept_str *k = &slots[i].str[slots[i].n++];
	k->addr = addr;
	k->len = len;
	memcpy(k->s, s, len + 1);
}

static ssize_t recall_str(void *ctx, uint64_t addr, char *dst, size_t cap)
{
	struct mem_ctx *m = ctx;
	int i = m->phase == MEM_EXIT ? slot_of(m->tid) : -1;
	for (unsigned j = 0; i >= 0 && j < slots[i].n; j++) {
		struct kept_str *k = &slots[i].str[j];
		if (k->addr == addr && k->len < cap) {
			memcpy(dst, k->s, k->len + 1);
			return (ssize_t)k->len;
		}
	}
	return -1;
}

void mem_rename(pid_t from, pid_t to)
{
	mem_release(to);
	int i = slot_of(from);
	if (i >= 0)
		slots[i].tid = to;
}

void mem_release(pid_t tid)
{
	int i = slot_of(tid);
	if (i >= 0)
		slots[i].tid = 0;
}

void tracee_mem_init(struct tracee_mem *mem, struct mem_ctx *ctx)
{
	mem->ctx = ctx;
	mem->read = vm_read;
	mem->recall_str = recall_str;
	mem->keep_str = keep_str;
	mem->readv = vm_readv;
}
