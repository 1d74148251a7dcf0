/* Availability mode (`--max-cpu FRACTION`), as the Sysdig serverless agent
 * has one: the traced program keeps running at full speed and coverage
 * gives, never the other way round.
 *
 * What pdig costs is its own CPU per stop. A seccomp filter cannot be
 * loosened once installed (a later filter's ALLOW never beats an earlier
 * TRACE), so a syscall whose events are shed still stops; what shedding
 * saves is the rest: the memory reads, the /proc lookups, the encoding,
 * the sinks, and the exit stop wherever pdig's own state does not need it.
 * The bare stop is the floor: a budget below it cannot be met, and pdig
 * says so once and serves at the lowest level (never slowing the program).
 *
 * pdig's CPU is the whole process's (CLOCK_PROCESS_CPUTIME_ID: every
 * thread, as getrusage(RUSAGE_SELF)), measured over windows of WINDOW_NS
 * of wall time at the first stop after a window ends.
 *
 * Levels (budget.h), each shedding what the one before did and more:
 *   io     data I/O: read/write families, sendto with no destination,
 *          sendmmsg, recvmmsg, polls, seeks; with --rules/--repair, also
 *          every traced call outside what they asked for (what -e added)
 *          but the kept ones below;
 *   files  everything else but the kept calls and the path calls: fcntl,
 *          pipe, eventfd... and data I/O a rule or the repair set needs;
 *   core   path calls (open, creat, unlink, rename, mkdir, chmod...) whose
 *          paths are not sensitive (sensitive() below).
 * Never shed: process events (clone/fork/vfork/execve/exit, procexit,
 * signals), network (socket, connect, accept, bind, listen; sendmsg,
 * recvfrom, recvmsg and a sendto naming a destination, which Falco's
 * inbound/outbound macros use for unconnected UDP), the fd table (close,
 * dup*, fcntl F_DUPFD*), setuid/setgid mode changes, credential,
 * namespace and limit changes, module and bpf loads, ptrace, prctl,
 * seccomp, memfd_create, signals sent, and whatever the guard reports as
 * an attack.
 *
 * Hysteresis. Over budget in a window: one level up (three windows reach
 * the lowest level). Back down one level only when the level above is
 * predicted to fit, with a margin, for a whole hold time. The prediction
 * is the usage now times what the step up saved: the usage of the last
 * window before it over the first window after it (a level's saving
 * depends on the program's mix of calls, and the program itself runs
 * faster once pdig sheds, so it is measured, not assumed; 2 until then).
 * A step down that is over budget again within two windows (the load
 * grew, or the prediction was wrong) doubles the hold, up to HOLD_MAX_NS,
 * so the overshoot stays one window per hold (under 1% at the longest); a
 * level held for four holds resets it. A quiet second (no load) goes
 * straight back to full tracing: the pressure is over. */
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <time.h>

#include "abi/time_ns.h"
#include "budget.h"
#include "procfs/procfs.h"
#include "tracer_internal.h"

#define MS 1000000ull
#define WINDOW_NS (50 * MS)
#define HOLD_BASE_NS (500 * MS)
#define HOLD_MAX_NS (8000 * MS)
#define BOUNCE_NS (2 * WINDOW_NS)
#define QUIET_NS (1000 * MS)
#define FLOOR_WINDOWS 10 /* windows over budget at the lowest level before saying so */
#define DOWN_MARGIN 0.9  /* the level above must be predicted below 90% of the budget */
#define PATH_PEEK 256

static const char *const level_names[BUDGET_LEVELS] = { "full", "io", "files", "core" };

/* One per process: the budget is the process's, whichever tracer thread
 * serves a stop. Counters are atomic; one thread at a time evaluates. */
static struct {
	bool on;
	double max;               /* CPU seconds per wall second */
	uint8_t shed_at[PDIG_SYSCALL_MAX]; /* level from which nr is shed, 0 = never */
	int level;
	int evaluating;
	bool marked;              /* drop enter sent, drop exit owed */
	uint64_t win_wall, win_cpu; /* the window's start */
	uint64_t calm_since;      /* 0: not calm */
	uint64_t hold;
	uint64_t stepped_down_at;
	double saving[BUDGET_LEVELS]; /* usage at level-1 / usage at level, measured */
	double before_step;       /* usage of the window that made the last step up */
	bool measure_step;        /* the next window measures saving[level] */
	unsigned over_at_bottom;
	double bottom_usage;
	bool floor_told;
	uint64_t level_ns[BUDGET_LEVELS];
	uint64_t shed_level[BUDGET_LEVELS];
	uint64_t shed_nr[PDIG_SYSCALL_MAX];
	unsigned long long start_cpu, start_wall;
} b;

static uint64_t cpu_ns(void)
{
	return clock_ns(CLOCK_PROCESS_CPUTIME_ID);
}

/* Calls never shed: what the rules about processes, the network and
 * privileges see, and what pdig's state needs reported. close and the
 * dup family too: a consumer's fd table goes stale without them (a later
 * event names the old file), and with close elision a close costs one
 * stop either way. sendmsg, recvfrom and recvmsg: Falco's inbound and
 * outbound macros see unconnected UDP through them (sendto: when it names
 * a destination, kept_for() below). */
static bool kept(uint64_t nr)
{
	switch (nr) {
	case SYS_clone: case SYS_clone3: case SYS_fork: case SYS_vfork: case SYS_execve: case SYS_execveat:
	case SYS_exit: case SYS_exit_group:
	case SYS_socket: case SYS_connect: case SYS_accept: case SYS_accept4: case SYS_bind: case SYS_listen:
	case SYS_sendmsg: case SYS_recvfrom: case SYS_recvmsg:
	case SYS_close: case SYS_dup: case SYS_dup2: case SYS_dup3:
	case SYS_ptrace: case SYS_prctl: case SYS_setpgid: case SYS_setsid: case SYS_mount: case SYS_umount2:
	case SYS_init_module: case SYS_finit_module: case SYS_delete_module: case SYS_bpf: case SYS_memfd_create:
	case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_pidfd_send_signal: case SYS_rt_sigqueueinfo:
	case SYS_rt_tgsigqueueinfo: case SYS_seccomp: case SYS_open_by_handle_at: case SYS_pidfd_getfd:
		return true;
	default:
		/* credentials, cwd, root, namespaces, limits */
		return procfs_watched(nr);
	}
}

/* Calls kept for what their registers say: a sendto naming a destination
 * (unconnected UDP, Falco's outbound), an fcntl that duplicates an fd (the
 * consumer's fd table), a mode change that sets setuid or setgid. */
static bool kept_for(uint64_t nr, const uint64_t *args)
{
	const uint64_t set_id = 06000; /* S_ISUID | S_ISGID */
	switch (nr) {
	case SYS_sendto: return args[4] != 0;
	case SYS_fcntl: return args[1] == 0 /* F_DUPFD */ || args[1] == 1030 /* F_DUPFD_CLOEXEC */;
	case SYS_chmod: case SYS_fchmod: return args[1] & set_id;
	case SYS_fchmodat: return args[2] & set_id;
	default: return false;
	}
}

/* The data I/O calls: the first shed. */
static bool data_io(uint64_t nr)
{
	switch (nr) {
	case SYS_read: case SYS_write: case SYS_pread64: case SYS_pwrite64: case SYS_readv: case SYS_writev:
	case SYS_preadv: case SYS_pwritev: case SYS_preadv2: case SYS_pwritev2:
	case SYS_sendto: case SYS_recvfrom: case SYS_sendmsg: case SYS_recvmsg: case SYS_sendmmsg:
	case SYS_recvmmsg: case SYS_sendfile: case SYS_splice: case SYS_tee: case SYS_vmsplice:
	case SYS_copy_file_range: case SYS_lseek: case SYS_poll: case SYS_ppoll: case SYS_select:
	case SYS_pselect6: case SYS_epoll_wait: case SYS_epoll_pwait: case SYS_epoll_pwait2:
	case SYS_getsockopt: case SYS_setsockopt: case SYS_ioctl: case SYS_fsync: case SYS_fdatasync:
		return true;
	default:
		return false;
	}
}

/* The path arguments of a path call (-1: none); false if nr is none. */
static bool path_args(uint64_t nr, int *a, int *c)
{
	*c = -1;
	switch (nr) {
	case SYS_open: case SYS_creat: case SYS_mkdir: case SYS_rmdir: case SYS_unlink: case SYS_chmod:
	case SYS_chown: case SYS_lchown: case SYS_truncate: case SYS_mknod:
		*a = 0; return true;
	case SYS_openat: case SYS_openat2: case SYS_mkdirat: case SYS_unlinkat: case SYS_fchmodat:
	case SYS_fchownat: case SYS_mknodat:
		*a = 1; return true;
	case SYS_rename: case SYS_link:
		*a = 0; *c = 1; return true;
	case SYS_renameat: case SYS_renameat2: case SYS_linkat:
		*a = 1; *c = 3; return true;
	case SYS_symlink: /* the target, and the link made */
		*a = 0; *c = 1; return true;
	case SYS_symlinkat:
		*a = 0; *c = 2; return true;
	default:
		return false;
	}
}

void budget_init(double max_cpu, const struct syscall_set *traced, const struct syscall_set *rules_need)
{
	memset(&b, 0, sizeof b);
	if (!(max_cpu > 0))
		return;
	b.on = true;
	b.max = max_cpu;
	b.hold = HOLD_BASE_NS;
	for (int l = 0; l < BUDGET_LEVELS; l++)
		b.saving[l] = 2;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		int a, c;
		bool needed = rules_need && rules_need->on[nr];
		if (!traced->on[nr] || kept((uint64_t)nr))
			b.shed_at[nr] = 0;
		else if (path_args((uint64_t)nr, &a, &c))
			b.shed_at[nr] = BUDGET_CORE;
		else if (data_io((uint64_t)nr) && !needed)
			b.shed_at[nr] = BUDGET_IO;
		else if (rules_need && !needed)
			b.shed_at[nr] = BUDGET_IO; /* no rule needs it */
		else
			b.shed_at[nr] = BUDGET_FILES;
	}
	b.start_wall = b.win_wall = tracer_mono_ns();
	b.start_cpu = b.win_cpu = cpu_ns();
}

int budget_shed_level(uint64_t nr)
{
	return nr < PDIG_SYSCALL_MAX ? b.shed_at[nr] : 0;
}

int budget_call_level(uint64_t nr, const uint64_t *args)
{
	return kept_for(nr, args) ? 0 : budget_shed_level(nr);
}

/* Tell the consumer that narrowing starts (drop enter) or ends (drop
 * exit), as the driver marks a sampling period. Ratio 1: pdig sheds by
 * kind, not by sampling time, so a consumer must not scale its counts. */
static void mark(struct tracer *tr, pid_t tid, bool enter)
{
	uint64_t ts = core_now_ns();
	for (const struct pdig_schema *s = core_schema_next(tr, NULL); s; s = core_schema_next(tr, s))
		core_emit(tr, s, encode_drop(s, enter, ts, tid, 1, tr->event_buf, sizeof tr->event_buf));
	b.marked = enter;
}

static void set_level(int level, uint64_t now)
{
	if (level < b.level)
		b.stepped_down_at = now;
	__atomic_store_n(&b.level, level, __ATOMIC_RELAXED);
	b.calm_since = 0;
	b.over_at_bottom = 0;
}

/* One window is over: usage is pdig's CPU per wall second in it. */
static void evaluate(uint64_t now, uint64_t span, double usage)
{
	/* a quiet second (below): the load is gone, not between two levels,
	 * and the span is counted as time at full */
	bool quiet = span >= QUIET_NS && usage <= b.max && b.level != BUDGET_FULL &&
	             usage * b.saving[b.level] < b.max * DOWN_MARGIN;
	b.level_ns[quiet ? BUDGET_FULL : b.level] += span;
	if (b.measure_step && usage > 0) {
		double r = b.before_step / usage;
		b.saving[b.level] = r < 1 ? 1 : r > 8 ? 8 : r;
	}
	b.measure_step = false;
	if (usage > b.max) {
		if (b.stepped_down_at && now - b.stepped_down_at <= BOUNCE_NS + span) {
			/* the level above does not fit the load: wait longer */
			b.hold = b.hold * 2 > HOLD_MAX_NS ? HOLD_MAX_NS : b.hold * 2;
		}
		b.stepped_down_at = 0;
		if (b.level + 1 < BUDGET_LEVELS) {
			set_level(b.level + 1, now);
			b.before_step = usage;
			b.measure_step = true;
			return;
		}
		b.calm_since = 0;
		b.bottom_usage += usage;
		if (++b.over_at_bottom >= FLOOR_WINDOWS && !b.floor_told) {
			b.floor_told = true;
			fprintf(stderr, "pdig: --max-cpu %.2f is below the floor: the ptrace stops alone cost %.2f CPU "
			        "here at the lowest level; tracing on at that level\n", b.max,
			        b.bottom_usage / b.over_at_bottom);
		}
		return;
	}
	b.over_at_bottom = 0;
	b.bottom_usage = 0;
	if (b.stepped_down_at && now - b.stepped_down_at > 4 * b.hold) {
		b.hold = HOLD_BASE_NS; /* the level held: a new burst starts afresh */
		b.stepped_down_at = 0;
	}
	if (b.level == BUDGET_FULL || usage * b.saving[b.level] >= b.max * DOWN_MARGIN) {
		b.calm_since = 0;
		return;
	}
	if (quiet) {
		b.hold = HOLD_BASE_NS;
		set_level(BUDGET_FULL, now);
		b.stepped_down_at = 0;
		return;
	}
	if (!b.calm_since)
		b.calm_since = now - span;
	if (now - b.calm_since >= b.hold)
		set_level(b.level - 1, now);
}

void budget_tick(struct tracer *tr, pid_t tid, bool want)
{
	if (!b.on)
		return;
	uint64_t now = tracer_mono_ns();
	if (now - __atomic_load_n(&b.win_wall, __ATOMIC_RELAXED) < WINDOW_NS)
		return;
	if (__atomic_exchange_n(&b.evaluating, 1, __ATOMIC_ACQUIRE))
		return;
	uint64_t cpu = cpu_ns(), span = now - b.win_wall;
	double usage = (double)(cpu - b.win_cpu) / (double)span;
	evaluate(now, span, usage);
	__atomic_store_n(&b.win_wall, now, __ATOMIC_RELAXED);
	__atomic_store_n(&b.win_cpu, cpu, __ATOMIC_RELAXED);
	if (want && b.level != BUDGET_FULL && !b.marked)
		mark(tr, tid, true);
	else if (want && b.level == BUDGET_FULL && b.marked)
		mark(tr, tid, false);
	__atomic_store_n(&b.evaluating, 0, __ATOMIC_RELEASE);
}

/* Paths Falco's rules watch, as data. By prefix: system configuration
 * and credentials (/etc covers /etc/profile*, /etc/cron*), binaries and
 * boot files, devices and sockets that give the host away, package
 * databases, cron spools. By component anywhere: key and credential
 * directories. By file name anywhere: shell start-up files, shell
 * history, a cgroup's release_agent. */
static const char *const sensitive_prefixes[] = {
	"/etc", "/root", "/boot", "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin",
	"/lib/modules", "/dev/mem", "/dev/kmem", "/dev/port", "/var/run/docker.sock", "/run/docker.sock",
	"/run/containerd", "/var/run/secrets", "/sys/kernel", "/var/log", "/var/spool/cron", "/var/lib/rpm",
	"/var/lib/dpkg",
};
static const char *const sensitive_dirs[] = { ".ssh", ".aws", ".kube", ".docker", ".gnupg" };
static const char *const sensitive_names[] = {
	".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zprofile",
	"release_agent",
};
/* Written to (created, changed): sensitive anywhere under these, and
 * anything directly below / */
static const char *const sensitive_written[] = { "/dev" };

#define COUNT(a) (sizeof a / sizeof *a)

/* Does p start with the path prefix q (equal, or q then a slash)? */
static bool under(const char *p, const char *q)
{
	size_t n = strlen(q);
	return !strncmp(p, q, n) && (p[n] == 0 || p[n] == '/');
}

/* Tidies absolute path p in place, lexically: // and /./ collapse, a
 * trailing slash goes. false if it has a .. component: Falco's
 * directory-traversal rule looks for those, and resolving them without
 * the file system (symlinks) would guess. */
static bool tidy(char *p)
{
	char *w = p;
	for (const char *r = p; *r;) {
		while (*r == '/')
			r++;
		const char *end = strchrnul(r, '/');
		size_t n = (size_t)(end - r);
		if (n == 1 && r[0] == '.') {
			r = end;
			continue;
		}
		if (n == 2 && r[0] == '.' && r[1] == '.')
			return false;
		if (n) {
			*w++ = '/';
			memmove(w, r, n);
			w += n;
		}
		r = end;
	}
	if (w == p)
		*w++ = '/';
	*w = 0;
	return true;
}

/* writes: the call creates or changes the file (not a read-only open).
 * A relative path (its directory unknown without a lookup) counts as
 * sensitive. */
static bool sensitive(const char *path, bool writes)
{
	char p[PATH_PEEK];
	if (path[0] != '/' || strlen(path) >= sizeof p)
		return true;
	strcpy(p, path);
	if (!tidy(p))
		return true;
	for (size_t i = 0; i < COUNT(sensitive_prefixes); i++)
		if (under(p, sensitive_prefixes[i]))
			return true;
	if (writes) {
		if (p[1] && !strchr(p + 1, '/'))
			return true; /* directly below / */
		for (size_t i = 0; i < COUNT(sensitive_written); i++)
			if (under(p, sensitive_written[i]))
				return true;
	}
	const char *base = strrchr(p, '/') + 1;
	for (size_t i = 0; i < COUNT(sensitive_names); i++)
		if (!strcmp(base, sensitive_names[i]))
			return true;
	size_t bl = strlen(base);
	if (bl >= 8 && !strcmp(base + bl - 8, "_history"))
		return true;
	for (const char *c = p; c && *c; c = strchr(c + 1, '/')) {
		const char *end = strchrnul(c + 1, '/');
		for (size_t i = 0; i < COUNT(sensitive_dirs); i++)
			if ((size_t)(end - c - 1) == strlen(sensitive_dirs[i]) &&
			    !strncmp(c + 1, sensitive_dirs[i], (size_t)(end - c - 1)))
				return true;
	}
	/* /proc/PID/mem, environ, ...: another process's memory or secrets */
	if (!strncmp(p, "/proc/", 6)) {
		const char *rest = strchr(p + 6, '/');
		return rest && (!strcmp(rest, "/mem") || !strcmp(rest, "/environ") || !strncmp(rest, "/root/", 6));
	}
	return false;
}

bool budget_path_sensitive(const char *path, bool writes)
{
	return sensitive(path, writes);
}

static bool path_sensitive(pid_t tid, uint64_t addr, bool writes)
{
	char path[PATH_PEEK];
	struct mem_reader r;
	ssize_t n = mem_read_str(mem_reader_init(&r, NULL, tid, MEM_PLAIN), addr, path, sizeof path);
	/* unreadable, or too long to judge by its start: keep it */
	if (n <= 0 || (size_t)n >= sizeof path - 1)
		return true;
	path[n] = 0;
	return sensitive(path, writes);
}

/* Does path call nr create or change a file (not a read-only open)? */
static bool path_call_writes(uint64_t nr, const uint64_t *args)
{
	switch (nr) {
	case SYS_open: case SYS_openat: case SYS_openat2: case SYS_creat:
		return budget_needs_exit(nr, args);
	default:
		return true;
	}
}

/* A call interrupted by a signal the kernel discards is restarted, and
 * its restart stops at the filter again: the same call, whose events are
 * already counted. It stays shed, at whatever level, uncounted. */
static bool restart_of_shed(struct thread *t, uint64_t nr, const uint64_t *args)
{
	bool restart = t->shed_restart && (nr == SYS_restart_syscall ||
	                                   (nr == t->shed_nr && !memcmp(args, t->shed_args, sizeof t->shed_args)));
	t->shed_restart = false;
	return restart;
}

void budget_on_discarded_signal(struct thread *t)
{
	if (!b.on || !t->shed_last)
		return;
	/* at the signal-delivery stop the registers still hold what the
	 * interrupted call returned: a restart errno means it is restarted */
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &r) == 0 && r.orig_rax == t->shed_nr &&
	    sig_defers_exit((int64_t)r.rax))
		t->shed_restart = true;
}

/* n calls nr shed: the events each wanted schema's driver would have
 * sent (exit-only schemas send no enter for most calls). */
static void count_shed(struct tracer *tr, int level, uint64_t nr)
{
	/* -v: as schema 1.0.0 counts them, enter and exit */
	__atomic_fetch_add(&b.shed_level[level], 2, __ATOMIC_RELAXED);
	__atomic_fetch_add(&b.shed_nr[nr], 2, __ATOMIC_RELAXED);
	if (!tr->out.shed)
		return;
	for (const struct pdig_schema *s = core_schema_next(tr, NULL); s; s = core_schema_next(tr, s))
		if (pdig_syscall_reported(nr))
			tr->out.shed(tr->out.ctx, s->id, 1 + (encode_enter_sent(s, nr) ? 1 : 0));
}

bool budget_sheds(struct tracer *tr, struct thread *t, uint64_t nr, const uint64_t *args)
{
	if (!b.on || nr >= PDIG_SYSCALL_MAX)
		return false;
	if (restart_of_shed(t, nr, args))
		return true;
	t->shed_last = false;
	int level = __atomic_load_n(&b.level, __ATOMIC_RELAXED);
	int at = budget_call_level(nr, args);
	if (!at || level < at)
		return false;
	int a, c;
	if (at == BUDGET_CORE && path_args(nr, &a, &c)) {
		bool w = path_call_writes(nr, args);
		if (path_sensitive(t->tid, args[a], w) || (c >= 0 && path_sensitive(t->tid, args[c], w)))
			return false;
	}
	/* exit and exit_group, which have no exit, are kept */
	count_shed(tr, level, nr);
	t->shed_last = true;
	t->shed_nr = nr;
	memcpy(t->shed_args, args, sizeof t->shed_args);
	return true;
}

bool budget_needs_exit(uint64_t nr, const uint64_t *args)
{
	/* an open that may write: the guard checks what it got (guard_files.c)
	 * and procfs what it wrote; a read-only open changes neither */
	const uint64_t writes = 01 /* O_WRONLY */ | 02 /* O_RDWR */ | 0100 /* O_CREAT */ | 01000 /* O_TRUNC */;
	switch (nr) {
	case SYS_open: return args[1] & writes;
	case SYS_openat: return args[2] & writes;
	case SYS_creat: case SYS_openat2: return true; /* openat2's flags are in memory */
	/* fds received (SCM_RIGHTS): the close elision's table learns them
	 * at the exit (elide_on_exit) */
	case SYS_recvmmsg: return true;
	default: return false;
	}
}

void budget_report(int verbose)
{
	if (!b.on || !verbose)
		return;
	uint64_t wall = tracer_mono_ns() - b.start_wall, cpu = cpu_ns() - b.start_cpu;
	uint64_t total = 0;
	for (int l = 0; l < BUDGET_LEVELS; l++)
		total += b.shed_level[l];
	b.level_ns[b.level] += tracer_mono_ns() - b.win_wall;
	fprintf(stderr, "pdig: --max-cpu %.2f: used %.3f CPU (%.3f s in %.3f s); events shed %llu:", b.max,
	        wall ? (double)cpu / (double)wall : 0.0, cpu / 1e9, wall / 1e9, (unsigned long long)total);
	for (int l = 1; l < BUDGET_LEVELS; l++)
		fprintf(stderr, " level %d (%s) %llu%s", l, level_names[l], (unsigned long long)b.shed_level[l],
		        l + 1 < BUDGET_LEVELS ? "," : "");
	fprintf(stderr, "; time per level:");
	for (int l = 0; l < BUDGET_LEVELS; l++)
		fprintf(stderr, " %s %.2f s", level_names[l], b.level_ns[l] / 1e9);
	fputc('\n', stderr);
	if (!total)
		return;
	fprintf(stderr, "pdig: --max-cpu: events shed by syscall:");
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (b.shed_nr[nr])
			fprintf(stderr, " %s %llu", pdig_syscall_name((uint64_t)nr),
			        (unsigned long long)b.shed_nr[nr]);
	fputc('\n', stderr);
}
