/* A seeded stream fuzzer: where hostile.c feeds every syscall garbage, this
 * one makes plausible calls, so the events pdig writes carry real fds,
 * dirfds, short strings, real paths, AT_EMPTY_PATH and flag bit patterns,
 * and some of them succeed: exec of a file, an fd, a memfd, through a
 * dirfd. The test runs it under `pdig -a -w` and requires `sysdig -r` to
 * read every event back without crashing.
 *
 * usage: stream_fuzz --fuzz SEED BATCHES [CALLS]
 *
 * Containment (root needed; exit 77 otherwise): new PID, IPC, mount, UTS
 * and network namespaces; every mount read-only but a small tmpfs that is
 * the working directory; stdio on /dev/null; limits on file size, memory
 * and fds. The namespace's init (A) runs BATCHES children, each making
 * CALLS calls picked by a generator seeded with (SEED, batch), with a 20 ms
 * interval timer so blocking calls end with EINTR; A kills a batch after
 * 1 s. An exec-family call runs in a child of the batch (a successful
 * exec would replace the batch). Calls whose effect reaches outside the
 * namespaces with root (priorities by uid, keyrings, fanotify, remounts of
 * a shared superblock, quotas) are left to hostile.c's bad pointers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "contain.h"

#define NR_LAST 462

/* Not called here (see the header): hostile.c covers them with garbage. */
static int excluded(long nr)
{
	switch (nr) {
	case SYS_reboot: case SYS_kexec_load: case SYS_kexec_file_load:
	case SYS_init_module: case SYS_finit_module: case SYS_delete_module:
	case SYS_swapon: case SYS_swapoff: case SYS_acct: case SYS_quotactl:
	case SYS_settimeofday: case SYS_clock_settime: case SYS_adjtimex:
	case SYS_clock_adjtime: case SYS_iopl: case SYS_ioperm: case SYS_vhangup:
	case SYS_mlock: case SYS_mlock2: case SYS_mlockall: case SYS_perf_event_open:
	case SYS_setpriority: case SYS_ioprio_set: case SYS_sched_setscheduler:
	case SYS_sched_setparam: case SYS_sched_setattr:
	case SYS_add_key: case SYS_request_key: case SYS_keyctl:
	case SYS_fanotify_init: case SYS_fanotify_mark:
	case SYS_mount: case SYS_umount2: case SYS_pivot_root: case SYS_mount_setattr:
	case SYS_fsopen: case SYS_fsconfig: case SYS_fsmount: case SYS_fspick:
	case SYS_move_mount: case SYS_open_tree:
	/* they end the batch: */
	case SYS_exit: case SYS_exit_group: case SYS_rt_sigreturn:
	/* a vfork child returning through syscall() breaks the shared stack */
	case SYS_vfork:
	/* TLS and the signal mask the batch runs on */
	case SYS_arch_prctl: case SYS_rt_sigprocmask: case SYS_rt_sigaction: case SYS_setitimer:
		return 1;
	}
	return 0;
}

static uint64_t rng;
static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
static uint64_t pick(uint64_t n) { return rnd() % n; }

static char workdir[64];
static int fds[32], nfds, dirfds[4], ndirfds, execfds[4], nexecfds;
static uint8_t *buf;      /* 64 KiB of scratch the calls may read and write */
static uint8_t *scratch;  /* what memory calls (munmap, mprotect...) act on */
static uint8_t *edge;     /* last byte of a mapped page; the next is unmapped */
static char *strs[40];
static int nstrs;
static char **argvs[4];

/* Never /proc/self/exe: that link leads to the mount the program was
 * started from, outside the read-only copies (a chmod through it once
 * left this program mode 000). */
static const char *const names[] = {
	"", "a", "f1", "dir", "dir/f2", "true-copy", "script", "link", "no-such", ".", "..",
	"sock", "fifo", "/", "/bin/true", "/etc/hostname", "/proc/self/fd/3",
	"/dev/null", "/nonexistent/x", "/proc/self/status", "/tmp", "/bin/sh", "\x01\x02",
};

static char *keep_str(const char *s)
{
	char *p = (char *)buf + 32768 + nstrs * 256;
	snprintf(p, 256, "%s", s);
	strs[nstrs++] = p;
	return p;
}

static uint64_t ptr(const void *p) { return (uint64_t)(uintptr_t)p; }

/* A string for one call, in a slot of its own. */
static char *call_str(const char *s)
{
	char *p = (char *)buf + 61440;
	snprintf(p, 256, "%s", s);
	return p;
}

static uint64_t an_fd(void) { return nfds ? (uint64_t)fds[pick(nfds)] : 0; }
static uint64_t a_dirfd(void)
{
	switch (pick(4)) {
	case 0: return (uint64_t)AT_FDCWD;
	case 1: return (uint64_t)execfds[pick(nexecfds)];
	default: return (uint64_t)dirfds[pick(ndirfds)];
	}
}

static uint64_t flags_pattern(void)
{
	static const uint64_t common[] = {
		0, 0x1000 /* AT_EMPTY_PATH */, 0x100 /* AT_SYMLINK_NOFOLLOW */, 0x200, 0x400,
		O_RDONLY, O_WRONLY | O_CREAT, O_RDWR | O_CREAT | O_TRUNC, O_PATH, O_DIRECTORY,
		O_CLOEXEC, O_NONBLOCK, O_APPEND, O_TMPFILE | O_RDWR, 0x80000, 0x800,
	};
	switch (pick(4)) {
	case 0: return common[pick(sizeof common / sizeof *common)];
	case 1: return 1ull << pick(32);
	case 2: return rnd() & 0xffffffffu;
	default: return rnd() & 0xffff;
	}
}

/* One argument of a plausible shape. */
static uint64_t arg(void)
{
	static const uint64_t sizes[] = { 0, 1, 2, 8, 16, 28, 64, 110, 128, 4096, 16384 };
	switch (pick(16)) {
	case 0: case 1: case 2: return an_fd();
	case 3: return a_dirfd();
	case 4: case 5: return ptr(strs[pick(nstrs)]);
	case 6: case 7: return ptr(buf + pick(8) * 512);
	case 8: return pick(17);
	case 9: return sizes[pick(sizeof sizes / sizeof *sizes)];
	case 10: case 11: return flags_pattern();
	case 12: return 0;
	case 13: {
		static const uint64_t bad[] = { 1, 0xffffffffffffull, 0 };
		uint64_t b = bad[pick(3)];
		return b ? b : ptr(edge);
	}
	case 14: return pick(2) ? (uint64_t)-1 : (uint64_t)AT_FDCWD;
	default: return ptr(argvs[pick(4)]);
	}
}

/* Fills the scratch buffer with things a pointer argument may be read
 * as: sockaddrs, iovecs over the buffer, timespecs, random bytes. */
static void shape_buffer(void)
{
	for (int blk = 0; blk < 8; blk++) {
		uint8_t *p = buf + blk * 512;
		switch (pick(6)) {
		case 0: {
			struct sockaddr_in *in = (void *)p;
			memset(p, 0, 512);
			in->sin_family = AF_INET;
			in->sin_port = htons((uint16_t)(40000 + pick(4)));
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			break;
		}
		case 1: {
			struct sockaddr_un *un = (void *)p;
			memset(p, 0, 512);
			un->sun_family = AF_UNIX;
			snprintf(un->sun_path, sizeof un->sun_path, "%s/sock", workdir);
			break;
		}
		case 2: {
			struct iovec *iov = (void *)p;
			for (int i = 0; i < 4; i++) {
				iov[i].iov_base = buf + 4096 + i * 1024;
				iov[i].iov_len = pick(2) ? 1024 : pick(64);
			}
			break;
		}
		case 3: {
			struct timespec *ts = (void *)p;
			ts[0].tv_sec = 0;
			ts[0].tv_nsec = (long)pick(2000000);
			ts[1] = ts[0];
			break;
		}
		case 4:
			memset(p, 0, 512);
			break;
		default:
			for (int i = 0; i < 512; i += 8) {
				uint64_t v = rnd();
				memcpy(p + i, &v, 8);
			}
		}
	}
}

/* An exec-family call with plausible arguments: a program by path, by
 * name under a dirfd, by fd with AT_EMPTY_PATH (a file or a memfd), or
 * random shapes. Runs in a child; a failed exec just exits. */
static void fuzz_exec(long nr)
{
	uint64_t a[6];
	for (int i = 0; i < 6; i++)
		a[i] = arg();
	static const char *const progs[] = { "/bin/true", "true-copy", "script", "link", "no-such", "dir" };
	if (pick(4)) {
		const char *prog = progs[pick(sizeof progs / sizeof *progs)];
		char **av = argvs[pick(3)];
		if (nr == SYS_execve) {
			a[0] = ptr(call_str(prog));
			a[1] = ptr(av);
			a[2] = ptr(argvs[pick(3)]);
		} else if (pick(2)) {
			a[0] = (uint64_t)execfds[pick(nexecfds)];
			a[1] = ptr(call_str(""));
			a[4] = pick(4) ? 0x1000 /* AT_EMPTY_PATH */ : flags_pattern();
		} else {
			a[0] = pick(3) ? (uint64_t)dirfds[pick(ndirfds)] : (uint64_t)AT_FDCWD;
			a[1] = ptr(call_str(prog));
			a[4] = pick(3) ? 0 : flags_pattern();
		}
		if (nr == SYS_execveat) {
			a[2] = ptr(av);
			a[3] = ptr(argvs[pick(3)]);
		}
	}
	pid_t p = fork();
	if (p == 0) {
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		_exit(0);
	}
	if (p > 0)
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
}

static void on_alarm(int sig) { (void)sig; }

static void run_batch(unsigned calls)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	for (unsigned c = 0; c < calls; c++) {
		long nr;
		/* one call in twelve is an exec */
		if (pick(12) == 0)
			nr = pick(2) ? SYS_execveat : SYS_execve;
		else
			do
				nr = (long)pick(NR_LAST + 1);
			while (excluded(nr));
		shape_buffer();
		if (nr == SYS_execve || nr == SYS_execveat) {
			fuzz_exec(nr);
			continue;
		}
		uint64_t a[6];
		for (int i = 0; i < 6; i++)
			a[i] = arg();
		switch (nr) {
		case SYS_munmap: case SYS_mremap: case SYS_mprotect: case SYS_madvise:
		case SYS_msync: case SYS_mincore: case SYS_remap_file_pages:
		case SYS_pkey_mprotect: case SYS_munlock: case SYS_shmdt:
		case 462 /* mseal */:
			a[0] = ptr(scratch);
			break;
		case SYS_mmap: case SYS_shmat:
			a[3] &= ~(uint64_t)(MAP_FIXED | 0x4000 /* SHM_REMAP */);
			break;
		case SYS_clone:
			/* no shared memory without a stack of its own */
			a[0] &= ~(uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_SETTLS);
			break;
		case SYS_clone3: {
			uint64_t ca[11] = { 0 };
			ca[0] = flags_pattern() & ~(uint64_t)(CLONE_VM | CLONE_VFORK | CLONE_SETTLS |
			                                      CLONE_THREAD | CLONE_SIGHAND);
			ca[4] = SIGCHLD;
			memcpy(buf + 2048, ca, sizeof ca);
			a[0] = ptr(buf + 2048);
			a[1] = pick(4) ? sizeof ca : arg();
			break;
		}
		case SYS_bpf:
			a[0] = pick(2); /* map create/lookup: garbage attrs fail */
			break;
		case SYS_syslog:
			a[0] = pick(2) ? 3 : 10; /* reading actions only */
			break;
		case SYS_socket: case SYS_socketpair: {
			static const uint64_t dom[] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK };
			a[0] = dom[pick(4)];
			if (a[0] == AF_NETLINK)
				a[2] = 0; /* NETLINK_ROUTE, in our own netns */
			break;
		}
		case SYS_kill: case SYS_tkill: case SYS_tgkill: case SYS_rt_sigqueueinfo:
		case SYS_rt_tgsigqueueinfo: case SYS_ptrace: case SYS_pidfd_open:
			/* pids of our own namespace: keep off A (1) and the group (0, -1) */
			if ((int32_t)a[0] >= -1 && (int32_t)a[0] <= 1)
				a[0] = (uint64_t)getpid();
			/* mostly signals the batch survives */
			if (pick(4)) {
				static const uint64_t mild[] = { 0, SIGALRM, SIGCHLD, SIGURG, SIGWINCH };
				a[nr == SYS_tgkill || nr == SYS_rt_tgsigqueueinfo ? 2 : 1] = mild[pick(5)];
			}
			break;
		}
		long r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (r == 0 && (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone || nr == SYS_clone3))
			_exit(0);
	}
	_exit(0);
}

static int xopen(const char *name, int flags)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", workdir, name);
	return open(path, flags, 0755);
}

static void add_fd(int fd)
{
	if (fd >= 0 && nfds < (int)(sizeof fds / sizeof *fds))
		fds[nfds++] = fd;
}

/* The files, fds and strings the calls pick from. */
static int set_up(void)
{
	/* everything read-only, then a writable tmpfs of our own over /tmp
	 * (this namespace's copy of it) */
	snprintf(workdir, sizeof workdir, "/tmp");
	struct mount_attr ma = { .attr_set = MOUNT_ATTR_RDONLY };
	int nul = open("/dev/null", O_RDWR);
	if (syscall(SYS_mount_setattr, AT_FDCWD, "/", AT_RECURSIVE, &ma, sizeof ma) < 0 ||
	    mount("fuzz", workdir, "tmpfs", 0, "size=8m,mode=0755") < 0 || chdir(workdir) < 0 ||
	    nul < 0) {
		fprintf(stderr, "stream_fuzz: set up: %s\n", strerror(errno));
		return -1;
	}
	int true_fd = open("/bin/true", O_RDONLY);
	int copy = xopen("true-copy", O_WRONLY | O_CREAT);
	int memfd = (int)syscall(SYS_memfd_create, "fuzz-memfd", 0);
	char b[65536];
	ssize_t n;
	while ((n = read(true_fd, b, sizeof b)) > 0) {
		if (write(copy, b, (size_t)n) != n || write(memfd, b, (size_t)n) != n)
			return -1;
	}
	close(copy);
	close(true_fd);
	int s = xopen("script", O_WRONLY | O_CREAT);
	if (s < 0 || write(s, "#!/bin/true\n", 12) != 12)
		return -1;
	close(s);
	mkdir("dir", 0755);
	close(xopen("f1", O_WRONLY | O_CREAT));
	close(xopen("dir/f2", O_WRONLY | O_CREAT));
	symlink("true-copy", "link");
	mkfifo("fifo", 0644);
	dirfds[ndirfds++] = open(".", O_PATH | O_DIRECTORY);
	dirfds[ndirfds++] = open("dir", O_RDONLY | O_DIRECTORY);
	dirfds[ndirfds++] = open("/", O_PATH | O_DIRECTORY);
	execfds[nexecfds++] = open("true-copy", O_PATH);
	execfds[nexecfds++] = open("true-copy", O_RDONLY);
	execfds[nexecfds++] = memfd;
	execfds[nexecfds++] = open("script", O_RDONLY);
	for (int i = 0; i < ndirfds; i++)
		add_fd(dirfds[i]);
	for (int i = 0; i < nexecfds; i++)
		add_fd(execfds[i]);
	add_fd(open("f1", O_RDWR));
	add_fd(nul);
	int p[2];
	if (pipe(p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, p) == 0) {
		add_fd(p[0]);
		add_fd(p[1]);
	}
	add_fd(socket(AF_INET, SOCK_DGRAM, 0));
	add_fd(socket(AF_INET, SOCK_STREAM, 0));
	add_fd(eventfd(0, 0));
	add_fd((int)syscall(SYS_pidfd_open, getpid(), 0));
	/* stdio never reaches the test's files */
	dup2(nul, 0);
	dup2(nul, 1);
	dup2(nul, 2);

	long ps = sysconf(_SC_PAGESIZE);
	buf = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	scratch = mmap(NULL, 4 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *m = mmap(NULL, 2 * ps, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED || scratch == MAP_FAILED || m == MAP_FAILED || munmap(m + ps, ps) < 0)
		return -1;
	memset(m, 'Z', ps);
	edge = m + ps - 1;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		keep_str(names[i]);
	char path[128];
	snprintf(path, sizeof path, "%s/true-copy", workdir);
	keep_str(path);
	snprintf(path, sizeof path, "%s/dir", workdir);
	keep_str(path);
	/* argv/envp arrays: empty, one string, several, and one with a
	 * pointer to nothing in it */
	char **av = (char **)(buf + 24576);
	argvs[0] = av;
	av[0] = NULL;
	argvs[1] = av + 2;
	av[2] = strs[5];
	av[3] = NULL;
	argvs[2] = av + 5;
	av[5] = strs[1];
	av[6] = strs[2];
	av[7] = strs[14];
	av[8] = NULL;
	argvs[3] = av + 10;
	av[10] = strs[3];
	av[11] = (char *)edge;
	av[12] = NULL;

	struct rlimit fsz = { 1 << 20, 1 << 20 }, as = { 256u << 20, 256u << 20 };
	struct rlimit nofile = { 256, 256 }, memlock = { 1 << 20, 1 << 20 };
	setrlimit(RLIMIT_FSIZE, &fsz);
	setrlimit(RLIMIT_AS, &as);
	setrlimit(RLIMIT_NOFILE, &nofile);
	setrlimit(RLIMIT_MEMLOCK, &memlock);
	return 0;
}

int main(int argc, char **argv)
{
	/* an exec of this program with random argv lands here */
	if (argc < 4 || strcmp(argv[1], "--fuzz"))
		return 2;
	uint64_t seed = strtoull(argv[2], NULL, 0);
	unsigned batches = (unsigned)strtoul(argv[3], NULL, 0);
	unsigned calls = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 0) : 60;
	pid_t a = contain_enter(CLONE_NEWNET);
	if (a == -1) {
		fprintf(stderr, "stream_fuzz: unshare: %s (needs root)\n", strerror(errno));
		return 77;
	}
	if (a < 0)
		return 1;
	if (a > 0)
		return contain_wait_init(a);
	/* A: the namespace's init (contain.h). No fd it inherited (a test's
	 * log, a pipe) may be written by a fuzzed call. */
	syscall(SYS_close_range, 3, ~0u, 0);
	int err = dup(2);
	if (set_up() < 0)
		return 1;
	unsigned died = 0, hung = 0;
	for (unsigned b = 0; b < batches; b++) {
		rng = seed * 0x100000001b3ull + b;
		pid_t p = fork();
		if (p < 0)
			return 1;
		if (p == 0) {
			close(err);
			run_batch(calls);
		}
		/* 1 s; then strays and what the batch left are gone */
		enum contain_end end = contain_reap(p, 200);
		died += end == CONTAIN_DIED;
		hung += end == CONTAIN_HUNG;
	}
	dprintf(err, "stream_fuzz: seed %llu: %u batches of %u calls, %u died, %u hung\n",
		(unsigned long long)seed, batches, calls, died, hung);
	return 0;
}
