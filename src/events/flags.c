/* Flag tables (facts from falcosecurity/libs ppm_flag_helpers.h and the
 * x86-64 kernel uapi); see flags.h. */
#include <stdbool.h>

#include "events/flags.h"

static bool rule_matches(const struct flag_map *rule, uint64_t native)
{
	return rule->op == FM_OP_ANY ? (native & rule->mask) != 0
				     : (native & rule->mask) == rule->value;
}

uint32_t flags_to_ppm(const struct flag_map *map, uint64_t native)
{
	uint32_t res = 0;
	for (; map->op != FM_OP_END; map++)
		if (rule_matches(map, native))
			res |= map->ppm;
	return res;
}

uint32_t flag_value(const struct flag_map *map, uint64_t native, uint32_t dflt)
{
	for (; map->op != FM_OP_END; map++)
		if (rule_matches(map, native))
			return map->ppm;
	return dflt;
}

/* The driver tests each flag with "flags & O_X"; O_SYNC and O_TMPFILE are
 * multi-bit, so O_DSYNC alone also reports O_SYNC and O_DIRECTORY alone
 * also reports O_TMPFILE. FM_ANY keeps those results identical. */
const struct flag_map open_flags_map[] = {
	FM_EQ(03, 00, 1 << 0),         /* O_RDONLY */
	FM_EQ(03, 01, 1 << 1),         /* O_WRONLY */
	FM_EQ(03, 02, 3),              /* O_RDWR */
	FM_EQ(03, 03, 1 << 0),         /* invalid access mode: the driver says RDONLY */
	FM_ANY(0100, 1 << 2),          /* O_CREAT */
	FM_ANY(02000, 1 << 3),         /* O_APPEND */
	FM_ANY(010000, 1 << 4),        /* O_DSYNC */
	FM_ANY(0200, 1 << 5),          /* O_EXCL */
	FM_ANY(04000, 1 << 6),         /* O_NONBLOCK */
	FM_ANY(04010000, 1 << 7),      /* O_SYNC (= __O_SYNC|O_DSYNC) */
	FM_ANY(01000, 1 << 8),         /* O_TRUNC */
	FM_ANY(040000, 1 << 9),        /* O_DIRECT */
	FM_ANY(0200000, 1 << 10),      /* O_DIRECTORY */
	FM_ANY(0100000, 1 << 11),      /* O_LARGEFILE (kernel value) */
	FM_ANY(02000000, 1 << 12),     /* O_CLOEXEC */
	FM_ANY(020200000, 1 << 13),    /* O_TMPFILE (= __O_TMPFILE|O_DIRECTORY) */
	FM_END,
};

const struct flag_map file_mode_map[] = {
	FM_ANY(0001, 1 << 0),  /* S_IXOTH */
	FM_ANY(0002, 1 << 1),  /* S_IWOTH */
	FM_ANY(0004, 1 << 2),  /* S_IROTH */
	FM_ANY(0010, 1 << 3),  /* S_IXGRP */
	FM_ANY(0020, 1 << 4),  /* S_IWGRP */
	FM_ANY(0040, 1 << 5),  /* S_IRGRP */
	FM_ANY(0100, 1 << 6),  /* S_IXUSR */
	FM_ANY(0200, 1 << 7),  /* S_IWUSR */
	FM_ANY(0400, 1 << 8),  /* S_IRUSR */
	FM_ANY(01000, 1 << 9), /* S_ISVTX */
	FM_ANY(02000, 1 << 10),/* S_ISGID */
	FM_ANY(04000, 1 << 11),/* S_ISUID */
	FM_END,
};

uint32_t open_mode_to_ppm(uint64_t flags, uint64_t mode)
{
	/* O_CREAT | O_TMPFILE, tested with "&" like the driver */
	if (!(flags & (0100 | 020200000)))
		return 0;
	return flags_to_ppm(file_mode_map, mode);
}

/* The driver compares the whole register; the *LK64 commands do not
 * exist on x86-64 (they alias F_GETLK...). */
const struct flag_map fcntl_cmd_map[] = {
	FM_IS(0, 1),     /* F_DUPFD */
	FM_IS(1, 2),     /* F_GETFD */
	FM_IS(2, 3),     /* F_SETFD */
	FM_IS(3, 4),     /* F_GETFL */
	FM_IS(4, 5),     /* F_SETFL */
	FM_IS(5, 6),     /* F_GETLK */
	FM_IS(6, 8),     /* F_SETLK */
	FM_IS(7, 9),     /* F_SETLKW */
	FM_IS(8, 10),    /* F_SETOWN */
	FM_IS(9, 12),    /* F_GETOWN */
	FM_IS(10, 13),   /* F_SETSIG */
	FM_IS(11, 15),   /* F_GETSIG */
	FM_IS(15, 21),   /* F_SETOWN_EX */
	FM_IS(16, 22),   /* F_GETOWN_EX */
	FM_IS(1024, 23), /* F_SETLEASE */
	FM_IS(1025, 24), /* F_GETLEASE */
	FM_IS(1029, 25), /* F_CANCELLK */
	FM_IS(1030, 26), /* F_DUPFD_CLOEXEC */
	FM_IS(1026, 27), /* F_NOTIFY */
	FM_IS(1031, 28), /* F_SETPIPE_SZ */
	FM_IS(1032, 29), /* F_GETPIPE_SZ */
	FM_IS(36, 30),   /* F_OFD_GETLK */
	FM_IS(37, 31),   /* F_OFD_SETLK */
	FM_IS(38, 32),   /* F_OFD_SETLKW */
	FM_END,
};

const struct flag_map resolve_flags_map[] = {
	FM_ANY(0x01, 1 << 4), /* RESOLVE_NO_XDEV */
	FM_ANY(0x02, 1 << 2), /* RESOLVE_NO_MAGICLINKS */
	FM_ANY(0x04, 1 << 3), /* RESOLVE_NO_SYMLINKS */
	FM_ANY(0x08, 1 << 0), /* RESOLVE_BENEATH */
	FM_ANY(0x10, 1 << 1), /* RESOLVE_IN_ROOT */
	FM_ANY(0x20, 1 << 5), /* RESOLVE_CACHED */
	FM_END,
};

const struct flag_map unlinkat_flags_map[] = {
	FM_ANY(0x200, 0x200), /* AT_REMOVEDIR */
	FM_END,
};

const struct flag_map linkat_flags_map[] = {
	FM_ANY(0x400, 0x400),   /* AT_SYMLINK_FOLLOW */
	FM_ANY(0x1000, 0x1000), /* AT_EMPTY_PATH */
	FM_END,
};

/* F_OK (0) maps to PPM_F_OK, which is 0 too. The kernel's MAY_* bits
 * have the same values as the *_OK ones. */
const struct flag_map access_flags_map[] = {
	FM_ANY(1, 1 << 0), /* X_OK */
	FM_ANY(2, 1 << 1), /* W_OK */
	FM_ANY(4, 1 << 2), /* R_OK */
	FM_END,
};

const struct flag_map flock_flags_map[] = {
	FM_ANY(1, 1 << 0), /* LOCK_SH */
	FM_ANY(2, 1 << 1), /* LOCK_EX */
	FM_ANY(4, 1 << 2), /* LOCK_NB */
	FM_ANY(8, 1 << 3), /* LOCK_UN */
	FM_END,
};

/* SEEK_SET is 0 on both sides; anything unknown is 0 too. */
const struct flag_map lseek_whence_map[] = {
	FM_IS(1, 1), /* SEEK_CUR */
	FM_IS(2, 2), /* SEEK_END */
	FM_END,
};

/* quotactl(2): the command is the top bits (cmd >> 8, Q_* in
 * linux/quota.h and XFS's XQM_CMD(n) = 'X' << 8 | n), the quota type the
 * low byte. */
const struct flag_map quotactl_cmd_map[] = {
	FM_IS(0x800002, 1 << 0),  /* Q_QUOTAON */
	FM_IS(0x800003, 1 << 1),  /* Q_QUOTAOFF */
	FM_IS(0x800004, 1 << 2),  /* Q_GETFMT */
	FM_IS(0x800005, 1 << 3),  /* Q_GETINFO */
	FM_IS(0x800006, 1 << 4),  /* Q_SETINFO */
	FM_IS(0x800007, 1 << 5),  /* Q_GETQUOTA */
	FM_IS(0x800008, 1 << 6),  /* Q_SETQUOTA */
	FM_IS(0x800001, 1 << 7),  /* Q_SYNC */
	FM_IS(0x5801, 1 << 8),    /* Q_XQUOTAON */
	FM_IS(0x5802, 1 << 9),    /* Q_XQUOTAOFF */
	FM_IS(0x5803, 1 << 10),   /* Q_XGETQUOTA */
	FM_IS(0x5804, 1 << 11),   /* Q_XSETQLIM */
	FM_IS(0x5805, 1 << 12),   /* Q_XGETQSTAT */
	FM_IS(0x5806, 1 << 13),   /* Q_XQUOTARM */
	FM_IS(0x5807, 1 << 14),   /* Q_XQUOTASYNC */
	FM_END,
};

const struct flag_map quotactl_type_map[] = {
	FM_IS(0, 1 << 0), /* USRQUOTA */
	FM_IS(1, 1 << 1), /* GRPQUOTA */
	FM_END,
};

/* QFMT_VFS_OLD 1, QFMT_VFS_V0 2, QFMT_VFS_V1 4; anything else NOT_USED. */
const struct flag_map quotactl_fmt_map[] = {
	FM_IS(1, 1 << 1),
	FM_IS(2, 1 << 2),
	FM_IS(4, 1 << 3),
	FM_END,
};

const struct flag_map fd_flags_map[] = {
	FM_ANY(04000, 1 << 6),     /* O_NONBLOCK */
	FM_ANY(040000, 1 << 9),    /* O_DIRECT (pipe2's packet mode) */
	FM_ANY(02000000, 1 << 12), /* O_CLOEXEC */
	FM_END,
};
