/* Builds a classic-BPF seccomp program: RET_TRACE for the chosen x86-64
 * syscalls, ALLOW for the rest. Syscalls of other ABIs (int 0x80, x32) are
 * always traced, so a tracee cannot slip past by switching ABI. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "procfs/procfs.h"
#include "abi/kernel_abi.h"
#include "tracer/seccomp.h"
#include "tracer_internal.h"

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter){ code, jt, jf, k };
}

/* Layout: check the ABI, then one jeq per traced syscall, each jumping
 * forward to the final RET_TRACE, then one jeq per syscall stopped only
 * for some argument values, jumping to a check of that argument; falling
 * through reaches RET_ALLOW. A check either traces when the argument is
 * non-zero (both halves), or when its low word has one of mask's bits. */
#define MAX_COND 6
#define COND_LEN 5      /* the longest check */
#define COND_BITS_LEN 3

struct cond {
	int nr, arg;
	uint32_t mask; /* 0: the argument is non-zero */
};

static int cond_len(const struct cond *c)
{
	return c->mask ? COND_BITS_LEN : COND_LEN;
}

int seccomp_build(const struct syscall_set *set, struct sock_filter *f, int cap)
{
	/* clone and clone3 always stop, so CLONE_UNTRACED can be cleared;
	 * so do the few calls that make cached process state stale */
	struct syscall_set s = *set;
	s.on[SYS_clone] = s.on[SYS_clone3] = 1;
	/* and those that could switch pdig off (guard.c) */
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (guard_always_stops((uint64_t)nr))
			s.on[nr] = 1;
	struct cond cond[MAX_COND];
	int ncond = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (s.on[nr])
			continue;
		int arg = -1;
		uint32_t mask = 0;
		if (procfs_watched((uint64_t)nr))
			arg = procfs_watched_arg((uint64_t)nr);
		else if (!guard_stops_for_flags((uint64_t)nr, &arg, &mask))
			continue;
		if (arg >= 0 && arg < 6 && ncond < MAX_COND)
			cond[ncond++] = (struct cond){ nr, arg, mask };
		else
			s.on[nr] = 1;
	}
	set = &s;
	int count = 0, checks = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		count += set->on[nr] != 0;
	for (int k = 0; k < ncond; k++)
		checks += cond_len(&cond[k]);
	int total = 4 + count + ncond + 1 + checks + 1;
	/* relative jumps are 8 bits wide */
	if (total > cap || total - 3 > 255) /* the longest: from the ABI check to the end */
		return -1;
	int i = 0;
	int trace = total - 1;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_ARCH);
	f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, PDIG_AUDIT_ARCH_X86_64, 0, (uint8_t)(trace - i - 1));
	i++;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_NR);
	f[i] = jump(BPF_JMP | BPF_JGE | BPF_K, PDIG_X32_SYSCALL_BIT, (uint8_t)(trace - i - 1), 0);
	i++;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (!set->on[nr])
			continue;
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, (uint8_t)(trace - i - 1), 0);
		i++;
	}
	int check = i + ncond + 1;
	for (int k = 0; k < ncond; k++) {
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cond[k].nr, (uint8_t)(check - i - 1), 0);
		i++;
		check += cond_len(&cond[k]);
	}
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
	for (int k = 0; k < ncond; k++) {
		uint32_t lo = PDIG_SECCOMP_DATA_ARGS + 8 * (uint32_t)cond[k].arg;
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo);
		if (cond[k].mask) {
			/* one of the bits set: trace; else allow */
			f[i] = jump(BPF_JMP | BPF_JSET | BPF_K, cond[k].mask, (uint8_t)(trace - i - 1), 0);
			i++;
		} else {
			/* both halves of the argument zero: allow; else trace */
			f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint8_t)(trace - i - 1));
			i++;
			f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo + 4);
			f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint8_t)(trace - i - 1));
			i++;
		}
		f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
	}
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	return i;
}

int seccomp_install(const struct syscall_set *set)
{
	struct sock_filter insns[8 + PDIG_SYSCALL_MAX + (1 + COND_LEN) * MAX_COND];
	int n = seccomp_build(set, insns, (int)(sizeof insns / sizeof *insns));
	if (n < 0) {
		errno = E2BIG;
		return -1;
	}
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	return (int)syscall(PDIG_NR_seccomp, PDIG_SECCOMP_SET_MODE_FILTER, 0, &prog);
}
