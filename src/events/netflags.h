/* Native -> PPM conversion tables for the net, process and misc encoders
 * (values from the consumer's ppm_events_public.h, x86-64 native side).
 * Kept apart from flags.[ch] because those did not exist yet when these
 * were written; the two can be merged. */
#ifndef PDIG_NETFLAGS_H
#define PDIG_NETFLAGS_H

#include <stddef.h>
#include <stdint.h>

/* One bit (or bit group) of a flags word. */
struct nf_bit {
	uint64_t native;
	uint32_t ppm;
};
/* One value of an enumeration. */
struct nf_val {
	int64_t native;
	uint32_t ppm;
};
struct nf_bits {
	const struct nf_bit *t;
	size_t n;
};
struct nf_vals {
	const struct nf_val *t;
	size_t n;
};

/* OR of the ppm bits whose native bits are all set; unknown bits dropped. */
uint32_t nf_bits_map(const struct nf_bits *m, uint64_t native);
/* ppm value of native, dflt when it is not in the table. */
uint32_t nf_val_map(const struct nf_vals *m, int64_t native, uint32_t dflt);

extern const struct nf_bits nf_clone_flags;    /* CLONE_* -> PPM_CL_* */
extern const struct nf_bits nf_prot_flags;     /* PROT_* -> PPM_PROT_* */
extern const struct nf_bits nf_mmap_flags;     /* MAP_* -> PPM_MAP_* */
extern const struct nf_bits nf_poll_flags;     /* POLL* -> PPM_POLL* */
extern const struct nf_bits nf_execveat_flags; /* AT_* -> PPM_EXVAT_* */
extern const struct nf_bits nf_semop_flags;    /* IPC_NOWAIT/SEM_UNDO */
extern const struct nf_bits nf_semget_flags;   /* IPC_CREAT/IPC_EXCL */
extern const struct nf_bits nf_access_flags;   /* X_OK/W_OK/R_OK */

extern const struct nf_vals nf_sock_family;    /* AF_* -> PPM_AF_* (0 unknown) */
extern const struct nf_vals nf_sockopt_level;  /* SOL_* -> PPM_SOCKOPT_LEVEL_* */
extern const struct nf_vals nf_sockopt_name;   /* SO_* -> PPM_SOCKOPT_SO_* */
extern const struct nf_vals nf_ptrace_req;     /* PTRACE_* -> PPM_PTRACE_* */
extern const struct nf_vals nf_rlimit;         /* RLIMIT_* -> PPM_RLIMIT_* */
extern const struct nf_vals nf_futex_op;       /* FUTEX_* cmd -> PPM_FU_* */
extern const struct nf_vals nf_semctl_cmd;     /* IPC_STAT... -> PPM_* */

/* PPM values the encoders name directly. */
enum {
	NF_CL_CHILD_IN_PIDNS = 1u << 29,
	NF_EXE_WRITABLE = 1u << 0,
	NF_RLIMIT_UNKNOWN = 255,
	NF_PTRACE_PEEKTEXT = 2, NF_PTRACE_PEEKDATA = 3, NF_PTRACE_PEEKUSR = 4,
	NF_PTRACE_CONT = 8, NF_PTRACE_SINGLESTEP = 10, NF_PTRACE_DETACH = 12,
	NF_PTRACE_SYSCALL = 13,
	NF_FU_PRIVATE_FLAG = 128, NF_FU_CLOCK_REALTIME = 256,
};

/* Dynamic-table indexes (docs/scap-event.md §6). */
enum {
	NF_SOCKOPT_IDX_BYTES = 0, NF_SOCKOPT_IDX_ERRNO = 1, NF_SOCKOPT_IDX_UINT32 = 2,
	NF_SOCKOPT_IDX_UINT64 = 3, NF_SOCKOPT_IDX_TIMEVAL = 4,
	NF_PTRACE_IDX_UINT64 = 0, NF_PTRACE_IDX_SIGTYPE = 1,
	NF_BPF_IDX_FD = 0, NF_BPF_IDX_RES = 1,
};

#endif
