/* Kernel ABI values pdig needs, named once for every layer (the bottom
 * layer: it includes nothing of pdig). The static build has no linux/
 * headers, so what libc may lack is defined here, with values from the
 * kernel's uapi headers. */
#ifndef PDIG_KERNEL_ABI_H
#define PDIG_KERNEL_ABI_H

#include <sched.h>
#include <stdint.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>

/* x86-64 syscall numbers newer than some libc headers */
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* clone flags (64 bits wide for clone3) */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ull
#endif

#ifndef PTRACE_SEIZE
#define PTRACE_SEIZE 0x4206
#endif
#ifndef PTRACE_INTERRUPT
#define PTRACE_INTERRUPT 0x4207
#endif
#ifndef PTRACE_LISTEN
#define PTRACE_LISTEN 0x4208
#endif
#ifndef PTRACE_GET_SYSCALL_INFO
#define PTRACE_GET_SYSCALL_INFO 0x420e
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#ifndef PTRACE_EVENT_SECCOMP
#define PTRACE_EVENT_SECCOMP 7
#endif
#ifndef PTRACE_O_TRACESECCOMP
#define PTRACE_O_TRACESECCOMP 0x80
#endif
#ifndef PTRACE_O_EXITKILL
#define PTRACE_O_EXITKILL 0x100000
#endif

#define PDIG_SYSCALL_INFO_NONE 0
#define PDIG_SYSCALL_INFO_ENTRY 1
#define PDIG_SYSCALL_INFO_EXIT 2
#define PDIG_SYSCALL_INFO_SECCOMP 3

struct pdig_syscall_info {
	uint8_t op;
	uint8_t pad[3];
	uint32_t arch;
	uint64_t instruction_pointer;
	uint64_t stack_pointer;
	union {
		struct { uint64_t nr; uint64_t args[6]; } entry;
		struct { int64_t rval; uint8_t is_error; } exit;
		struct { uint64_t nr; uint64_t args[6]; uint32_t ret_data; } seccomp;
	};
};

/* seccomp */
#define PDIG_SECCOMP_SET_MODE_FILTER 1
#define PDIG_SECCOMP_RET_ALLOW 0x7fff0000u
#define PDIG_SECCOMP_RET_TRACE 0x7ff00000u
#define PDIG_AUDIT_ARCH_X86_64 0xc000003eu
#define PDIG_AUDIT_ARCH_I386 0x40000003u
#define PDIG_X32_SYSCALL_BIT 0x40000000u
#define PDIG_NR_seccomp 317

/* offsets in struct seccomp_data */
#define PDIG_SECCOMP_DATA_NR 0
#define PDIG_SECCOMP_DATA_ARCH 4
#define PDIG_SECCOMP_DATA_ARGS 16 /* u64 args[6]; x86-64 is little-endian */

/* classic BPF */
struct sock_filter {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
struct sock_fprog {
	unsigned short len;
	struct sock_filter *filter;
};
#define BPF_LD 0x00
#define BPF_JMP 0x05
#define BPF_RET 0x06
#define BPF_W 0x00
#define BPF_ABS 0x20
#define BPF_JEQ 0x10
#define BPF_JGT 0x20
#define BPF_JGE 0x30
#define BPF_JSET 0x40
#define BPF_K 0x00

#endif
