/* The seccomp filter that picks the traced syscalls. */
#ifndef PDIG_SECCOMP_H
#define PDIG_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "schema/syscall_set.h"

/* Build the filter program into insns (room for cap); returns the number
 * of instructions, or -1 if it does not fit. SECCOMP_MAX_INSNS always
 * suffices (at most 256 runs of traced numbers, 4 instructions each, plus
 * the ABI and argument checks). */
#define SECCOMP_MAX_INSNS (2 * PDIG_SYSCALL_MAX + 64)
struct sock_filter;
int seccomp_build(const struct syscall_set *set, struct sock_filter *insns, int cap);

/* Install the filter in the calling process (after NO_NEW_PRIVS or with
 * CAP_SYS_ADMIN). Returns 0, or -1 with errno set. */
int seccomp_install(const struct syscall_set *set);

#endif
