/* The encoder interface. An encoder turns one syscall (its registers, plus
 * readers for the tracee's memory and process state) into one event in a
 * caller's buffer. It knows nothing of ptrace or of the sinks: production
 * wires the readers to process_vm_readv and /proc, tests and the fuzzer to
 * fakes. Everything a reader returns is untrusted and must be bounded. */
#ifndef PDIG_ENCODER_H
#define PDIG_ENCODER_H

#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "events/evbuf.h"

/* Reads the tracee's memory. */
struct mem_span;

struct tracee_mem {
	void *ctx;
	/* Copy up to len bytes from addr; returns bytes copied (may be short),
	 * or -1 when nothing at addr is readable. */
	ssize_t (*read)(void *ctx, uint64_t addr, void *dst, size_t len);
	/* Optional (NULL = none). Strings passed to a syscall are inputs the
	 * kernel does not write, so a reader may keep those read at entry and
	 * hand them back at exit: one read less, and the value the kernel
	 * used. recall returns the length, or -1 on a miss. */
	ssize_t (*recall_str)(void *ctx, uint64_t addr, char *dst, size_t cap);
	void (*keep_str)(void *ctx, uint64_t addr, const char *s, size_t len);
	/* Optional (NULL = one read per area): several areas in one go (one
	 * process_vm_readv), at most MEM_READV_MAX. got[i]: bytes copied into
	 * spans[i], 0 when it was not read (after a failed area the rest may
	 * get 0 too, as may areas beyond MEM_READV_MAX). */
	void (*readv)(void *ctx, const struct mem_span *spans, size_t n, size_t *got);
};

/* One area of a batched read. */
struct mem_span {
	uint64_t addr;
	void *dst;
	size_t len;
};

/* Reads a NUL-terminated string of at most cap-1 bytes into dst (always
 * terminated). Returns its length, or -1 if addr is unreadable. */
ssize_t mem_read_str(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap);
/* The rest of a string whose first got bytes (no NUL among them) are in
 * dst already: as mem_read_str, without its recall and keep. */
ssize_t mem_read_str_rest(const struct tracee_mem *m, uint64_t addr, char *dst, size_t cap, size_t got);
/* Reads exactly len bytes; returns 0 on success, -1 otherwise. */
int mem_read_exact(const struct tracee_mem *m, uint64_t addr, void *dst, size_t len);
/* mem_read_str for n (at most MEM_STRS_MAX) strings of one syscall, the
 * first page of each in one readv: len[i] as mem_read_str returns it. */
#define MEM_STRS_MAX 4
/* The most areas a readv takes at once. */
#define MEM_READV_MAX 64
/* Reads n (at most MEM_READV_MAX) areas: with the reader's readv, else one
 * read each. got[i]: bytes copied into spans[i] (0 = not read). */
void mem_readv(const struct tracee_mem *m, const struct mem_span *spans, size_t n, size_t *got);
void mem_read_strs(const struct tracee_mem *m, size_t n, const uint64_t *addr, char *const *dst,
                   const size_t *cap, ssize_t *len);

#define PROC_STR_MAX 4096

/* What the process events (execve/clone exits) carry about a thread.
 * Filled by tracee_state.proc(); lengths are of the *_len byte blobs. */
struct proc_snapshot {
	int64_t tid, pid, ptid, pgid, sid;
	int64_t vtid, vpid;
	/* the driver's CHILD_IN_PIDNS: non-zero when the thread, or the
	 * children it makes, live in another PID namespace than pdig's (a
	 * byte, like exe_writable: any value a reader stored is valid) */
	uint8_t in_pidns;
	uint32_t uid, gid;       /* effective */
	int64_t vpgid;           /* the process group in the thread's own PID namespace */
	uint64_t cap_inh, cap_prm, cap_eff; /* capability sets */
	int32_t loginuid;        /* -1 when unset */
	int32_t tty;             /* tty_nr */
	uint64_t fdlimit;        /* RLIMIT_NOFILE soft */
	uint64_t pgft_maj, pgft_min;
	uint32_t vm_size_kb, vm_rss_kb, vm_swap_kb;
	uint8_t exe_writable;
	/* The executable's inode (0 = unknown) and its ctime/mtime in ns since
	 * the epoch; exe_memfd: it has no name (a memfd, as fileless
	 * programs run); exe_layer: where it lies in an overlay (EXE_LAYER_*;
	 * bytes, like exe_writable: any value a reader stored is valid). */
	uint64_t exe_ino, exe_ctime_ns, exe_mtime_ns;
	uint8_t exe_memfd, exe_layer;
	/* when the thread's PID namespace's init started (ns of CLOCK_BOOTTIME,
	 * as the driver's task start_time), 0 if unknown */
	uint64_t pidns_init_start_ns;
	char comm[17];
	char exe[PROC_STR_MAX];  /* argv[0] */
	char exepath[PROC_STR_MAX]; /* /proc/pid/exe target */
	char cwd[PROC_STR_MAX];
	char root[PROC_STR_MAX];
	char args[PROC_STR_MAX]; /* argv[1..], each NUL-terminated */
	size_t args_len;
	char env[PROC_STR_MAX];  /* KEY=VAL\0... */
	size_t env_len;
	char cgroups[PROC_STR_MAX]; /* controller=path\0... */
	size_t cgroups_len;
};

/* proc_snapshot.exe_layer: not on an overlay, or on one in a layer pdig
 * could not tell, or in its upper (written in the container) or a lower
 * (image) layer. */
enum { EXE_NOT_OVERLAY, EXE_LAYER_UNKNOWN, EXE_LAYER_UPPER, EXE_LAYER_LOWER };

/* Socket addresses of one of the tracee's fds, as the kernel reports them. */
struct sock_names {
	struct sockaddr_storage local, peer;
	socklen_t local_len, peer_len; /* 0 = unknown */
	int type;                       /* SOCK_STREAM... , 0 = unknown */
};

/* Reads the tracee's process state (/proc, pidfd_getfd in production). */
struct tracee_state {
	void *ctx;
	/* Snapshot of thread tid; NULL if it cannot be read. The result stays
	 * valid until the next call. */
	const struct proc_snapshot *(*proc)(void *ctx, int64_t tid);
	/* Local and peer address of socket fd of process pid; 0 ok, -1 error. */
	int (*sock)(void *ctx, int64_t pid, int64_t fd, struct sock_names *out);
	/* Device and inode of fd; 0 ok, -1 error. */
	int (*fd_stat)(void *ctx, int64_t pid, int64_t fd, uint64_t *dev, uint64_t *ino);
	/* An opaque identity for socket fd (its inode), 0 if unknown. */
	uint64_t (*sock_id)(void *ctx, int64_t pid, int64_t fd);
	/* Optional (NULL = unknown): the kernel's name for fd (its /proc
	 * link), NUL-terminated in cap; its length, or -1. */
	ssize_t (*fd_path)(void *ctx, int64_t pid, int64_t fd, char *buf, size_t cap);
};

/* One syscall as the tracer saw it. */
struct enc_ctx {
	uint64_t ts;        /* CLOCK_REALTIME ns */
	int64_t tid, pid;   /* thread and process (tgid) */
	uint64_t nr;        /* native x86-64 syscall number */
	uint64_t args[6];   /* arguments, as at entry */
	int64_t ret;        /* return value (exit only) */
	uint32_t snaplen;   /* max bytes of I/O data */
	const struct pdig_schema *schema; /* the layout to write; NULL = 1.0.0 */
	const struct tracee_mem *mem;
	const struct tracee_state *st;
};

typedef void (*enc_fn)(struct evbuf *b, const struct enc_ctx *c);

/* One event of a family and its encoder (see families.h). */
struct enc_def {
	uint16_t event;
	enc_fn fn;
};

/* Encode the enter (is_exit=0) or exit event of syscall c->nr, in schema
 * c->schema, into buf. Returns the event length, 0 if the syscall has no
 * event in that schema (modern drivers send no enter for most syscalls)
 * or it did not fit. */
size_t encode_syscall(int is_exit, const struct enc_ctx *c, void *buf, size_t cap);

/* Does schema s have an enter event for syscall nr that its drivers send?
 * (Since libs 0.22 most syscalls have only their exit.) */
bool encode_enter_sent(const struct pdig_schema *s, uint64_t nr);

/* At a syscall's entry when no schema in use sends its enter event: reads
 * (so the reader keeps) the strings the exit needs and cannot read then
 * (execve's path: a successful exec drops the caller's memory). */
void encode_keep_entry_strings(const struct enc_ctx *c);

/* The event id an exit is reported as: the schema's, except where pdig
 * follows later drivers to spare the consumer (process.c). */
uint16_t process_exit_event(uint16_t type, const struct enc_ctx *c);

/* procexit for a thread that ended, in schema s (NULL = 1.0.0); status is
 * the raw wait status. */
size_t encode_procexit(const struct pdig_schema *s, uint64_t ts, int64_t tid, int status, void *buf,
                       size_t cap);

/* drop (enter: the producer starts leaving events out; exit: it stops),
 * with the sampling ratio the consumer is to assume (1: none). */
size_t encode_drop(const struct pdig_schema *s, bool enter, uint64_t ts, int64_t tid, uint32_t ratio, void *buf,
                   size_t cap);

/* signaldeliver: thread tid takes signal sig sent by spid (0: by the
 * kernel, or a sender the driver does not name). */
size_t encode_signaldeliver(const struct pdig_schema *s, uint64_t ts, int64_t tid, int64_t spid, int sig,
                            void *buf, size_t cap);

#endif
