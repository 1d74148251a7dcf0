/* Builds a classic-BPF seccomp program: RET_TRACE for the chosen x86-64
 * syscalls, ALLOW for the rest. Syscalls of other ABIs (int 0x80, x32) are
 * always traced, so a tracee cannot slip past by switching ABI. */
#include <errno.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../procfs/procfs.h"
#include "kernel_abi.h"
#include "seccomp.h"

void syscall_set_init(struct syscall_set *set, bool all)
{
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		set->on[nr] = all ? pdig_syscall_info(nr) != NULL : pdig_syscall_default(nr);
}

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter){ code, 0, 0, k };
}

static struct sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter){ code, jt, jf, k };
}

/* Layout: check the ABI, then one jeq per traced syscall, each jumping
 * forward to the final RET_TRACE; falling through reaches RET_ALLOW. */
int seccomp_build(const struct syscall_set *set, struct sock_filter *f, int cap)
{
	/* clone and clone3 always stop, so CLONE_UNTRACED can be cleared;
	 * so do the few calls that make cached process state stale */
	struct syscall_set s = *set;
	s.on[SYS_clone] = s.on[435] = 1;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (procfs_watched((uint64_t)nr))
			s.on[nr] = 1;
	set = &s;
	int count = 0;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		count += set->on[nr] != 0;
	int total = 4 + count + 2;
	/* relative jumps are 8 bits wide */
	if (total > cap || count + 3 > 255)
		return -1;
	int i = 0;
	f[i++] = stmt(BPF_LD | BPF_W | BPF_ABS, PDIG_SECCOMP_DATA_ARCH);
	int trace = total - 1;
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
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_ALLOW);
	f[i++] = stmt(BPF_RET | BPF_K, PDIG_SECCOMP_RET_TRACE);
	return i;
}

int seccomp_install(const struct syscall_set *set)
{
	static struct sock_filter insns[8 + PDIG_SYSCALL_MAX];
	int n = seccomp_build(set, insns, (int)(sizeof insns / sizeof *insns));
	if (n < 0) {
		errno = E2BIG;
		return -1;
	}
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = insns };
	return (int)syscall(PDIG_NR_seccomp, PDIG_SECCOMP_SET_MODE_FILTER, 0, &prog);
}
