/* Syscalls made through the other x86 ABIs. A 32-bit program (or a
 * hostile one using int 0x80) reaches the kernel with i386 numbers; those
 * whose arguments are laid out as on x86-64 (ints, fds, paths, flags,
 * sockaddrs) are mapped to their x86-64 twin and encoded as such. The rest
 * of the i386 variants of traced syscalls cannot be encoded and are
 * counted, so pdig can say so instead of losing them silently. Numbers
 * from the kernel's uapi unistd_32.h / unistd_64.h. */
#include "kernel_abi.h"
#include "tracer_internal.h"

/* i386 number -> x86-64 number + 1 (0 = no twin) */
static const uint16_t i386_twin[512] = {
	[2] = 57 + 1, /* fork */
	[5] = 2 + 1, /* open */
	[6] = 3 + 1, /* close */
	[8] = 85 + 1, /* creat */
	[9] = 86 + 1, /* link */
	[10] = 87 + 1, /* unlink */
	[11] = 59 + 1, /* execve */
	[12] = 80 + 1, /* chdir */
	[15] = 90 + 1, /* chmod */
	[21] = 165 + 1, /* mount */
	[26] = 101 + 1, /* ptrace */
	[37] = 62 + 1, /* kill */
	[38] = 82 + 1, /* rename */
	[39] = 83 + 1, /* mkdir */
	[40] = 84 + 1, /* rmdir */
	[41] = 32 + 1, /* dup */
	[42] = 22 + 1, /* pipe */
	[52] = 166 + 1, /* umount2 */
	[57] = 109 + 1, /* setpgid */
	[61] = 161 + 1, /* chroot */
	[63] = 33 + 1, /* dup2 */
	[66] = 112 + 1, /* setsid */
	[83] = 88 + 1, /* symlink */
	[94] = 91 + 1, /* fchmod */
	[120] = 56 + 1, /* clone */
	[133] = 81 + 1, /* fchdir */
	[190] = 58 + 1, /* vfork */
	[208] = 117 + 1, /* setresuid32 -> setresuid */
	[210] = 119 + 1, /* setresgid32 -> setresgid */
	[213] = 105 + 1, /* setuid32 -> setuid */
	[214] = 106 + 1, /* setgid32 -> setgid */
	[238] = 200 + 1, /* tkill */
	[270] = 234 + 1, /* tgkill */
	[291] = 253 + 1, /* inotify_init */
	[295] = 257 + 1, /* openat */
	[296] = 258 + 1, /* mkdirat */
	[301] = 263 + 1, /* unlinkat */
	[302] = 264 + 1, /* renameat */
	[303] = 265 + 1, /* linkat */
	[304] = 266 + 1, /* symlinkat */
	[306] = 268 + 1, /* fchmodat */
	[310] = 272 + 1, /* unshare */
	[322] = 283 + 1, /* timerfd_create */
	[323] = 284 + 1, /* eventfd */
	[328] = 290 + 1, /* eventfd2 */
	[330] = 292 + 1, /* dup3 */
	[331] = 293 + 1, /* pipe2 */
	[332] = 294 + 1, /* inotify_init1 */
	[346] = 308 + 1, /* setns */
	[353] = 316 + 1, /* renameat2 */
	[354] = 317 + 1, /* seccomp */
	[357] = 321 + 1, /* bpf */
	[358] = 322 + 1, /* execveat */
	[359] = 41 + 1, /* socket */
	[360] = 53 + 1, /* socketpair */
	[361] = 49 + 1, /* bind */
	[362] = 42 + 1, /* connect */
	[363] = 50 + 1, /* listen */
	[364] = 288 + 1, /* accept4 */
	[369] = 44 + 1, /* sendto */
	[371] = 45 + 1, /* recvfrom */
	[373] = 48 + 1, /* shutdown */
	[374] = 323 + 1, /* userfaultfd */
	[435] = 435 + 1, /* clone3 */
	[437] = 437 + 1, /* openat2 */
};

/* i386-only forms of traced calls, with no x86-64 twin: socketcall, and
 * the 16-bit-id set*id calls. */
static bool i386_untwinned_traced(uint64_t nr)
{
	return nr == 102 || nr == 23 || nr == 46 || nr == 164 || nr == 170;
}

uint64_t compat_native_nr(uint32_t arch, uint64_t nr, uint64_t *unrecorded)
{
	if (arch == PDIG_AUDIT_ARCH_X86_64) {
		if (nr & PDIG_X32_SYSCALL_BIT) {
			/* x32 shares x86-64's numbers below 512 */
			nr &= ~(uint64_t)PDIG_X32_SYSCALL_BIT;
			return nr < 512 ? nr : COMPAT_NONE;
		}
		return nr;
	}
	if (arch == PDIG_AUDIT_ARCH_I386 && nr < 512 && i386_twin[nr])
		return i386_twin[nr] - 1u;
	if (arch == PDIG_AUDIT_ARCH_I386 && i386_untwinned_traced(nr))
		(*unrecorded)++;
	return COMPAT_NONE;
}
