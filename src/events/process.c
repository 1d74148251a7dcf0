/* process family encoders: execve/clone exits (the driver's
 * f_proc_startupdate, fed from a /proc snapshot of the thread), credentials,
 * namespaces, signals, limits, ptrace, bpf, seccomp. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "events/encoder.h"
#include "families.h"
#include "netflags.h"
#include "ubuf.h"

#define ARGS_MAX 4096 /* the driver's page-sized argument area */
#define PATH_MAX_STR 4096

static int64_t iarg(const struct enc_ctx *c, int i) { return (int32_t)c->args[i]; }
static void put_res(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, c->ret); }
void proc_put_ret_only(struct evbuf *b, const struct enc_ctx *c) { put_res(b, c); }
void proc_put_ret_u32(struct evbuf *b, const struct enc_ctx *c) { evb_u32(b, (uint32_t)c->ret); }

static const struct proc_snapshot *snap(const struct enc_ctx *c)
{
	return c->st && c->st->proc ? c->st->proc(c->st->ctx, c->tid) : NULL;
}

static size_t clampz(size_t n, size_t cap) { return n < cap ? n : cap; }

/* exe + args: one NUL-separated argv area, split at the first NUL. */
static void put_exe_args(struct evbuf *b, const char *area, size_t len)
{
	size_t exe = strnlen(area, len);
	evb_strn(b, area, exe);
	if (exe < len)
		exe++;
	evb_bytes(b, area + exe, len - exe);
}

/* Params 4..14 (tid .. cgroups), shared by execve and clone exits. */
static void put_common(struct evbuf *b, const struct enc_ctx *c, const struct proc_snapshot *p)
{
	if (!p) {
		/* A thread gone before /proc could be read: what the tracer
		 * knows, zeros of the right size for the rest */
		evb_s64(b, c->tid);
		evb_s64(b, c->pid);
		evb_s64(b, 0);
		evb_str(b, "");
		for (int i = 0; i < 3; i++)
			evb_u64(b, 0);
		for (int i = 0; i < 3; i++)
			evb_u32(b, 0);
		evb_str(b, "");
		evb_empty(b);
		return;
	}
	evb_s64(b, p->tid);
	evb_s64(b, p->pid);
	evb_s64(b, p->ptid);
	/* cwd: empty, as every driver pushes it; consumers take the cwd from
	 * their /proc scan or the capture's process list, the parent's at a
	 * clone, and chdir/fchdir (libsinsp never reads this param) */
	evb_str(b, "");
	evb_u64(b, p->fdlimit);
	evb_u64(b, p->pgft_maj);
	evb_u64(b, p->pgft_min);
	evb_u32(b, p->vm_size_kb);
	evb_u32(b, p->vm_rss_kb);
	evb_u32(b, p->vm_swap_kb);
	evb_strn(b, p->comm, strnlen(p->comm, sizeof(p->comm)));
	evb_bytes(b, p->cgroups, clampz(p->cgroups_len, sizeof(p->cgroups)));
}

static void put_snap_exe_args(struct evbuf *b, const struct proc_snapshot *p)
{
	if (!p) {
		evb_empty(b);
		evb_empty(b);
		return;
	}
	evb_strn(b, p->exe, strnlen(p->exe, sizeof(p->exe)));
	evb_bytes(b, p->args, clampz(p->args_len, sizeof(p->args)));
}

/* The program's path: "(NULL)" for a NULL pointer, and "<NA>" (the
 * driver's word for it) when the memory cannot be read. */
static void put_exec_path(struct evbuf *b, const struct enc_ctx *c, uint64_t addr)
{
	ub_put_str_or(b, c->mem, addr, PATH_MAX_STR, "<NA>");
}

/* The kernel's name for the program an exec was asked for (bprm's
 * filename): execve's path; execveat's when absolute or relative to the
 * cwd, else /dev/fd/N (AT_EMPTY_PATH: fexecve) or /dev/fd/N/PATH. After a
 * successful exec the caller's memory is gone (what lies at the address
 * now is the new program's): the path can only be what the entry kept
 * (encode_keep_entry_strings), else it is "<NA>". */
static void put_exec_filename(struct evbuf *b, const struct enc_ctx *c)
{
	char path[PATH_MAX_STR], name[PATH_MAX_STR + 32];
	bool at = c->nr == SYS_execveat;
	uint64_t addr = c->args[at ? 1 : 0];
	ssize_t n = -1;
	if (addr && c->ret < 0)
		n = mem_read_str(c->mem, addr, path, sizeof path);
	else if (addr && c->mem->recall_str)
		n = c->mem->recall_str(c->mem->ctx, addr, path, sizeof path);
	if (n < 0) {
		evb_str(b, addr ? "<NA>" : NULL);
		return;
	}
	int dirfd = (int)c->args[0];
	if (!at) {
		evb_strn(b, path, (size_t)n);
		return;
	}
	if (path[0] == '/' || dirfd == -100 /* AT_FDCWD */) {
		evb_strn(b, path, (size_t)n);
		return;
	}
	int len = n ? snprintf(name, sizeof name, "/dev/fd/%d/%s", dirfd, path)
	            : snprintf(name, sizeof name, "/dev/fd/%d", dirfd);
	evb_strn(b, name, len < (int)sizeof name ? (size_t)len : sizeof name - 1);
}

void encode_keep_entry_strings(const struct enc_ctx *c)
{
	char path[PATH_MAX_STR];
	if (c->nr == SYS_execve)
		mem_read_str(c->mem, c->args[0], path, sizeof path);
	else if (c->nr == SYS_execveat)
		mem_read_str(c->mem, c->args[1], path, sizeof path);
}

/* The driver's execve flags (the execve_flags table): 1.0.0's has only
 * EXE_WRITABLE, later ones the memfd and overlay flags too. */
static uint32_t exe_flags(const struct evbuf *b, const struct proc_snapshot *p)
{
	if (!p)
		return 0;
	uint32_t fl = p->exe_writable ? NF_EXE_WRITABLE : 0;
	if (b->schema->id == SCHEMA_1_0_0)
		return fl;
	if (p->exe_memfd)
		fl |= NF_EXE_FROM_MEMFD;
	if (p->exe_layer == EXE_LAYER_UPPER)
		fl |= NF_EXE_UPPER_LAYER;
	else if (p->exe_layer == EXE_LAYER_LOWER)
		fl |= NF_EXE_LOWER_LAYER;
	return fl;
}

/* The params 4.0.1 added to the exec exits (the thread after the call:
 * the new program's, or the caller's when the exec failed), then
 * (4.1.0, execve only) the path the program was asked for. Unknown ids
 * are -1, as the clone exit has them. */
static void put_exec_creds(struct evbuf *b, const struct enc_ctx *c, const struct proc_snapshot *p)
{
	evb_u64(b, p ? p->cap_inh : 0);
	evb_u64(b, p ? p->cap_prm : 0);
	evb_u64(b, p ? p->cap_eff : 0);
	evb_u64(b, p ? p->exe_ino : 0);
	evb_u64(b, p ? p->exe_ctime_ns : 0);
	evb_u64(b, p ? p->exe_mtime_ns : 0);
	evb_u32(b, p ? p->uid : UINT32_MAX);
	/* the path the kernel resolved for the running program: /proc's
	 * exe link, as the driver's d_path of the exe file */
	if (p)
		evb_strn(b, p->exepath, strnlen(p->exepath, sizeof p->exepath));
	else
		evb_empty(b);
	evb_s64(b, p ? p->pgid : 0);
	evb_u32(b, p ? p->gid : UINT32_MAX);
	if (b->type == EV_SYSCALL_EXECVE_19_X && evb_keeps(b, 30))
		put_exec_filename(b, c);
}

/* execve/execveat exit; argv/envp are the syscall's pointer arrays, used
 * when the call failed and the process image is still the caller's. */
static void exec_exit(struct evbuf *b, const struct enc_ctx *c, uint64_t argv, uint64_t envp)
{
	const struct proc_snapshot *p = snap(c);
	char area[ARGS_MAX];
	put_res(b, c);
	if (c->ret < 0)
		put_exe_args(b, area, ub_strarray(c->mem, argv, area, sizeof(area)));
	else
		put_snap_exe_args(b, p);
	put_common(b, c, p);
	if (c->ret < 0)
		evb_bytes(b, area, ub_strarray(c->mem, envp, area, sizeof(area)));
	else if (p)
		evb_bytes(b, p->env, clampz(p->env_len, sizeof(p->env)));
	else
		evb_empty(b);
	evb_s32(b, p ? p->tty : 0);
	/* the process group as the thread's own namespace numbers it (the
	 * driver's vpgid; 1.0.0 named it pgid) */
	evb_s64(b, p ? p->vpgid : 0);
	evb_s32(b, p ? p->loginuid : -1);
	evb_u32(b, exe_flags(b, p));
	if (evb_keeps(b, 20))
		put_exec_creds(b, c, p);
}


void proc_execve_e(struct evbuf *b, const struct enc_ctx *c)
{
	put_exec_path(b, c, c->args[0]);
}

void proc_execve_x(struct evbuf *b, const struct enc_ctx *c)
{
	exec_exit(b, c, c->args[1], c->args[2]);
}

void proc_execveat_e(struct evbuf *b, const struct enc_ctx *c)
{
	/* AT_FDCWD and PPM_AT_FDCWD are both -100; the 1.0.0 driver tests the
	 * low 32 bits for it and writes any other dirfd whole */
	evb_s64(b, iarg(c, 0) == -100 ? -100 : reg_int_arg(c, 0));
	put_exec_path(b, c, c->args[1]);
	evb_u32(b, flags_to_ppm(execveat_flags_map, c->args[4]));
}

void proc_execveat_x(struct evbuf *b, const struct enc_ctx *c)
{
	exec_exit(b, c, c->args[2], c->args[3]);
}

/* A successful execveat is reported as an execve exit (after the execveat
 * enter), as later drivers do: sysdig 0.29.3 dies (SIGSEGV in
 * parse_dirfd) on a successful EXECVEAT_X whose dirfd is a real fd, and
 * every later event is lost with it. A failed execveat stays EXECVEAT_X,
 * as in those drivers. */
uint16_t process_exit_event(uint16_t type, const struct enc_ctx *c)
{
	return type == EV_SYSCALL_EXECVEAT_X && c->ret >= 0 ? EV_SYSCALL_EXECVE_19_X : type;
}

/* pidns_init_start_ts (4.0.1+): for the child only, when its namespace's
 * init's start is known */
static void put_pidns_start(struct evbuf *b, const struct enc_ctx *c, const struct proc_snapshot *p)
{
	evb_u64(b, c->ret == 0 && p ? p->pidns_init_start_ns : 0);
}

/* Native clone flags of this clone-family call. */
static uint64_t clone_native_flags(const struct evbuf *b, const struct enc_ctx *c)
{
	uint16_t type = b->type;
	if (type == EV_SYSCALL_CLONE_20_X)
		return c->args[0];
	if (type == EV_SYSCALL_CLONE3_X) {
		/* struct clone_args starts with the u64 flags; its size is args[1] */
		uint64_t fl;
		if (c->args[1] >= 8 && mem_read_exact(c->mem, c->args[0], &fl, 8) == 0)
			return fl;
	}
	return 0; /* fork/vfork: the driver reports no flags */
}

/* clone/fork/vfork/clone3 exit; called for the parent (ret = child tid)
 * and for the child (ret = 0), each with its own thread's snapshot. */
void proc_clone_x(struct evbuf *b, const struct enc_ctx *c)
{
	const struct proc_snapshot *p = snap(c);
	evb_s64(b, c->ret);
	if (c->ret < 0) {
		evb_strn(b, "", 0);
		evb_bytes(b, NULL, 0);
	} else {
		put_snap_exe_args(b, p);
	}
	put_common(b, c, p);
	uint32_t fl = flags_to_ppm(clone_flags_map, clone_native_flags(b, c));
	/* The driver flags threads living in a child PID namespace, or
	 * whose children will. */
	if (p && (p->in_pidns || (p->vtid && p->vtid != p->tid) || (p->vpid && p->vpid != p->pid)))
		fl |= NF_CL_CHILD_IN_PIDNS;
	evb_u32(b, fl);
	/* unknown ids are -1, not 0: root would be a claim */
	evb_u32(b, p ? p->uid : UINT32_MAX);
	evb_u32(b, p ? p->gid : UINT32_MAX);
	evb_s64(b, p ? (p->vtid ? p->vtid : p->tid) : c->tid);
	evb_s64(b, p ? (p->vpid ? p->vpid : p->pid) : c->pid);
	put_pidns_start(b, c, p);
}

/* ---- credentials and sessions ---- */

void proc_id1_e(struct evbuf *b, const struct enc_ctx *c) { evb_u32(b, (uint32_t)c->args[0]); }

void proc_id3_e(struct evbuf *b, const struct enc_ctx *c)
{
	for (int i = 0; i < 3; i++)
		evb_u32(b, (uint32_t)c->args[i]);
}

/* getresuid/getresgid: the three ids the kernel stored at the pointers. */
void proc_getres_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	for (int i = 0; i < 3; i++) {
		uint32_t id;
		if (mem_read_exact(c->mem, c->args[i], &id, 4) == 0)
			evb_u32(b, id);
		else
			evb_empty(b);
	}
}

void proc_setpgid_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_s64(b, reg_int_arg(c, 1));
}

void proc_setns_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_u32(b, flags_to_ppm(clone_flags_map, c->args[1]));
}

void proc_unshare_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u32(b, flags_to_ppm(clone_flags_map, c->args[0]));
}

/* ---- signals ---- */

void proc_kill_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_u8(b, (uint8_t)c->args[1]);
}

void proc_tgkill_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_s64(b, reg_int_arg(c, 1));
	evb_u8(b, (uint8_t)c->args[2]);
}

/* ---- resource limits ---- */

static uint8_t rlimit_res(uint64_t r) { return (uint8_t)flag_value(rlimit_map, (int64_t)r, NF_RLIMIT_UNKNOWN); }

void proc_rlimit_e(struct evbuf *b, const struct enc_ctx *c) { evb_u8(b, rlimit_res(c->args[0])); }

/* cur/max of a struct rlimit in tracee memory; -1/-1 when not available. */
static void put_rlimit(struct evbuf *b, const struct enc_ctx *c, uint64_t addr, bool valid)
{
	int64_t rl[2] = { -1, -1 };
	if (!valid || !addr || mem_read_exact(c->mem, addr, rl, sizeof(rl)) < 0)
		rl[0] = rl[1] = -1;
	evb_s64(b, rl[0]);
	evb_s64(b, rl[1]);
}

void proc_getrlimit_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_rlimit(b, c, c->args[1], c->ret >= 0);
}

void proc_setrlimit_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_rlimit(b, c, c->args[1], true); /* the requested limit, even on failure */
}

void proc_prlimit_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_s64(b, reg_int_arg(c, 0));
	evb_u8(b, rlimit_res(c->args[1]));
}

void proc_prlimit_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	put_rlimit(b, c, c->args[2], c->ret >= 0);
	put_rlimit(b, c, c->args[3], true);
	/* since 4.0.1 the enter's pid and resource */
	proc_prlimit_e(b, c);
}

/* ---- ptrace, bpf, seccomp, userfaultfd ---- */

static uint16_t ptrace_req(const struct enc_ctx *c) { return (uint16_t)flag_value(ptrace_req_map, (int64_t)c->args[0], 0); }

static void put_dyn64(struct evbuf *b, uint8_t idx, uint64_t v)
{
	uint8_t d[9];
	d[0] = idx;
	memcpy(d + 1, &v, 8);
	evb_bytes(b, d, 9);
}

void proc_ptrace_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u16(b, ptrace_req(c));
	evb_s64(b, reg_int_arg(c, 1));
}

void proc_ptrace_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	if (c->ret < 0) {
		put_dyn64(b, NF_PTRACE_IDX_UINT64, 0);
		put_dyn64(b, NF_PTRACE_IDX_UINT64, 0);
		return;
	}
	uint16_t req = ptrace_req(c);
	put_dyn64(b, NF_PTRACE_IDX_UINT64, c->args[2]);
	switch (req) {
	case NF_PTRACE_PEEKTEXT: case NF_PTRACE_PEEKDATA: case NF_PTRACE_PEEKUSR: {
		/* the peeked word was stored at data */
		uint64_t w = 0;
		if (mem_read_exact(c->mem, c->args[3], &w, 8) < 0)
			w = 0;
		put_dyn64(b, NF_PTRACE_IDX_UINT64, w);
		break;
	}
	case NF_PTRACE_CONT: case NF_PTRACE_SINGLESTEP: case NF_PTRACE_DETACH: case NF_PTRACE_SYSCALL: {
		uint8_t d[2] = { NF_PTRACE_IDX_SIGTYPE, (uint8_t)c->args[3] };
		evb_bytes(b, d, 2);
		break;
	}
	default:
		put_dyn64(b, NF_PTRACE_IDX_UINT64, c->args[3]);
	}
}

void proc_bpf_e(struct evbuf *b, const struct enc_ctx *c) { evb_s64(b, iarg(c, 0)); }

void proc_bpf_x(struct evbuf *b, const struct enc_ctx *c)
{
	/* BPF_MAP_CREATE (0) and BPF_PROG_LOAD (5) return an fd */
	int64_t cmd = iarg(c, 0);
	bool fd = c->ret >= 0 && (cmd == 0 || cmd == 5);
	put_dyn64(b, fd ? NF_BPF_IDX_FD : NF_BPF_IDX_RES, (uint64_t)c->ret);
}

/* op; flags since 4.0.1 */
void proc_seccomp_e(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u64(b, c->args[0]);
	evb_u64(b, c->args[1]);
}

void proc_userfaultfd_x(struct evbuf *b, const struct enc_ctx *c)
{
	put_res(b, c);
	evb_u32(b, (uint32_t)c->args[0]); /* raw, as the driver's autofill */
}
