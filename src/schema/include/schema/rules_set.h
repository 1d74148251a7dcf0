/* Tracing what the consumer needs: the syscalls Falco rules name, and the
 * ones libsinsp needs beside them to keep its state right (rules_set.c). */
#ifndef PDIG_RULES_SET_H
#define PDIG_RULES_SET_H

#include <stddef.h>
#include <stdio.h>

#include "schema/syscall_set.h"

/* Adds to set the syscalls the Falco rules files at paths (n of them,
 * loaded in this order as Falco loads its rules_files) need: the event
 * types the conditions of their enabled syscall rules can match, as
 * Falco's own selection computes them ("syscalls in rules"), an event
 * name selecting every syscall reported with that event, and a syscall
 * reported as a generic event selected by its own name. A rule pdig
 * cannot decide, or that matches every type, selects every syscall, and
 * one line on warn (NULL: none) names it. Returns the number of syscalls
 * the rules select, or -1 with a one-line message in err (a file cannot
 * be read, is not a regular file, is over 8 MiB, is malformed: FILE:LINE). */
int rules_set_from_files(const char *const *paths, int n, struct syscall_set *set, FILE *warn, char *err,
			 size_t errlen);

/* Removes from set what Falco leaves out of its selection unless run with
 * -A (read, write, pread64, pwrite64, readv, writev, preadv, pwritev,
 * sendfile); their names, comma-separated, into names (cut at len).
 * Returns how many were removed. */
int syscall_set_drop_io(struct syscall_set *set, char *names, size_t len);

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
