/* Tracing what the consumer needs: the syscalls Falco rules name, and the
 * ones libsinsp needs beside them to keep its state right (rules_set.c). */
#ifndef PDIG_RULES_SET_H
#define PDIG_RULES_SET_H

#include <stddef.h>

#include "schema/syscall_set.h"

/* Adds to set every syscall that the Falco rules file at path names
 * positively with evt.type (`evt.type=X`, `evt.type in (X, Y, LIST)`, in
 * rules and macros alike, lists expanded; `!=` and `not evt.type` add
 * nothing), as Falco's own selection does: an event name selects every
 * syscall reported with that event, a syscall name reported with generic
 * events selects that syscall; each list is expanded once. Returns the
 * number of syscalls named, or -1 with a one-line message in err (the file
 * cannot be read, is not a regular file, is over 8 MiB, names more than
 * 4096 lists). */
int rules_set_add_file(const char *path, struct syscall_set *set, char *err, size_t errlen);

/* Adds what libsinsp's sinsp_repair_state_sc_set() adds to a set (Falco's
 * `base_syscalls.repair: true`): the process tree, ids and cwd always
 * (clone, clone3, fork, vfork, execve, execveat, chdir, fchdir, chroot,
 * capset, set*id, setpgid, setsid, prctl); socket and getsockopt if any
 * syscall of the set is a network one; bind if accept, accept4 or listen
 * is in; close if a network, file or I/O one is. Then, when close is in,
 * the calls pdig's exit elision needs to see (dup2, dup3, close_range,
 * io_uring_setup: rare, and state-changing themselves). */
void syscall_set_repair(struct syscall_set *set);

/* The names of the syscalls in set, comma-separated, into buf (cut at
 * len); for -v. */
void syscall_set_names(const struct syscall_set *set, char *buf, size_t len);

#endif
