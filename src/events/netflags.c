/* Conversion tables; see netflags.h. Native values are the x86-64 Linux
 * ABI ones, written as numbers so that glibc and musl builds agree. */
#include "netflags.h"

#define NF_N(a) (sizeof(a) / sizeof((a)[0]))
#define NF_BITS(name, arr) const struct nf_bits name = { arr, NF_N(arr) }
#define NF_VALS(name, arr) const struct nf_vals name = { arr, NF_N(arr) }

uint32_t nf_bits_map(const struct nf_bits *m, uint64_t native)
{
	uint32_t r = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].native && (native & m->t[i].native) == m->t[i].native)
			r |= m->t[i].ppm;
	return r;
}

uint32_t nf_val_map(const struct nf_vals *m, int64_t native, uint32_t dflt)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].native == native)
			return m->t[i].ppm;
	return dflt;
}

static const struct nf_bit clone_tab[] = {
	{ 0x00000400, 1u << 0 },  /* CLONE_FILES */
	{ 0x00000200, 1u << 1 },  /* CLONE_FS */
	{ 0x80000000, 1u << 2 },  /* CLONE_IO */
	{ 0x08000000, 1u << 3 },  /* CLONE_NEWIPC */
	{ 0x40000000, 1u << 4 },  /* CLONE_NEWNET */
	{ 0x00020000, 1u << 5 },  /* CLONE_NEWNS */
	{ 0x20000000, 1u << 6 },  /* CLONE_NEWPID */
	{ 0x04000000, 1u << 7 },  /* CLONE_NEWUTS */
	{ 0x00008000, 1u << 8 },  /* CLONE_PARENT */
	{ 0x00100000, 1u << 9 },  /* CLONE_PARENT_SETTID */
	{ 0x00002000, 1u << 10 }, /* CLONE_PTRACE */
	{ 0x00000800, 1u << 11 }, /* CLONE_SIGHAND */
	{ 0x00040000, 1u << 12 }, /* CLONE_SYSVSEM */
	{ 0x00010000, 1u << 13 }, /* CLONE_THREAD */
	{ 0x00800000, 1u << 14 }, /* CLONE_UNTRACED */
	{ 0x00000100, 1u << 15 }, /* CLONE_VM */
	{ 0x10000000, 1u << 20 }, /* CLONE_NEWUSER */
	{ 0x00200000, 1u << 23 }, /* CLONE_CHILD_CLEARTID */
	{ 0x01000000, 1u << 24 }, /* CLONE_CHILD_SETTID */
	{ 0x00080000, 1u << 25 }, /* CLONE_SETTLS */
	{ 0x00004000, 1u << 27 }, /* CLONE_VFORK */
	{ 0x02000000, 1u << 28 }, /* CLONE_NEWCGROUP (old CLONE_STOPPED bit) */
};
NF_BITS(nf_clone_flags, clone_tab);

static const struct nf_bit prot_tab[] = {
	{ 0x1, 1u << 0 },        /* PROT_READ */
	{ 0x2, 1u << 1 },        /* PROT_WRITE */
	{ 0x4, 1u << 2 },        /* PROT_EXEC */
	{ 0x8, 1u << 3 },        /* PROT_SEM */
	{ 0x01000000, 1u << 4 }, /* PROT_GROWSDOWN */
	{ 0x02000000, 1u << 5 }, /* PROT_GROWSUP */
};
NF_BITS(nf_prot_flags, prot_tab);

static const struct nf_bit mmap_tab[] = {
	{ 0x01, 1u << 0 },     /* MAP_SHARED */
	{ 0x02, 1u << 1 },     /* MAP_PRIVATE */
	{ 0x10, 1u << 2 },     /* MAP_FIXED */
	{ 0x20, 1u << 3 },     /* MAP_ANONYMOUS */
	{ 0x40, 1u << 4 },     /* MAP_32BIT */
	{ 0x4000, 1u << 6 },   /* MAP_NORESERVE */
	{ 0x8000, 1u << 7 },   /* MAP_POPULATE */
	{ 0x10000, 1u << 8 },  /* MAP_NONBLOCK */
	{ 0x0100, 1u << 9 },   /* MAP_GROWSDOWN */
	{ 0x0800, 1u << 10 },  /* MAP_DENYWRITE */
	{ 0x1000, 1u << 11 },  /* MAP_EXECUTABLE */
	{ 0x2000, 1u << 14 },  /* MAP_LOCKED; MAP_FILE is 0 on Linux */
};
NF_BITS(nf_mmap_flags, mmap_tab);

static const struct nf_bit poll_tab[] = {
	{ 0x001, 1u << 0 },  /* POLLIN */
	{ 0x002, 1u << 1 },  /* POLLPRI */
	{ 0x004, 1u << 2 },  /* POLLOUT */
	{ 0x2000, 1u << 3 }, /* POLLRDHUP */
	{ 0x008, 1u << 4 },  /* POLLERR */
	{ 0x010, 1u << 5 },  /* POLLHUP */
	{ 0x020, 1u << 6 },  /* POLLNVAL */
	{ 0x040, 1u << 7 },  /* POLLRDNORM */
	{ 0x080, 1u << 8 },  /* POLLRDBAND */
	{ 0x100, 1u << 9 },  /* POLLWRNORM */
	{ 0x200, 1u << 10 }, /* POLLWRBAND */
};
NF_BITS(nf_poll_flags, poll_tab);

static const struct nf_bit execveat_tab[] = {
	{ 0x1000, 1u << 0 }, /* AT_EMPTY_PATH */
	{ 0x100, 1u << 1 },  /* AT_SYMLINK_NOFOLLOW */
};
NF_BITS(nf_execveat_flags, execveat_tab);

static const struct nf_bit semop_tab[] = {
	{ 0x800, 1u << 0 },  /* IPC_NOWAIT */
	{ 0x1000, 1u << 1 }, /* SEM_UNDO */
};
NF_BITS(nf_semop_flags, semop_tab);

static const struct nf_bit semget_tab[] = {
	{ 0x200, 1u << 13 }, /* IPC_CREAT */
	{ 0x400, 1u << 14 }, /* IPC_EXCL */
};
NF_BITS(nf_semget_flags, semget_tab);

static const struct nf_bit access_tab[] = {
	{ 1, 1u << 0 }, /* X_OK */
	{ 2, 1u << 1 }, /* W_OK */
	{ 4, 1u << 2 }, /* R_OK */
};
NF_BITS(nf_access_flags, access_tab);

/* PPM_AF_* reuse the Linux numbers; the table lists the families the
 * consumer names, anything else is PPM_AF_UNSPEC. */
static const struct nf_val family_tab[] = {
	{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 },
	{ 7, 7 }, { 8, 8 }, { 9, 9 }, { 10, 10 }, { 11, 11 }, { 12, 12 },
	{ 13, 13 }, { 14, 14 }, { 15, 15 }, { 16, 16 }, { 17, 17 }, { 18, 18 },
	{ 19, 19 }, { 20, 20 }, { 21, 21 }, { 22, 22 }, { 23, 23 }, { 24, 24 },
	{ 25, 25 }, { 26, 26 }, { 29, 29 }, { 30, 30 }, { 31, 31 }, { 32, 32 },
	{ 33, 33 }, { 34, 34 }, { 35, 35 }, { 36, 36 }, { 37, 37 }, { 38, 38 },
	{ 39, 39 },
};
NF_VALS(nf_sock_family, family_tab);

static const struct nf_val level_tab[] = {
	{ 1, 1 }, /* SOL_SOCKET */
	{ 6, 2 }, /* SOL_TCP */
};
NF_VALS(nf_sockopt_level, level_tab);

/* SO_* 1..50 have the same PPM numbers; the later ones were renumbered. */
static const struct nf_val soname_tab[] = {
	{ 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 }, { 7, 7 },
	{ 8, 8 }, { 9, 9 }, { 10, 10 }, { 11, 11 }, { 12, 12 }, { 13, 13 },
	{ 14, 14 }, { 15, 15 }, { 16, 16 }, { 17, 17 }, { 18, 18 }, { 19, 19 },
	{ 20, 20 }, { 21, 21 }, { 22, 22 }, { 23, 23 }, { 24, 24 }, { 25, 25 },
	{ 26, 26 }, { 27, 27 }, { 28, 28 }, { 29, 29 }, { 30, 30 }, { 31, 31 },
	{ 32, 32 }, { 33, 33 }, { 34, 34 }, { 35, 35 }, { 36, 36 }, { 37, 37 },
	{ 38, 38 }, { 39, 39 }, { 40, 40 }, { 41, 41 }, { 42, 42 }, { 43, 43 },
	{ 44, 44 }, { 45, 45 }, { 46, 46 }, { 47, 47 }, { 48, 48 }, { 49, 49 },
	{ 50, 50 },
	{ 59, 51 }, /* SO_PEERGROUPS */
	{ 55, 52 }, /* SO_MEMINFO */
	{ 57, 53 }, /* SO_COOKIE */
};
NF_VALS(nf_sockopt_name, soname_tab);

static const struct nf_val ptrace_tab[] = {
	{ 0, 1 },   /* TRACEME */
	{ 1, 2 },   /* PEEKTEXT */
	{ 2, 3 },   /* PEEKDATA */
	{ 3, 4 },   /* PEEKUSR */
	{ 4, 5 },   /* POKETEXT */
	{ 5, 6 },   /* POKEDATA */
	{ 6, 7 },   /* POKEUSR */
	{ 7, 8 },   /* CONT */
	{ 8, 9 },   /* KILL */
	{ 9, 10 },  /* SINGLESTEP */
	{ 16, 11 }, /* ATTACH */
	{ 17, 12 }, /* DETACH */
	{ 24, 13 }, /* SYSCALL */
	{ 0x4200, 14 }, /* SETOPTIONS */
	{ 0x4201, 15 }, /* GETEVENTMSG */
	{ 0x4202, 16 }, /* GETSIGINFO */
	{ 0x4203, 17 }, /* SETSIGINFO */
	{ 0x4204, 18 }, /* GETREGSET */
	{ 0x4205, 19 }, /* SETREGSET */
	{ 0x4206, 20 }, /* SEIZE */
	{ 0x4207, 21 }, /* INTERRUPT */
	{ 0x4208, 22 }, /* LISTEN */
	{ 0x4209, 23 }, /* PEEKSIGINFO */
	{ 0x420a, 24 }, /* GETSIGMASK */
	{ 0x420b, 25 }, /* SETSIGMASK */
	{ 12, 26 },  /* GETREGS */
	{ 13, 27 },  /* SETREGS */
	{ 14, 28 },  /* GETFPREGS */
	{ 15, 29 },  /* SETFPREGS */
	{ 18, 30 },  /* GETFPXREGS */
	{ 19, 31 },  /* SETFPXREGS */
	{ 21, 32 },  /* OLDSETOPTIONS */
	{ 25, 33 },  /* GET_THREAD_AREA */
	{ 26, 34 },  /* SET_THREAD_AREA */
	{ 30, 35 },  /* ARCH_PRCTL */
	{ 31, 36 },  /* SYSEMU */
	{ 32, 37 },  /* SYSEMU_SINGLESTEP */
	{ 33, 38 },  /* SINGLEBLOCK */
};
NF_VALS(nf_ptrace_req, ptrace_tab);

/* RLIMIT_* 0..15 keep their numbers. */
static const struct nf_val rlimit_tab[] = {
	{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 },
	{ 7, 7 }, { 8, 8 }, { 9, 9 }, { 10, 10 }, { 11, 11 }, { 12, 12 },
	{ 13, 13 }, { 14, 14 }, { 15, 15 },
};
NF_VALS(nf_rlimit, rlimit_tab);

/* FUTEX_* commands (op & 127) 0..12 keep their numbers. */
static const struct nf_val futex_tab[] = {
	{ 0, 0 }, { 1, 1 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 5, 5 }, { 6, 6 },
	{ 7, 7 }, { 8, 8 }, { 9, 9 }, { 10, 10 }, { 11, 11 }, { 12, 12 },
};
NF_VALS(nf_futex_op, futex_tab);

static const struct nf_val semctl_tab[] = {
	{ 2, 1u << 0 },   /* IPC_STAT */
	{ 1, 1u << 1 },   /* IPC_SET */
	{ 0, 1u << 2 },   /* IPC_RMID */
	{ 3, 1u << 3 },   /* IPC_INFO */
	{ 19, 1u << 4 },  /* SEM_INFO */
	{ 18, 1u << 5 },  /* SEM_STAT */
	{ 13, 1u << 6 },  /* GETALL */
	{ 14, 1u << 7 },  /* GETNCNT */
	{ 11, 1u << 8 },  /* GETPID */
	{ 12, 1u << 9 },  /* GETVAL */
	{ 15, 1u << 10 }, /* GETZCNT */
	{ 17, 1u << 11 }, /* SETALL */
	{ 16, 1u << 12 }, /* SETVAL */
};
NF_VALS(nf_semctl_cmd, semctl_tab);
