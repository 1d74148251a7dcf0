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

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter){ code, jt, jf, k };
}

/* Layout: every test is followed closely by the return it leads to, so
 * no jump is long (their offsets are 8 bits wide) and any set fits, up to
 * every syscall (-a). First the ABI checks, then, for each syscall watched
 * only when an argument is non-zero, a check of that argument; then the
 * traced syscalls as ascending runs [a, b]: a number above b goes on to
 * the next run, one in [a, b] is traced, one below a (in the gap before
 * the run) is allowed at once. */
#define MAX_COND 4
#define COND_LEN 7
#define RUN_LEN 4

int seccomp_build(const struct syscall_set *set, struct sock_filter *f, int cap)
{
	/* clone and clone3 always stop, so CLONE_UNTRACED can be cleared;
	 * so do the few calls that make cached process state stale */
	struct syscall_set s = *set;
	s.on[SYS_clone] = s.on[SYS_clone3] = 1;
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
	int runs = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		runs += s.on[nr] && (nr == 0 || !s.on[nr - 1]);
	if (6 + COND_LEN * ncond + RUN_LEN * runs + 1 > cap)
		return -1;
	int i = 0;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_ARCH);
	f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, PDIG_AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_NR);
	f[i++] = jump(BPF_JMP | BPF_JGE | BPF_K, PDIG_X32_SYSCALL_BIT, 0, 1);
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	for (int k = 0; k < ncond; k++) {
		/* both halves of the argument zero: allow; else trace */
		uint32_t lo = PDIG_SECCOMP_DATA_ARGS + 8 * (uint32_t)cond_arg[k];
		f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cond_nr[k], 0, COND_LEN - 1);
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo);
		f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3);
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo + 4);
		f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
		f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
		f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	}
	for (int a = 0; a < PDIG_SYSCALL_MAX; a++) {
		if (!s.on[a])
			continue;
		int b = a;
		while (b + 1 < PDIG_SYSCALL_MAX && s.on[b + 1])
			b++;
		f[i++] = jump(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)b, RUN_LEN - 1, 0);
		f[i++] = jump(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)a, 0, 1);
		f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
		f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
		a = b;
	}
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
	return i;
}

int seccomp_install(const struct syscall_set *set)
{
	struct sock_filter insns[SECCOMP_MAX_INSNS];
	int n = seccomp_build(set, insns, (int)(sizeof insns / sizeof *insns));
	if (n < 0) {
		errno = E2BIG;
		return -1;
	}
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	return (int)syscall(PDIG_NR_seccomp, PDIG_SECCOMP_SET_MODE_FILTER, 0, &prog);
}
