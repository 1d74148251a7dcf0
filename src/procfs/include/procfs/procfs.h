/* Production process-state reader: fills struct tracee_state with
 * implementations backed by /proc and pidfd_getfd. Everything read is
 * untrusted (the tracee controls argv, env, cwd names...) and is bounded.
 * One struct procfs serves one thread: proc() returns its one snapshot. */
#ifndef PDIG_PROCFS_H
#define PDIG_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "events/encoder.h"

struct procfs; /* one tracer's reader and caches (procfs_internal.h) */

/* Setup. A tracer reads through one struct procfs: its caches follow the
 * tracees that tracer sees, so two tracers never share one. */
struct procfs *procfs_open(void); /* NULL if memory runs out */
void procfs_close(struct procfs *pf);
/* The process's default instance. The tracer reads through it, and so do
 * readers wired with procfs_state_init, which thus see what the tracer
 * noted (the capture sink's process list at a file rotation). */
struct procfs *procfs_default(void);
/* Wire st to the /proc readers of pf (st->ctx = pf). */
void procfs_state_bind(struct tracee_state *st, struct procfs *pf);
/* The same with procfs_default(). */
void procfs_state_init(struct tracee_state *st);
/* Caching across events. A thread's credentials and cwd are read once and
 * kept until it makes a syscall that changes them: the tracer must then
 * stop at every procfs_watched syscall, whatever it traces, and report
 * each at its entry and its exit (the hooks below). Off until enabled
 * (then every snapshot reads everything). The cached loginuid and cgroups
 * are used only while every open is seen (every_open_seen): a loginuid or
 * cgroup file opened for writing makes them stale. */
void procfs_cache_enable(struct procfs *pf, bool on, bool every_open_seen);

/* Observer hooks: the tracer tells procfs what happened, once per stop;
 * procfs decides what to note, forget or read again. */

/* Syscall nr of thread tid stopped at its entry. */
void procfs_on_entry(struct procfs *pf, int64_t tid, uint64_t nr);
/* ... and at its exit, with its arguments, its result and the tracee's
 * memory (a change the entry announced is done now). */
void procfs_on_exit(struct procfs *pf, int64_t tid, uint64_t nr, const uint64_t *args, int64_t ret,
                    const struct tracee_mem *mem);
/* creator made a clone (of any kind; its process may have a second thread
 * from now on). child, when non-zero, is the new thread or process, made
 * with these flags as the kernel got them: it starts with the credentials,
 * cwd and, for a thread, the stat of its creator, so its first snapshot
 * costs no read. Call while the creator is still in the clone (its
 * credentials are then the child's). creator_sure: the kernel named the
 * creator (its clone event), rather than the tracer guessing it from the
 * thread ids. */
void procfs_on_clone(struct procfs *pf, int64_t creator, int64_t child, uint64_t flags, bool creator_sure);
/* tid's exec succeeded: its process image and credentials are new. former
 * is the thread that called exec: when it is not tid (a non-leader
 * thread's exec, which takes the leader's id), both threads' cached state
 * goes and the process's real parent stays. */
void procfs_on_exec(struct procfs *pf, int64_t tid, int64_t former);
/* tid exited: what is cached of it (and its pidfd if it is a process)
 * goes, so a reused id never meets a stale entry. */
void procfs_on_death(struct procfs *pf, int64_t tid);

/* Queries: they tell procfs nothing. */

/* Does syscall nr change something procfs caches (the tracer must stop at
 * it)? For one that changes something only when one argument is non-zero,
 * procfs_watched_arg gives that argument's index (the filter stops only
 * those calls), else -1. */
bool procfs_watched(uint64_t nr);
int procfs_watched_arg(uint64_t nr);

/* tid's id as viewer sees it: in viewer's own PID namespace (a clone's
 * result in the parent). tid itself when viewer shares pdig's namespace
 * (no read then) or /proc does not tell. */
int64_t procfs_id_seen_by(struct procfs *pf, int64_t tid, int64_t viewer);

/* Process id and parent process id of a thread (cached status); 0 ok. */
int procfs_ids(struct procfs *pf, int64_t tid, int64_t *tgid, int64_t *ppid);

/* The CPU thread tid last ran on (stat field 39), or -1. */
int procfs_thread_cpu(struct procfs *pf, int64_t tid);

/* The number after "Key:" in /proc/<tid>/status (Tgid, PPid, TracerPid...),
 * read now, or -1 if the thread or the key is missing. */
int64_t procfs_status_field(int64_t tid, const char *key);

/* The signals thread tid ignores (SIG_IGN) and catches (a handler), as
 * masks with bit sig-1, read now; exact for signal sig at least (below
 * 32, only the first 31 are read); 0 ok, -1 if the thread is gone. */
int procfs_signal_dispositions(struct procfs *pf, int64_t tid, int sig, uint64_t *ignored, uint64_t *caught);

/* Does closing fd of process pid always return 0 (a regular file,
 * directory or FIFO on a filesystem without ->flush)? One dup of the fd
 * (pidfd_getfd), fstatfs, fstat; false when unsure. */
bool procfs_fd_closes_clean(struct procfs *pf, int64_t pid, int64_t fd);
/* Does process pid hold an io_uring's fd (true when /proc cannot say)? */
bool procfs_has_io_uring(int64_t pid);

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
