/* Production process-state reader: fills struct tracee_state with
 * implementations backed by /proc and pidfd_getfd. Everything read is
 * untrusted (the tracee controls argv, env, cwd names...) and is bounded.
 * Not thread-safe: proc() returns one static snapshot. */
#ifndef PDIG_PROCFS_H
#define PDIG_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events/encoder.h"

/* Wire st to the /proc readers (st->ctx is set to NULL). */
void procfs_state_init(struct tracee_state *st);

/* Drop what is cached of thread tid (and its pidfd if it is a process);
 * call when it exits so a reused id never meets a stale entry. */
void procfs_forget(int64_t tid);
/* A non-leader thread (former) exec'd and now has the leader's id: both
 * threads' cached state goes, the process's real parent stays. */
void procfs_exec_took_over(int64_t leader, int64_t former);

/* Caching across events. A thread's credentials and cwd are read once and
 * kept until it makes a syscall that changes them: the tracer must stop at
 * every procfs_watched syscall, whatever it traces, and report it with
 * procfs_note_syscall at its entry and again at its exit. Off until
 * enabled (then every snapshot reads everything). */
void procfs_cache_enable(bool on);
bool procfs_watched(uint64_t nr);
/* For a watched syscall that changes something only when one argument is
 * non-zero: that argument's index (the filter stops only those calls),
 * else -1. */
int procfs_watched_arg(uint64_t nr);
void procfs_note_syscall(int64_t tid, uint64_t nr);
/* The same at a syscall's exit, with its arguments, result and the
 * tracee's memory: also sees a loginuid or cgroup file opened for writing.
 * The cached loginuid and cgroups are used only while every open is seen:
 * procfs_lineage_watch(false) when the traced set lacks one of them. */
void procfs_note_exit(int64_t tid, uint64_t nr, const uint64_t *args, int64_t ret, const struct tracee_mem *mem);
void procfs_lineage_watch(bool every_open_seen);

/* A clone made child from creator (flags as the kernel got them): the
 * child starts with the credentials, cwd and, for a thread, the stat of
 * its creator, so its first snapshot costs no read. Call while the creator
 * is still in the clone (its credentials are then the child's).
 * creator_sure: the kernel named the creator (its clone event), rather
 * than pdig guessing it from the thread ids. */
void procfs_note_clone(int64_t child, int64_t creator, uint64_t flags, bool creator_sure);
/* tid made a clone (of any kind, seen or not): its process may have a
 * second thread from now on. */
void procfs_note_clone_made(int64_t tid);

/* tid's exec succeeded: its process image and credentials are new. */
void procfs_forget_exec(int64_t tid);

/* The CPU thread tid last ran on (stat field 39), or -1. */
int procfs_thread_cpu(int64_t tid);

/* Process id and parent process id of a thread (cached status); 0 ok. */
int procfs_ids(int64_t tid, int64_t *tgid, int64_t *ppid);

/* The number after "Key:" in /proc/<tid>/status (Tgid, PPid, TracerPid...),
 * or -1 if the thread or the key is missing. */
int64_t procfs_status_field(int64_t tid, const char *key);

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
