/* Builds a classic-BPF seccomp program: RET_TRACE for the chosen x86-64
 * syscalls, ALLOW for the rest. Syscalls of other ABIs (int 0x80, x32) are
 * always traced, so a tracee cannot slip past by switching ABI. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel_abi.h"
#include "seccomp.h"

void syscall_set_init(struct syscall_set *set, bool all)
{
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		set->on[nr] = all ? pdig_syscall_info(nr) != NULL : pdig_syscall_default(nr);
}

#define MAX_INSNS (8 + 2 * PDIG_SYSCALL_MAX)

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter){ code, jt, jf, k };
}

struct prog {
	struct sock_filter f[MAX_INSNS];
	unsigned n;
};

static unsigned emit(struct prog *p, struct sock_filter ins)
{
	if (p->n < MAX_INSNS)
		p->f[p->n] = ins;
	return p->n++;
}

int seccomp_install(const struct syscall_set *set)
{
	static struct prog p;
	p.n = 0;
	uint16_t nrs[PDIG_SYSCALL_MAX];
	unsigned count = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (set->on[nr])
			nrs[count++] = (uint16_t)nr;

	emit(&p, stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_ARCH));
	unsigned arch_jmp = emit(&p, jump(BPF_JMP | BPF_JEQ | BPF_K, PDIG_AUDIT_ARCH_X86_64, 0, 0));
	emit(&p, stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_NR));
	unsigned x32_jmp = emit(&p, jump(BPF_JMP | BPF_JGE | BPF_K, PDIG_X32_SYSCALL_BIT, 0, 0));
	/* A linear run of jeq's; each jumps forward to the TRACE return.
	 * Offsets are fixed up once the end is known. */
	unsigned first = p.n;
	for (unsigned i = 0; i < count; i++)
		emit(&p, jump(BPF_JMP | BPF_JEQ | BPF_K, nrs[i], 0, 0));
	unsigned allow = emit(&p, stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW));
	unsigned trace = emit(&p, stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE));
	if (p.n > MAX_INSNS || trace - first > 255 + count) {
		errno = E2BIG;
		return -1;
	}
	for (unsigned i = first; i < first + count; i++) {
		unsigned off = trace - i - 1;
		if (off > 255) {
			errno = E2BIG;
			return -1;
		}
		p.f[i].jt = (uint8_t)off;
	}
	p.f[arch_jmp].jt = 0;
	p.f[arch_jmp].jf = (uint8_t)(trace - arch_jmp - 1);
	p.f[x32_jmp].jt = (uint8_t)(trace - x32_jmp - 1);
	p.f[x32_jmp].jf = 0;
	(void)allow;

	struct sock_fprog prog = { .len = (unsigned short)p.n, .filter = p.f };
	return (int)syscall(PDIG_NR_seccomp, PDIG_SECCOMP_SET_MODE_FILTER, 0, &prog);
}
