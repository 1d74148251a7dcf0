/* Native -> PPM conversion tables for the net, process and misc encoders
 * (values from the consumer's ppm_events_public.h, x86-64 native side),
 * in the flag_map format of flags.h. flags.h holds the file and fd ones. */
#ifndef PDIG_NETFLAGS_H
#define PDIG_NETFLAGS_H

#include "events/flags.h"

/* Bit tables: flags_to_ppm(); value tables: flag_value(). */
extern const struct flag_map clone_flags_map[];    /* CLONE_* -> PPM_CL_* */
extern const struct flag_map prot_flags_map[];     /* PROT_* -> PPM_PROT_* */
extern const struct flag_map mmap_flags_map[];     /* MAP_* -> PPM_MAP_* */
extern const struct flag_map poll_flags_map[];     /* POLL* -> PPM_POLL* */
extern const struct flag_map execveat_flags_map[]; /* AT_* -> PPM_EXVAT_* */
extern const struct flag_map semop_flags_map[];    /* IPC_NOWAIT/SEM_UNDO */
extern const struct flag_map semget_flags_map[];   /* IPC_CREAT/IPC_EXCL */

extern const struct flag_map sock_family_map[];    /* AF_* -> PPM_AF_* (0 unknown) */
extern const struct flag_map sockopt_level_map[];  /* SOL_* -> PPM_SOCKOPT_LEVEL_* */
extern const struct flag_map sockopt_name_map[];   /* SO_* -> PPM_SOCKOPT_SO_* */
extern const struct flag_map ptrace_req_map[];     /* PTRACE_* -> PPM_PTRACE_* */
extern const struct flag_map rlimit_map[];         /* RLIMIT_* -> PPM_RLIMIT_* */
extern const struct flag_map futex_op_map[];       /* FUTEX_* cmd -> PPM_FU_* */
extern const struct flag_map semctl_cmd_map[];     /* IPC_STAT... -> PPM_* */

/* PPM values the encoders name directly. */
enum {
	NF_CL_CHILD_IN_PIDNS = 1u << 29,
	NF_EXE_WRITABLE = 1u << 0,
	NF_EXE_UPPER_LAYER = 1u << 1,
	NF_EXE_FROM_MEMFD = 1u << 2,
	NF_EXE_LOWER_LAYER = 1u << 3,
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
