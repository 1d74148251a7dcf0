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

void tracee_mem_init(struct tracee_mem *mem, struct mem_ctx *ctx)
{
	mem->ctx = ctx;
	mem->read = vm_read;
}
