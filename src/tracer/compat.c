/* Syscalls made through the other x86 ABIs. A 32-bit program (or a
 * hostile one using int 0x80) reaches the kernel with i386 numbers; those
 * whose arguments are laid out as on x86-64 (ints, fds, paths, flags,
 * sockaddrs) are mapped to their x86-64 twin and encoded as such. The rest
 * of the i386 variants of traced syscalls cannot be encoded and are
 * counted, so pdig can say so instead of losing them silently. Numbers
 * from the kernel's uapi unistd_32.h / unistd_64.h. */
#include "abi/kernel_abi.h"
#include "tracer_internal.h"

/* i386 number -> x86-64 number + 1 (0 = no twin) */
static const uint16_t i386_twin[512] = {
	[2] = SYS_fork + 1,
	[5] = SYS_open + 1,
	[6] = SYS_close + 1,
	[8] = SYS_creat + 1,
	[9] = SYS_link + 1,
	[10] = SYS_unlink + 1,
	[11] = SYS_execve + 1,
	[12] = SYS_chdir + 1,
	[15] = SYS_chmod + 1,
	[21] = SYS_mount + 1,
	[26] = SYS_ptrace + 1,
	[37] = SYS_kill + 1,
	[38] = SYS_rename + 1,
	[39] = SYS_mkdir + 1,
	[40] = SYS_rmdir + 1,
	[41] = SYS_dup + 1,
	[42] = SYS_pipe + 1,
	[52] = SYS_umount2 + 1,
	[57] = SYS_setpgid + 1,
	[61] = SYS_chroot + 1,
	[63] = SYS_dup2 + 1,
	[66] = SYS_setsid + 1,
	[83] = SYS_symlink + 1,
	[94] = SYS_fchmod + 1,
	[120] = SYS_clone + 1,
	[133] = SYS_fchdir + 1,
	[190] = SYS_vfork + 1,
	[208] = SYS_setresuid + 1, /* setresuid32 */
	[210] = SYS_setresgid + 1, /* setresgid32 */
	[213] = SYS_setuid + 1, /* setuid32 */
	[214] = SYS_setgid + 1, /* setgid32 */
	[238] = SYS_tkill + 1,
	[270] = SYS_tgkill + 1,
	[291] = SYS_inotify_init + 1,
	[295] = SYS_openat + 1,
	[296] = SYS_mkdirat + 1,
	[301] = SYS_unlinkat + 1,
	[302] = SYS_renameat + 1,
	[303] = SYS_linkat + 1,
	[304] = SYS_symlinkat + 1,
	[306] = SYS_fchmodat + 1,
	[310] = SYS_unshare + 1,
	[322] = SYS_timerfd_create + 1,
	[323] = SYS_eventfd + 1,
	[328] = SYS_eventfd2 + 1,
	[330] = SYS_dup3 + 1,
	[331] = SYS_pipe2 + 1,
	[332] = SYS_inotify_init1 + 1,
	[346] = SYS_setns + 1,
	[353] = SYS_renameat2 + 1,
	[354] = SYS_seccomp + 1,
	[357] = SYS_bpf + 1,
	[358] = SYS_execveat + 1,
	[359] = SYS_socket + 1,
	[360] = SYS_socketpair + 1,
	[361] = SYS_bind + 1,
	[362] = SYS_connect + 1,
	[363] = SYS_listen + 1,
	[364] = SYS_accept4 + 1,
	[369] = SYS_sendto + 1,
	[371] = SYS_recvfrom + 1,
	[373] = SYS_shutdown + 1,
	[374] = SYS_userfaultfd + 1,
	[435] = SYS_clone3 + 1,
	[437] = SYS_openat2 + 1,
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
