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
 * forward to the final RET_TRACE, then one jeq per syscall watched only
 * when an argument is non-zero, jumping to a check of that argument;
 * falling through reaches RET_ALLOW. */
#define MAX_COND 4
#define COND_LEN 5

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
	int cond_nr[MAX_COND], cond_arg[MAX_COND], ncond = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (s.on[nr] || !procfs_watched((uint64_t)nr))
			continue;
		int arg = procfs_watched_arg((uint64_t)nr);
		if (arg >= 0 && arg < 6 && ncond < MAX_COND) {
			cond_nr[ncond] = nr;
			cond_arg[ncond++] = arg;
		} else {
			s.on[nr] = 1;
		}
	}
	set = &s;
	int count = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		count += set->on[nr] != 0;
	int total = 4 + count + ncond + 1 + COND_LEN * ncond + 1;
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
	int first_check = i + ncond + 1;
	for (int k = 0; k < ncond; k++) {
		int check = first_check + COND_LEN * k;
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cond_nr[k], (uint8_t)(check - i - 1), 0);
		i++;
	}
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
	for (int k = 0; k < ncond; k++) {
		/* both halves of the argument zero: allow; else trace */
		uint32_t lo = PDIG_SECCOMP_DATA_ARGS + 8 * (uint32_t)cond_arg[k];
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo);
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint8_t)(trace - i - 1));
		i++;
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo + 4);
		f[i] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, (uint8_t)(trace - i - 1));
		i++;
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
