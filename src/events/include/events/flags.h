/* Native (x86-64 Linux) -> PPM flag conversion, as data.
 * A table is a list of rules ended by FM_END; flags_to_ppm() ORs the ppm
 * bits of every rule that matches. Native values are written as numbers
 * (kernel uapi, x86-64) so the result does not depend on the libc's headers.
 * Add new tables at the end of the list below. */
#ifndef PDIG_FLAGS_H
#define PDIG_FLAGS_H

#include <stdint.h>

enum flag_op {
	FM_OP_END = 0,
	FM_OP_ANY,   /* any bit of mask set (the driver's "if (flags & X)") */
	FM_OP_EQ,    /* (native & mask) == value */
};

struct flag_map {
	uint8_t op;
	uint64_t mask;
	uint64_t value;
	uint32_t ppm;
};

#define FM_ANY(mask, ppm) { FM_OP_ANY, (mask), 0, (ppm) }
#define FM_EQ(mask, value, ppm) { FM_OP_EQ, (mask), (value), (ppm) }
/* The whole 64-bit value equals v (command codes, enums). */
#define FM_IS(v, ppm) { FM_OP_EQ, ~0ull, (v), (ppm) }
#define FM_END { FM_OP_END, 0, 0, 0 }

uint32_t flags_to_ppm(const struct flag_map *map, uint64_t native);
/* For enumerations: the ppm value of the first rule that matches native,
 * dflt when none does. */
uint32_t flag_value(const struct flag_map *map, uint64_t native, uint32_t dflt);

/* --- file system / fd family --- */
extern const struct flag_map open_flags_map[];     /* PPM_O_* */
extern const struct flag_map file_mode_map[];      /* PPM_S_* (chmod, mkdir...) */
extern const struct flag_map fcntl_cmd_map[];      /* PPM_FCNTL_* (unknown -> 0) */
extern const struct flag_map resolve_flags_map[];  /* PPM_RESOLVE_* (openat2) */
extern const struct flag_map unlinkat_flags_map[]; /* PPM_AT_REMOVEDIR */
extern const struct flag_map linkat_flags_map[];   /* PPM_AT_SYMLINK_FOLLOW, PPM_AT_EMPTY_PATH */
extern const struct flag_map access_flags_map[];   /* PPM_[RWX]_OK (F_OK is 0) */
extern const struct flag_map flock_flags_map[];    /* PPM_LOCK_* */
extern const struct flag_map lseek_whence_map[];   /* PPM_SEEK_* */
extern const struct flag_map quotactl_cmd_map[];   /* PPM_Q_* from cmd >> 8 (unknown -> 0) */
extern const struct flag_map quotactl_type_map[];  /* PPM_USRQUOTA, PPM_GRPQUOTA from cmd & 0xff */
extern const struct flag_map quotactl_fmt_map[];   /* PPM_QFMT_* (unknown -> NOT_USED) */

/* PPM_O_NONBLOCK/CLOEXEC/DIRECT from the flags of the calls that make an
 * fd (socket's type, pipe2, eventfd2, signalfd4, inotify_init1, dup3):
 * their NONBLOCK and CLOEXEC bits are O_NONBLOCK and O_CLOEXEC. */
extern const struct flag_map fd_flags_map[];

/* open()'s mode param: converted only when the flags create a file. */
uint32_t open_mode_to_ppm(uint64_t flags, uint64_t mode);

#endif
