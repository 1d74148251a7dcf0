/* Conversion tables; see netflags.h. Native values are the x86-64 Linux
 * ABI ones: the clone bits by their kernel_abi.h names, the rest written
 * as numbers so that glibc and musl builds agree. Every native bit here is
 * a single bit, so FM_ANY means "that bit is set". */
#include "abi/kernel_abi.h"
#include "netflags.h"

const struct flag_map clone_flags_map[] = {
	FM_ANY(CLONE_FILES, 1u << 0),
	FM_ANY(CLONE_FS, 1u << 1),
	FM_ANY(CLONE_IO, 1u << 2),
	FM_ANY(CLONE_NEWIPC, 1u << 3),
	FM_ANY(CLONE_NEWNET, 1u << 4),
	FM_ANY(CLONE_NEWNS, 1u << 5),
	FM_ANY(CLONE_NEWPID, 1u << 6),
	FM_ANY(CLONE_NEWUTS, 1u << 7),
	FM_ANY(CLONE_PARENT, 1u << 8),
	FM_ANY(CLONE_PARENT_SETTID, 1u << 9),
	FM_ANY(CLONE_PTRACE, 1u << 10),
	FM_ANY(CLONE_SIGHAND, 1u << 11),
	FM_ANY(CLONE_SYSVSEM, 1u << 12),
	FM_ANY(CLONE_THREAD, 1u << 13),
	FM_ANY(CLONE_UNTRACED, 1u << 14),
	FM_ANY(CLONE_VM, 1u << 15),
	FM_ANY(CLONE_NEWUSER, 1u << 20),
	FM_ANY(CLONE_CHILD_CLEARTID, 1u << 23),
	FM_ANY(CLONE_CHILD_SETTID, 1u << 24),
	FM_ANY(CLONE_SETTLS, 1u << 25),
	FM_ANY(CLONE_VFORK, 1u << 27),
	FM_ANY(CLONE_NEWCGROUP, 1u << 28), /* old CLONE_STOPPED bit */
	FM_END,
};

const struct flag_map prot_flags_map[] = {
	FM_ANY(0x1, 1u << 0),        /* PROT_READ */
	FM_ANY(0x2, 1u << 1),        /* PROT_WRITE */
	FM_ANY(0x4, 1u << 2),        /* PROT_EXEC */
	FM_ANY(0x8, 1u << 3),        /* PROT_SEM */
	FM_ANY(0x01000000, 1u << 4), /* PROT_GROWSDOWN */
	FM_ANY(0x02000000, 1u << 5), /* PROT_GROWSUP */
	FM_END,
};

const struct flag_map mmap_flags_map[] = {
	FM_ANY(0x01, 1u << 0),     /* MAP_SHARED */
	FM_ANY(0x02, 1u << 1),     /* MAP_PRIVATE */
	FM_ANY(0x10, 1u << 2),     /* MAP_FIXED */
	FM_ANY(0x20, 1u << 3),     /* MAP_ANONYMOUS */
	FM_ANY(0x40, 1u << 4),     /* MAP_32BIT */
	FM_ANY(0x4000, 1u << 6),   /* MAP_NORESERVE */
	FM_ANY(0x8000, 1u << 7),   /* MAP_POPULATE */
	FM_ANY(0x10000, 1u << 8),  /* MAP_NONBLOCK */
	FM_ANY(0x0100, 1u << 9),   /* MAP_GROWSDOWN */
	FM_ANY(0x0800, 1u << 10),  /* MAP_DENYWRITE */
	FM_ANY(0x1000, 1u << 11),  /* MAP_EXECUTABLE */
	FM_ANY(0x2000, 1u << 14),  /* MAP_LOCKED; MAP_FILE is 0 on Linux */
	FM_END,
};

const struct flag_map poll_flags_map[] = {
	FM_ANY(0x001, 1u << 0),  /* POLLIN */
	FM_ANY(0x002, 1u << 1),  /* POLLPRI */
	FM_ANY(0x004, 1u << 2),  /* POLLOUT */
	FM_ANY(0x2000, 1u << 3), /* POLLRDHUP */
	FM_ANY(0x008, 1u << 4),  /* POLLERR */
	FM_ANY(0x010, 1u << 5),  /* POLLHUP */
	FM_ANY(0x020, 1u << 6),  /* POLLNVAL */
	FM_ANY(0x040, 1u << 7),  /* POLLRDNORM */
	FM_ANY(0x080, 1u << 8),  /* POLLRDBAND */
	FM_ANY(0x100, 1u << 9),  /* POLLWRNORM */
	FM_ANY(0x200, 1u << 10), /* POLLWRBAND */
	FM_END,
};

const struct flag_map execveat_flags_map[] = {
	FM_ANY(0x1000, 1u << 0), /* AT_EMPTY_PATH */
	FM_ANY(0x100, 1u << 1),  /* AT_SYMLINK_NOFOLLOW */
	FM_END,
};

const struct flag_map semop_flags_map[] = {
	FM_ANY(0x800, 1u << 0),  /* IPC_NOWAIT */
	FM_ANY(0x1000, 1u << 1), /* SEM_UNDO */
	FM_END,
};

const struct flag_map semget_flags_map[] = {
	FM_ANY(0x200, 1u << 13), /* IPC_CREAT */
	FM_ANY(0x400, 1u << 14), /* IPC_EXCL */
	FM_END,
};


/* PPM_AF_* reuse the Linux numbers; the table lists the families the
 * consumer names, anything else is PPM_AF_UNSPEC. */
const struct flag_map sock_family_map[] = {
	FM_IS(0, 0), FM_IS(1, 1), FM_IS(2, 2), FM_IS(3, 3), FM_IS(4, 4), FM_IS(5, 5), FM_IS(6, 6),
	FM_IS(7, 7), FM_IS(8, 8), FM_IS(9, 9), FM_IS(10, 10), FM_IS(11, 11), FM_IS(12, 12),
	FM_IS(13, 13), FM_IS(14, 14), FM_IS(15, 15), FM_IS(16, 16), FM_IS(17, 17), FM_IS(18, 18),
	FM_IS(19, 19), FM_IS(20, 20), FM_IS(21, 21), FM_IS(22, 22), FM_IS(23, 23), FM_IS(24, 24),
	FM_IS(25, 25), FM_IS(26, 26), FM_IS(29, 29), FM_IS(30, 30), FM_IS(31, 31), FM_IS(32, 32),
	FM_IS(33, 33), FM_IS(34, 34), FM_IS(35, 35), FM_IS(36, 36), FM_IS(37, 37), FM_IS(38, 38),
	FM_IS(39, 39),
	FM_END,
};

const struct flag_map sockopt_level_map[] = {
	FM_IS(1, 1), /* SOL_SOCKET */
	FM_IS(6, 2), /* SOL_TCP */
	FM_END,
};

/* SO_* 1..50 have the same PPM numbers; the later ones were renumbered. */
const struct flag_map sockopt_name_map[] = {
	FM_IS(1, 1), FM_IS(2, 2), FM_IS(3, 3), FM_IS(4, 4), FM_IS(5, 5), FM_IS(6, 6), FM_IS(7, 7),
	FM_IS(8, 8), FM_IS(9, 9), FM_IS(10, 10), FM_IS(11, 11), FM_IS(12, 12), FM_IS(13, 13),
	FM_IS(14, 14), FM_IS(15, 15), FM_IS(16, 16), FM_IS(17, 17), FM_IS(18, 18), FM_IS(19, 19),
	FM_IS(20, 20), FM_IS(21, 21), FM_IS(22, 22), FM_IS(23, 23), FM_IS(24, 24), FM_IS(25, 25),
	FM_IS(26, 26), FM_IS(27, 27), FM_IS(28, 28), FM_IS(29, 29), FM_IS(30, 30), FM_IS(31, 31),
	FM_IS(32, 32), FM_IS(33, 33), FM_IS(34, 34), FM_IS(35, 35), FM_IS(36, 36), FM_IS(37, 37),
	FM_IS(38, 38), FM_IS(39, 39), FM_IS(40, 40), FM_IS(41, 41), FM_IS(42, 42), FM_IS(43, 43),
	FM_IS(44, 44), FM_IS(45, 45), FM_IS(46, 46), FM_IS(47, 47), FM_IS(48, 48), FM_IS(49, 49),
	FM_IS(50, 50),
	FM_IS(59, 51), /* SO_PEERGROUPS */
	FM_IS(55, 52), /* SO_MEMINFO */
	FM_IS(57, 53), /* SO_COOKIE */
	FM_END,
};

const struct flag_map ptrace_req_map[] = {
	FM_IS(0, 1),   /* TRACEME */
	FM_IS(1, 2),   /* PEEKTEXT */
	FM_IS(2, 3),   /* PEEKDATA */
	FM_IS(3, 4),   /* PEEKUSR */
	FM_IS(4, 5),   /* POKETEXT */
	FM_IS(5, 6),   /* POKEDATA */
	FM_IS(6, 7),   /* POKEUSR */
	FM_IS(7, 8),   /* CONT */
	FM_IS(8, 9),   /* KILL */
	FM_IS(9, 10),  /* SINGLESTEP */
	FM_IS(16, 11), /* ATTACH */
	FM_IS(17, 12), /* DETACH */
	FM_IS(24, 13), /* SYSCALL */
	FM_IS(0x4200, 14), /* SETOPTIONS */
	FM_IS(0x4201, 15), /* GETEVENTMSG */
	FM_IS(0x4202, 16), /* GETSIGINFO */
	FM_IS(0x4203, 17), /* SETSIGINFO */
	FM_IS(0x4204, 18), /* GETREGSET */
	FM_IS(0x4205, 19), /* SETREGSET */
	FM_IS(0x4206, 20), /* SEIZE */
	FM_IS(0x4207, 21), /* INTERRUPT */
	FM_IS(0x4208, 22), /* LISTEN */
	FM_IS(0x4209, 23), /* PEEKSIGINFO */
	FM_IS(0x420a, 24), /* GETSIGMASK */
	FM_IS(0x420b, 25), /* SETSIGMASK */
	FM_IS(12, 26),  /* GETREGS */
	FM_IS(13, 27),  /* SETREGS */
	FM_IS(14, 28),  /* GETFPREGS */
	FM_IS(15, 29),  /* SETFPREGS */
	FM_IS(18, 30),  /* GETFPXREGS */
	FM_IS(19, 31),  /* SETFPXREGS */
	FM_IS(21, 32),  /* OLDSETOPTIONS */
	FM_IS(25, 33),  /* GET_THREAD_AREA */
	FM_IS(26, 34),  /* SET_THREAD_AREA */
	FM_IS(30, 35),  /* ARCH_PRCTL */
	FM_IS(31, 36),  /* SYSEMU */
	FM_IS(32, 37),  /* SYSEMU_SINGLESTEP */
	FM_IS(33, 38),  /* SINGLEBLOCK */
	FM_END,
};

/* RLIMIT_* 0..15 keep their numbers. */
const struct flag_map rlimit_map[] = {
	FM_IS(0, 0), FM_IS(1, 1), FM_IS(2, 2), FM_IS(3, 3), FM_IS(4, 4), FM_IS(5, 5), FM_IS(6, 6),
	FM_IS(7, 7), FM_IS(8, 8), FM_IS(9, 9), FM_IS(10, 10), FM_IS(11, 11), FM_IS(12, 12),
	FM_IS(13, 13), FM_IS(14, 14), FM_IS(15, 15),
	FM_END,
};

/* FUTEX_* commands (op & 127) 0..12 keep their numbers. */
const struct flag_map futex_op_map[] = {
	FM_IS(0, 0), FM_IS(1, 1), FM_IS(2, 2), FM_IS(3, 3), FM_IS(4, 4), FM_IS(5, 5), FM_IS(6, 6),
	FM_IS(7, 7), FM_IS(8, 8), FM_IS(9, 9), FM_IS(10, 10), FM_IS(11, 11), FM_IS(12, 12),
	FM_END,
};

const struct flag_map semctl_cmd_map[] = {
	FM_IS(2, 1u << 0),   /* IPC_STAT */
	FM_IS(1, 1u << 1),   /* IPC_SET */
	FM_IS(0, 1u << 2),   /* IPC_RMID */
	FM_IS(3, 1u << 3),   /* IPC_INFO */
	FM_IS(19, 1u << 4),  /* SEM_INFO */
	FM_IS(18, 1u << 5),  /* SEM_STAT */
	FM_IS(13, 1u << 6),  /* GETALL */
	FM_IS(14, 1u << 7),  /* GETNCNT */
	FM_IS(11, 1u << 8),  /* GETPID */
	FM_IS(12, 1u << 9),  /* GETVAL */
	FM_IS(15, 1u << 10), /* GETZCNT */
	FM_IS(17, 1u << 11), /* SETALL */
	FM_IS(16, 1u << 12), /* SETVAL */
	FM_END,
};
