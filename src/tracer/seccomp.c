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

/* Layout: every test is followed closely by the return it leads to, so
 * no jump is long (their offsets are 8 bits wide) and any set fits, up to
 * every syscall (-a). First the ABI checks, then, for each syscall stopped
 * only for some argument values, a check of that argument: traced when it
 * is non-zero (both halves), when its low word has one of mask's bits
 * (guard.c: opens that could write pdig's files), or when its low word is
 * in a range (guard.c: fcntl and ioctl commands that set a signal owner;
 * the kernel reads those commands as 32-bit). Then the traced
 * syscalls as ascending runs [a, b]: a number above b goes on to the next
 * run, one in [a, b] is traced, one below a (in the gap before the run) is
 * allowed at once. */
#define MAX_COND 8
#define COND_LEN 7       /* a non-zero check */
#define COND_BITS_LEN 5  /* a mask check */
#define COND_RANGE_LEN 6 /* a [first, last] check */
#define RUN_LEN 4

struct cond {
	int nr, arg;
	uint32_t mask; /* 0: the argument is non-zero */
	uint32_t first, last; /* last > 0: its low word is in [first, last] */
};

static int cond_len(const struct cond *c)
{
	return c->last ? COND_RANGE_LEN : c->mask ? COND_BITS_LEN : COND_LEN;
}

int seccomp_build(const struct syscall_set *set, struct sock_filter *f, int cap)
{
	/* clone and clone3 always stop, so no child can escape (untraced.c);
	 * so do the few calls that make cached process state stale */
	struct syscall_set s = *set;
	s.on[SYS_clone] = s.on[SYS_clone3] = 1;
	/* and those that could switch pdig off (guard.c) */
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (guard_always_stops((uint64_t)nr) || elide_watched(set, (uint64_t)nr))
			s.on[nr] = 1;
	struct cond cond[MAX_COND];
	int ncond = 0, checks = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (s.on[nr])
			continue;
		int arg = -1;
		uint32_t mask = 0, first = 0, last = 0;
		if (procfs_watched((uint64_t)nr))
			arg = procfs_watched_arg((uint64_t)nr);
		else if (!guard_stops_for_cmd((uint64_t)nr, &arg, &first, &last) &&
			 !guard_stops_for_flags((uint64_t)nr, &arg, &mask))
			continue;
		if (arg >= 0 && arg < 6 && ncond < MAX_COND) {
			cond[ncond] = (struct cond){ nr, arg, mask, first, last };
			checks += cond_len(&cond[ncond++]);
		} else {
			s.on[nr] = 1;
		}
	}
	int runs = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		runs += s.on[nr] && (nr == 0 || !s.on[nr - 1]);
	if (6 + checks + RUN_LEN * runs + 1 > cap)
		return -1;
	int i = 0;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_ARCH);
	f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, PDIG_AUDIT_ARCH_X86_64, 1, 0);
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_NR);
	f[i++] = jump(BPF_JMP | BPF_JGE | BPF_K, PDIG_X32_SYSCALL_BIT, 0, 1);
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	for (int k = 0; k < ncond; k++) {
		uint32_t lo = PDIG_SECCOMP_DATA_ARGS + 8 * (uint32_t)cond[k].arg;
		f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)cond[k].nr, 0, (uint8_t)(cond_len(&cond[k]) - 1));
		f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo);
		if (cond[k].last) {
			/* below first or above last: allow; else trace */
			f[i++] = jump(BPF_JMP | BPF_JGE | BPF_K, cond[k].first, 0, 1);
			f[i++] = jump(BPF_JMP | BPF_JGT | BPF_K, cond[k].last, 0, 1);
		} else if (cond[k].mask) {
			/* one of the bits set: trace; else allow */
			f[i++] = jump(BPF_JMP | BPF_JSET | BPF_K, cond[k].mask, 1, 0);
		} else {
			/* both halves of the argument zero: allow; else trace */
			f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3);
			f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, lo + 4);
			f[i++] = jump(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
		}
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
