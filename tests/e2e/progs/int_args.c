/* Syscalls whose int arguments (pids, fds, poll's timeout) come with
 * garbage in the upper 32 bits of the register, as a hand-made call may
 * load them: the kernel reads the low 32 bits, the 1.0.0 driver writes
 * some of them whole. Every call fails harmlessly (no such pid or fd) or
 * returns at once; prints "ok" when done. */
#include <stdint.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

/* low 32 bits: 2147483632, a pid and an fd that do not exist */
#define HI_PID 0xffffffff7ffffff0ull
#define HI_FD 0xfffffffe7ffffff1ull
#define PTRACE_KILL_REQ 8
#define SOL_SOCKET_LVL 1
#define SO_REUSEADDR_OPT 2
#define TIOCGWINSZ_REQ 0x5413

int main(void)
{
	int one = 1, len = 4;
	syscall(SYS_kill, HI_PID, 0);
	syscall(SYS_tkill, HI_PID, 0);
	syscall(SYS_tgkill, HI_PID, HI_PID + 1, 0);
	syscall(SYS_setpgid, HI_PID, 0xffffffff00000000ull);
	syscall(SYS_prlimit64, HI_PID, 7, 0, 0);
	syscall(SYS_ptrace, PTRACE_KILL_REQ, HI_PID, 0, 0);
	syscall(SYS_setns, HI_FD, 0);
	/* a dirfd that is no fd, then AT_FDCWD (-100) in the low 32 bits only */
	syscall(SYS_execveat, HI_FD, "pdig-int-args-none", 0, 0, 0);
	syscall(SYS_execveat, 0x00000000ffffff9cull, "/pdig-int-args-none", 0, 0, 0);
	syscall(SYS_ioctl, HI_FD, TIOCGWINSZ_REQ, 0);
	/* timeout 0 to the kernel: returns at once */
	syscall(SYS_poll, 0, 0, 0xffffffff00000000ull);
	syscall(SYS_setsockopt, HI_FD, SOL_SOCKET_LVL, SO_REUSEADDR_OPT, &one, 4);
	syscall(SYS_getsockopt, HI_FD, SOL_SOCKET_LVL, SO_REUSEADDR_OPT, &one, &len);
	puts("ok");
	return 0;
}
