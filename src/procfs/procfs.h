/* Production process-state reader: fills struct tracee_state with
 * implementations backed by /proc and pidfd_getfd. Everything read is
 * untrusted (the tracee controls argv, env, cwd names...) and is bounded.
 * Not thread-safe: proc() returns one static snapshot. */
#ifndef PDIG_PROCFS_H
#define PDIG_PROCFS_H

#include <stddef.h>
#include <stdint.h>

#include "events/encoder.h"

/* Wire st to the /proc readers (st->ctx is set to NULL). */
void procfs_state_init(struct tracee_state *st);

/* Drop cached state (the pidfd) of process pid; call when it exits so a
 * reused pid never meets a stale entry. */
void procfs_forget(int64_t pid);

/* The number after "Key:" in /proc/<tid>/status (Tgid, PPid, TracerPid...),
 * or -1 if the thread or the key is missing. */
int64_t procfs_status_field(int64_t tid, const char *key);

/* Drop the remembered per-process fields (see procfs.c); the tracer calls
 * it at every exec, although the argv/envp layout check would catch it. */
void procfs_forget_image(void);

/* The sock() fallback used when pidfd_getfd is refused: looks the socket
 * inode up in /proc/<pid>/net/{tcp,tcp6,udp,udp6,unix}. Exposed for tests.
 * Unix peers are not listed there, so their peer stays unknown. */
int procfs_sock_from_net(int64_t pid, int64_t fd, struct sock_names *out);

/* Converts /proc/<pid>/cgroup text into the `controller=path\0` list of the
 * process events; returns the bytes written to out (<= cap, each entry
 * NUL-terminated, whole entries only). Exposed for tests. */
size_t procfs_cgroups_convert(const char *text, size_t len, char *out, size_t cap);

/* The kernel driver's encoding of a superblock dev (new_encode_dev). */
static inline uint64_t procfs_encode_dev(unsigned int major, unsigned int minor)
{
	return (uint64_t)((minor & 0xffu) | (major << 8) | ((minor & ~0xffu) << 12));
}

#endif
