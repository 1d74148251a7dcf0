/* Shared by the process-snapshot readers (procfs_snap.c) and the per-thread
 * cache they read through (procfs_thread.c). Not part of the API. */
#ifndef PDIG_PROCFS_INTERNAL_H
#define PDIG_PROCFS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "events/encoder.h"

/* Where the kernel put argv and envp (stat fields 48-51): a fork child
 * shares its parent's values until it execs, and exec always lays out a
 * fresh stack, so equal values mean an equal, un-exec'd memory image. */
struct mm_mark {
	uint64_t arg_start, arg_end, env_start, env_end;
};

/* What /proc/<tid>/stat says of a thread. */
struct thread_stat {
	int64_t ptid, pgid, sid;
	int32_t tty;
	uint64_t pgft_maj, pgft_min;
	uint32_t vm_size_kb, vm_rss_kb;
	char comm[17];
	struct mm_mark mm;
};

/* A thread's ids in each PID namespace from pdig's down to its own: the
 * kernel nests at most 32 below the first. */
#define PIDNS_IDS_MAX 33

/* What /proc/<tid>/status says of it: only credentials, namespaces and swap,
 * which change through the thread's own syscalls or slowly. */
struct thread_status {
	int64_t pid, ppid, vtid, vpid;
	/* NSpid: ns_tid[0] is the id pdig sees, ns_tid[ns_count - 1] the
	 * thread's own (vtid); ns_count 1 = pdig's own namespace */
	int32_t ns_tid[PIDNS_IDS_MAX];
	uint8_t ns_count;
	uint32_t ruid, uid, gid, fsuid, fsgid; /* uid, gid: effective */
	uint32_t vm_swap_kb;
	uint64_t cap_inh, cap_prm, cap_eff, cap_bnd, cap_amb;
	/* the process group in the thread's own PID namespace (NSpgid's
	 * last column), -1 when status has no NSpgid */
	int64_t vpgid;
	gid_t groups[64]; /* enough to be useful; the writable check is conservative */
	size_t ngroups;
};

/* The fs links kept per thread. */
enum fs_link { FS_CWD, FS_ROOT, FS_LINKS };

/* One thread's cached reads. */
struct tentry {
	int64_t tid; /* 0 = free */
	uint64_t used;
	int stat_fd, status_fd; /* kept open: pread costs a third of open+read+close */
	/* a process of one thread since its birth, which pdig saw: its whole
	 * /proc/TID/stat is its own (see stat_name); stat_whole: the kept
	 * stat_fd is that file */
	bool solo, stat_whole;
	bool stat_ok, stat_reuse_once;
	uint64_t stat_seq, stat_at;
	struct thread_stat st;
	/* RLIMIT_NOFILE, kept like the cwd: until a setrlimit or prlimit64
	 * with a new limit is seen, for at most the TTL (another process's
	 * prlimit is not seen) */
	struct {
		bool ok;
		uint64_t value, gen, at;
	} fdlimit;
	bool status_ok;
	uint64_t status_at;
	struct thread_status su;
	/* su's NSpid was read once: a thread never leaves the PID namespace
	 * it was born in, so it stays true when su goes stale */
	bool ns_known;
	/* Where the thread's children go (/proc/TID/ns/pid_for_children): its
	 * own namespace until it calls unshare(CLONE_NEWPID) or setns. A new
	 * thread or child starts HERE (the kernel refuses a thread whose
	 * process's children go elsewhere, and a child's own namespace is its
	 * creator's pid_for_children). */
	enum { KIDS_UNKNOWN, KIDS_HERE, KIDS_ELSEWHERE } kids_ns;
	/* exec'd since su was read: su still holds the caller's credentials,
	 * which a program without set-id bits or file capabilities keeps */
	bool exec_pending;
	/* who shares this thread's mount view (0 = not known yet): set along
	 * clones, renewed by setns/unshare; keys the exe facts */
	uint64_t mnt_id;
	/* a new thread or child whose stat derives from its creator's at
	 * the clone (see tc_stat_of_new_thread) */
	int64_t creator;
	uint64_t clone_seq;
	bool fork_child, clone_parent;
	/* minor faults the child takes before its first return to user space:
	 * 1 for a copy of the mm with CLONE_CHILD_SETTID (the kernel writes the
	 * tid into a copy-on-write page), else 0 */
	uint8_t birth_faults;
	/* a fork child: its parent process, whose lineage it copied */
	int64_t forked_from;
	/* The thread that created this one's process, when pdig saw the clone:
	 * the driver's ptid is that thread's id (real_parent->pid), which
	 * /proc does not show (stat has its process id). 0 = not known. */
	int64_t rparent_tid, rparent_pid;
	/* cwd and root, read with readlink and kept alike */
	struct {
		bool ok;
		uint64_t gen, at;
	} link[FS_LINKS];
	/* last: a cleared entry keeps them, unused */
	char link_path[FS_LINKS][PROC_STR_MAX];
};

#define TC_SLOTS 64
#define IMG_SLOTS 4
#define EXE_SLOTS 8
#define PIDFD_SLOTS 32

/* One process's image and lineage, kept (procfs_image.c). */
struct image {
	int64_t pid; /* 0 = free */
	uint64_t used;
	bool exec_ok;
	uint64_t exec_at;
	struct mm_mark mm;
	uint32_t fsuid, fsgid;
	uint64_t cap_eff;
	uint8_t exe_writable, exe_memfd, exe_layer;
	uint64_t exe_ino, exe_ctime_ns, exe_mtime_ns;
	char exe[PROC_STR_MAX], exepath[PROC_STR_MAX];
	char args[PROC_STR_MAX], env[PROC_STR_MAX];
	size_t args_len, env_len;
	bool lin_ok;
	uint64_t lin_at;
	int32_t loginuid;
	char cgroups[PROC_STR_MAX];
	size_t cgroups_len;
};

/* An executable's facts (procfs_exe.c). */
struct exe_facts {
	mode_t mode;
	uid_t uid;
	gid_t gid;
	bool rdonly, file_caps;
	/* the inode, as the driver's exe_ino params give it: number, and
	 * ctime/mtime in ns since the epoch */
	uint64_t ino, ctime_ns, mtime_ns;
	bool unlinked; /* no name left (nlink 0): a memfd, a deleted file */
	bool overlay;  /* on an overlay filesystem */
	uint8_t layer; /* then which layer (EXE_LAYER_*) */
};

/* One kept exe_facts, keyed by mount view and path (procfs_exe.c). */
struct exe_slot {
	uint64_t mnt_id, at, used;
	struct exe_facts f;
	char path[PROC_STR_MAX];
};

/* One tracer's reader: every cache it keeps, and the snapshot proc()
 * hands out. All zero is a valid empty state. Each part is kept by the
 * file named beside it (procfs.c sets the two switches). */
struct procfs {
	/* what the last fd_stat learnt of the fd it looked at, for
	 * procfs_fd_closes_clean at the same exit (cleared at each exit) */
	struct {
		int64_t pid, fd;
		bool valid, clean;
	} last_fd;
	/* per-thread reads (procfs_thread.c) */
	struct tentry table[TC_SLOTS];
	uint64_t use_clock, seq, mnt_seq;
	uint64_t cwd_gen;    /* bumped by any chdir-like call of any tracee */
	uint64_t limits_gen; /* bumped by any setrlimit/prlimit64 of any tracee */
	bool cache_on;
	/* per-process image and lineage (procfs_image.c) */
	struct image images[IMG_SLOTS];
	uint64_t image_clock, lineage_dirty_at;
	bool lineage_seen; /* does the tracer see every write-open? */
	/* exe facts per (mount view, path) (procfs_exe.c) */
	struct exe_slot exes[EXE_SLOTS];
	uint64_t exe_clock;
	/* pidfds of the processes asked about, pid 0 = empty (procfs_sock.c) */
	struct {
		int64_t pid;
		int fd;
	} pidfds[PIDFD_SLOTS];
	unsigned pidfd_next;
	/* the snapshot proc() returns, valid until its next call, and the
	 * buffers its text is read into (procfs_snap.c) */
	struct proc_snapshot snap;
	/* when pdig's PID namespace's init started (ns since boot), read
	 * once: 0 = not read yet, UINT64_MAX = unreadable */
	uint64_t init_start_ns;
	char scratch[2 * PROC_STR_MAX];
	char env_scratch[PROC_STR_MAX];
};

/* Copies a string buffer up to its NUL only: the snapshots' 4 KiB buffers
 * mostly hold short paths. dst and src are cap bytes. */
static inline void copy_cstr(char *dst, const char *src, size_t cap)
{
	size_t n = strnlen(src, cap - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The kernel's struct statx (the fields pdig reads, at their ABI offsets;
 * 256 bytes in all), declared here because musl's headers lack it. */
struct pdig_statx {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad0;
	uint64_t ino, size, blocks, attributes_mask;
	uint8_t times[4][16];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t mnt_id;
	uint8_t rest[104];
};
_Static_assert(offsetof(struct pdig_statx, mnt_id) == 144 && sizeof(struct pdig_statx) == 256,
	       "struct statx layout");
#define PDIG_STATX_TYPE 0x1u
#define PDIG_STATX_MODE 0x2u
#define PDIG_STATX_INO 0x100u
#define PDIG_STATX_MNT_ID 0x1000u
/* statx(dirfd, path, flags) asking for the type, mode, inode and mount id (0/-1). */
int procfs_statx(int dirfd, const char *path, int flags, struct pdig_statx *out);
/* The superblock device of mount mnt_id, from pid's mountinfo (cached):
 * major/minor come in as the file's st_dev and go out as the mount's
 * device; -1 (left as they were) when mountinfo does not list the mount.
 * no_flush (may be NULL): whether the mount's filesystem type is one whose
 * files have no ->flush (procfs_fs_without_flush). */
int procfs_mount_dev(int64_t pid, uint64_t mnt_id, uint32_t *major, uint32_t *minor, bool *no_flush);
/* Filesystem types (mountinfo's names) whose regular files, directories
 * and FIFOs have no ->flush, so closing them always returns 0. */
bool procfs_fs_without_flush(const char *type, size_t len);
/* Hands each line of pid's mountinfo (no newline, not terminated) to fn
 * until fn returns 0; that 0, or -1 when no line did. */
int procfs_scan_mountinfo(int64_t pid, int (*fn)(const char *line, size_t len, void *arg), void *arg);
/* The overlay layer (EXE_LAYER_*) of the file at path (as pid sees it) on
 * the overlay mount mnt_id (procfs_overlay.c). */
uint8_t procfs_overlay_layer(int64_t pid, uint64_t mnt_id, const char *path);

/* Cached values are used this long at most (ns); see procfs_snap.c. */
#define PROCFS_TTL_NS 100000000ull

uint64_t procfs_mono_ns(void);

/* The thread's entry, created (maybe evicting the least recently used) if
 * absent; never NULL for tid > 0. */
struct tentry *tc_get(struct procfs *pf, int64_t tid);
struct tentry *tc_find(struct procfs *pf, int64_t tid);
/* Re-read stat / status through the kept fds; 0 ok, -1 if the thread is gone. */
int tc_read_stat(struct procfs *pf, struct tentry *e);
int tc_read_status(struct procfs *pf, struct tentry *e);
/* The text of tid's stat (or status) now, through its kept fd (a pread,
 * a third of an open+read+close), NUL-terminated in cap; length or -1. */
ssize_t tc_read_text(struct procfs *pf, int64_t tid, bool status, char *buf, size_t cap);
/* Where field `field` (numbered as in proc(5), 3 or more) of the stat text
 * buf (n bytes, terminated) starts, or NULL. */
const char *procfs_stat_field(const char *buf, size_t n, int field);
/* Fresh enough to be used without reading again? */
bool tc_status_fresh(const struct procfs *pf, const struct tentry *e, uint64_t now);
/* A thread's cwd or root, from the cache while no chdir-like call was
 * seen (they change with the same calls), else read now. */
const char *tc_fs_link(struct procfs *pf, struct tentry *e, enum fs_link which, uint64_t now);
/* RLIMIT_NOFILE's soft limit of tid (prlimit, else /proc/<tid>/limits). */
uint64_t tc_read_fdlimit(int64_t tid);
/* e's RLIMIT_NOFILE soft limit, cached; tc_limits_changed() when some
 * process's limits may have changed. */
uint64_t tc_fdlimit(struct procfs *pf, struct tentry *e, uint64_t now);
void tc_limits_changed(struct procfs *pf);
/* Do e's children go to another PID namespace than its own (after its
 * unshare(CLONE_NEWPID) or setns)? Read once, kept until those calls. */
bool tc_kids_elsewhere(struct procfs *pf, struct tentry *e);
/* The stat of a new thread or child, from its creator's; 0 ok. */
int tc_stat_of_new_thread(struct procfs *pf, struct tentry *e);
/* tid made a clone (of any kind, seen or not): its process may have a
 * second thread from now on. */
void tc_clone_made(struct procfs *pf, int64_t tid);
/* Drop what is cached of thread tid, and its pidfd if it is a process. */
void tc_forget(struct procfs *pf, int64_t tid);

/* tracee_state.proc (procfs_snap.c); ctx is the struct procfs. */
const struct proc_snapshot *procfs_proc(void *ctx, int64_t tid);
/* tid's exec succeeded: its image and credentials are new (procfs_snap.c). */
void snap_forget_exec(struct procfs *pf, int64_t tid);

/* Close the cached pidfd of process pid (procfs_sock.c). */
void procfs_forget_pidfd(struct procfs *pf, int64_t pid);

int procfs_exe_facts(struct procfs *pf, int64_t tid, uint64_t mnt_id, const char *path, struct exe_facts *out);
uint8_t procfs_exe_writable(const struct exe_facts *f, const struct thread_status *x);
/* The per-process image and lineage cache (procfs_image.c). */
bool image_exec_get(struct procfs *pf, struct proc_snapshot *s, const struct mm_mark *mm,
                    const struct thread_status *x, uint64_t now);
int image_lineage_get(struct procfs *pf, struct proc_snapshot *s, int64_t forked_from, uint64_t now,
                      uint64_t *read_at);
void image_put(struct procfs *pf, const struct proc_snapshot *s, const struct mm_mark *mm,
               const struct thread_status *x, uint64_t now, uint64_t lineage_at);
void image_forget_exec(struct procfs *pf, int64_t pid);
void image_lineage_dirty(struct procfs *pf, uint64_t now);

/* Shared with procfs_notes.c: caching on, a chdir-like call seen (every
 * cached cwd and root is stale), the next ordering stamp. */
bool tc_cache_on(const struct procfs *pf);
void tc_fs_changed(struct procfs *pf);
uint64_t tc_next_seq(struct procfs *pf);

/* A mount-view id for e, made up if it has none yet. */
uint64_t tc_mnt_id(struct procfs *pf, struct tentry *e);

/* Parsers, exposed for the fuzz and unit tests. */
int procfs_parse_stat(char *buf, size_t n, struct thread_stat *out);
void procfs_parse_status(char *buf, size_t n, struct thread_status *out, bool *have_tgid);

#endif
