/* procfs readers against live processes whose state the test sets itself.
 * Usage: test_procfs <path of procfs_helper> */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procfs/procfs.h"
#include "procfs/procfs_internal.h"
#include "procfs/procfs_io.h"

static struct tracee_state st; /* wired to pf */
static struct procfs *pf;
static const char *helper;
static char **main_argv;
static char tmpdir[] = "/tmp/pdig-procfs-XXXXXX";

/* Reads one line the helper writes once it has set itself up. */
static int read_ready(int fd, long *minflt, long *majflt)
{
	char buf[64];
	size_t got = 0;
	while (got < sizeof(buf) - 1) {
		ssize_t r = read(fd, buf + got, 1);
		if (r <= 0)
			return -1;
		if (buf[got++] == '\n')
			break;
	}
	buf[got] = '\0';
	return sscanf(buf, "%ld %ld", minflt, majflt) == 2 ? 0 : -1;
}

static pid_t spawn_helper(char *const argv[], char *const envp[], rlim_t nofile, int *rfd)
{
	int p[2];
	if (pipe(p))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		struct rlimit rl;
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = nofile;
		if (setsid() < 0 || chdir(tmpdir) || setrlimit(RLIMIT_NOFILE, &rl) ||
		    dup2(p[1], 1) < 0)
			_exit(127);
		execve(helper, argv, envp);
		_exit(127);
	}
	close(p[1]);
	*rfd = p[0];
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	procfs_on_death(pf, pid);
}

static long long read_num_file(const char *path)
{
	char buf[64] = {0};
	ssize_t n = pf_read(path, buf, sizeof(buf) - 1);
	return n > 0 ? strtoll(buf, NULL, 10) : -2;
}

/* Is "ctrl=path" an entry of the cgroups list? */
static int has_cgroup(const struct proc_snapshot *s, const char *entry)
{
	size_t n = strlen(entry) + 1;
	for (size_t at = 0; at < s->cgroups_len; at += strlen(s->cgroups + at) + 1)
		if (at + n <= s->cgroups_len && !memcmp(s->cgroups + at, entry, n))
			return 1;
	return 0;
}

/* The exe's inode and times are the file's; no memfd, no overlay here. */
static void check_exe_identity(const struct proc_snapshot *s, const char *exe, pid_t pid)
{
	struct stat sb;
	CHECK(stat(exe, &sb) == 0);
	CHECK_EQ_INT(s->exe_ino, sb.st_ino);
	CHECK_EQ_INT(s->exe_ctime_ns, (uint64_t)sb.st_ctim.tv_sec * 1000000000u + (uint64_t)sb.st_ctim.tv_nsec);
	CHECK_EQ_INT(s->exe_mtime_ns, (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec);
	CHECK(s->exe_ctime_ns > 1000000000000000000ull); /* after 2001, in ns */
	CHECK_EQ_INT(s->exe_memfd, 0);
	(void)pid;
}

/* The capability sets are status's CapInh/CapPrm/CapEff of the process. */
static void check_caps(const struct proc_snapshot *s, pid_t pid)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	static const char *const names[3] = { "CapInh:", "CapPrm:", "CapEff:" };
	const uint64_t got[3] = { s->cap_inh, s->cap_prm, s->cap_eff };
	for (int i = 0; i < 3; i++) {
		const char *at = strstr(buf, names[i]);
		CHECK(at != NULL);
		if (at)
			CHECK_EQ_INT(got[i], strtoull(at + 7, NULL, 16));
	}
}

static void test_snapshot(void)
{
	char *argv[] = {"procfs-helper-argv0", "one", "two words", "", "last", NULL};
	char *envp[] = {"PDIG_MARKER=hello123", "X=1", NULL};
	int rfd;
	long minflt, majflt;
	pid_t pid = spawn_helper(argv, envp, 123, &rfd);
	CHECK(pid > 0);
	CHECK(read_ready(rfd, &minflt, &majflt) == 0);

	const struct proc_snapshot *s = st.proc(st.ctx, pid);
	CHECK(s != NULL);
	if (!s)
		goto out;
	char real_helper[PATH_MAX], real_tmp[PATH_MAX];
	CHECK(realpath(helper, real_helper) != NULL);
	CHECK(realpath(tmpdir, real_tmp) != NULL);

	CHECK_EQ_INT(s->tid, pid);
	CHECK_EQ_INT(s->pid, pid);
	CHECK_EQ_INT(s->ptid, getpid());
	CHECK_EQ_INT(s->pgid, pid); /* setsid made it leader of both */
	CHECK_EQ_INT(s->sid, pid);
	CHECK_EQ_INT(s->tty, 0);    /* no controlling tty after setsid */
	CHECK_EQ_INT(s->vtid, s->tid);
	CHECK_EQ_INT(s->vpid, s->pid);
	CHECK_EQ_INT(s->uid, geteuid());
	CHECK_EQ_INT(s->gid, getegid());
	CHECK_EQ_STR(s->comm, "pdigcomm");
	CHECK_EQ_STR(s->exe, "procfs-helper-argv0");
	static const char want_args[] = "one\0two words\0\0last";
	CHECK_EQ_INT(s->args_len, sizeof(want_args));
	CHECK(!memcmp(s->args, want_args, sizeof(want_args)));
	static const char want_env[] = "PDIG_MARKER=hello123\0X=1";
	CHECK_EQ_INT(s->env_len, sizeof(want_env));
	CHECK(!memcmp(s->env, want_env, sizeof(want_env)));
	CHECK_EQ_STR(s->exepath, real_helper);
	CHECK_EQ_STR(s->cwd, real_tmp);
	CHECK_EQ_STR(s->root, "/");
	CHECK_EQ_INT(s->fdlimit, 123);
	CHECK_EQ_INT(s->loginuid, read_num_file("/proc/self/loginuid") == 4294967295LL
				      ? -1
				      : read_num_file("/proc/self/loginuid"));
	/* the child runs with our creds, so access() is the truth */
	CHECK_EQ_INT(s->exe_writable, access(real_helper, W_OK) == 0);
	check_exe_identity(s, real_helper, pid);
	CHECK_EQ_INT(s->vpgid, pid);
	check_caps(s, pid);
	CHECK(s->pgft_min >= (uint64_t)minflt && s->pgft_min > 0);
	CHECK(s->pgft_maj >= (uint64_t)majflt);

	/* statm is an independent view of the same counters, in pages */
	char path[64];
	unsigned long size_pg = 0, rss_pg = 0;
	snprintf(path, sizeof(path), "/proc/%d/statm", (int)pid);
	FILE *f = fopen(path, "r");
	CHECK(f && fscanf(f, "%lu %lu", &size_pg, &rss_pg) == 2);
	if (f)
		fclose(f);
	long kb = sysconf(_SC_PAGESIZE) / 1024;
	/* saturates at 32 bits (ASan's shadow makes the size ~20 TiB) */
	CHECK_EQ_INT(s->vm_size_kb, size_pg * kb > UINT32_MAX ? UINT32_MAX : size_pg * kb);
	/* rss is the mm's per-CPU-batched counter, as the driver reads it
	 * (stat's field 24); statm sums it exactly, so they may differ by a
	 * few batches of pages */
	long stat_rss = -1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	char statbuf[1024];
	size_t sn = f ? fread(statbuf, 1, sizeof statbuf - 1, f) : 0;
	if (f)
		fclose(f);
	statbuf[sn] = '\0';
	char *after = strrchr(statbuf, ')');
	for (int field = 2; after && field < 24; field++)
		after = strchr(after + 1, ' ');
	if (after)
		stat_rss = strtol(after + 1, NULL, 10);
	/* the same counter read a moment later: equal unless a CPU's batch was
	 * folded in between (32 pages per CPU here; CI saw 1176 vs 1304) */
	CHECK(stat_rss >= 0 && (long)s->vm_rss_kb - stat_rss * kb <= 1024 && stat_rss * kb - (long)s->vm_rss_kb <= 1024);
	CHECK(s->vm_rss_kb + 1024 >= rss_pg * kb && s->vm_rss_kb <= rss_pg * kb + 1024);
	CHECK_EQ_INT(s->vm_swap_kb, 0);

	/* Every v1 controller of the (inherited) cgroup file is an entry. */
	f = fopen("/proc/self/cgroup", "r");
	char line[1024];
	int v1 = 0;
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || c2 == c1 + 1)
			continue;
		*c2 = '\0';
		for (char *sv, *c = strtok_r(c1 + 1, ",", &sv); c; c = strtok_r(NULL, ",", &sv)) {
			char entry[1200];
			snprintf(entry, sizeof(entry), "%s=%s", c, c2 + 1);
			CHECK(has_cgroup(s, entry));
			v1++;
		}
	}
	if (f)
		fclose(f);
	if (!v1) /* pure v2 host */
		CHECK(s->cgroups_len > 0 && !strncmp(s->cgroups, "cpu=/", 5));
	CHECK(s->cgroups_len == 0 || s->cgroups[s->cgroups_len - 1] == '\0');
out:
	close(rfd);
	reap(pid);
	CHECK(st.proc(st.ctx, pid) == NULL); /* reaped: gone */
}

/* argv/env far beyond PROC_STR_MAX: bounded, NUL-terminated, no overflow. */
static void test_huge(void)
{
	enum { NARGS = 50, ARGLEN = 2000, NENV = 10, ENVLEN = 10000, A0LEN = 6000 };
	static char a0[A0LEN + 1], args[NARGS][ARGLEN + 1], envs[NENV][ENVLEN + 1];
	char *argv[NARGS + 2], *envp[NENV + 1];
	memset(a0, 'a', A0LEN);
	argv[0] = a0;
	for (int i = 0; i < NARGS; i++) {
		memset(args[i], 'b' + i % 20, ARGLEN);
		argv[i + 1] = args[i];
	}
	argv[NARGS + 1] = NULL;
	for (int i = 0; i < NENV; i++) {
		memset(envs[i], 'e', ENVLEN);
		memcpy(envs[i], "BIG", 3);
		envs[i][3] = (char)('0' + i);
		envs[i][4] = '=';
		envp[i] = envs[i];
	}
	envp[NENV] = NULL;
	int rfd;
	long minflt, majflt;
	pid_t pid = spawn_helper(argv, envp, 64, &rfd);
	CHECK(read_ready(rfd, &minflt, &majflt) == 0);
	const struct proc_snapshot *s = st.proc(st.ctx, pid);
	CHECK(s != NULL);
	if (s) {
		/* the driver's page of the argv area, its last byte a NUL: all
		 * of it argv[0] here, nothing left for args */
		CHECK_EQ_INT(strlen(s->exe), PROC_STR_MAX - 1);
		CHECK(s->exe[0] == 'a' && s->exe[PROC_STR_MAX - 2] == 'a');
		CHECK_EQ_INT(s->args_len, 0);
		CHECK(s->env_len > 0 && s->env_len <= PROC_STR_MAX);
		CHECK(s->env_len && s->env[s->env_len - 1] == '\0');
		CHECK(!strncmp(s->env, "BIG0=eee", 8));
		CHECK_EQ_INT(s->fdlimit, 64);
	}
	close(rfd);
	reap(pid);
}

/* A zombie has no argv or mm: exe falls back to comm. Its comm has ')'
 * and spaces, which must not derail the stat parser. */
static void test_zombie(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		prctl(PR_SET_NAME, "x) 1 2 ) (z", 0, 0, 0);
		_exit(3);
	}
	siginfo_t si;
	CHECK(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == 0);
	const struct proc_snapshot *s = st.proc(st.ctx, pid);
	CHECK(s != NULL);
	if (s) {
		CHECK_EQ_INT(s->tid, pid);
		CHECK_EQ_STR(s->comm, "x) 1 2 ) (z");
		CHECK_EQ_STR(s->exe, s->comm);
		CHECK_EQ_INT(s->pgid, getpgrp());
		CHECK_EQ_INT(s->sid, getsid(0));
		CHECK_EQ_INT(s->args_len, 0);
		CHECK_EQ_INT(s->vm_size_kb, 0);
		CHECK_EQ_INT(s->ptid, getpid());
	}
	waitpid(pid, NULL, 0);
	CHECK(st.proc(st.ctx, pid) == NULL);
}

static void test_missing(void)
{
	struct sock_names sn;
	uint64_t dev = 7, ino = 7;
	int64_t bad[] = {-1, 0, INT32_MAX, (int64_t)1 << 40};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(st.proc(st.ctx, bad[i]) == NULL);
		CHECK(st.sock(st.ctx, bad[i], 0, &sn) == -1);
		CHECK(st.fd_stat(st.ctx, bad[i], 0, &dev, &ino) == -1);
		CHECK(st.sock_id(st.ctx, bad[i], 0) == 0);
		CHECK(procfs_sock_from_net(bad[i], 0, &sn) == -1);
		procfs_on_death(pf, bad[i]);
	}
	CHECK(st.sock(st.ctx, getpid(), 100000, &sn) == -1);
	CHECK(st.sock(st.ctx, getpid(), -3, &sn) == -1);
	CHECK(st.fd_stat(st.ctx, getpid(), 100000, &dev, &ino) == -1);
	CHECK(st.fd_stat(st.ctx, getpid(), -3, &dev, &ino) == -1);
}

/* Root only: a process that is pid 1 of a new pid namespace. */
static void test_pidns(void)
{
	if (geteuid() != 0) {
		CHECK_SKIP("pid namespace", "needs root");
		return;
	}
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t mid = fork();
	if (mid == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid_t inner = fork();
		if (inner == 0) {
			/* pid 1 of the namespace, with a child (pid 2) */
			if (fork() == 0)
				for (;;)
					pause();
			for (;;)
				pause();
		}
		if (write(p[1], &inner, sizeof(inner)) != sizeof(inner))
			_exit(1);
		waitpid(inner, NULL, 0);
		_exit(0);
	}
	close(p[1]);
	pid_t inner = 0;
	if (read(p[0], &inner, sizeof(inner)) == sizeof(inner) && inner > 0) {
		const struct proc_snapshot *s = st.proc(st.ctx, inner);
		CHECK(s != NULL);
		if (s) {
			CHECK_EQ_INT(s->tid, inner);
			CHECK_EQ_INT(s->pid, inner);
			CHECK_EQ_INT(s->vtid, 1);
			CHECK_EQ_INT(s->vpid, 1);
			CHECK_EQ_INT(s->ptid, mid);
			CHECK(s->in_pidns);
		}
		/* the unsharing process stays in pdig's namespace, its
		 * children do not: the driver's CHILD_IN_PIDNS */
		s = st.proc(st.ctx, mid);
		CHECK(s != NULL && s->vtid == mid && s->in_pidns);
		/* a clone's result is the child's id in its parent's namespace */
		CHECK_EQ_INT(procfs_id_seen_by(pf, inner, mid), inner);
		CHECK_EQ_INT(procfs_id_seen_by(pf, inner, getpid()), inner);
		char path[64], kids[64] = "";
		snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)inner, (int)inner);
		for (int i = 0; i < 500 && !kids[0]; i++) {
			FILE *f = fopen(path, "r");
			if (!f || !fgets(kids, sizeof kids, f))
				kids[0] = '\0';
			if (f)
				fclose(f);
			if (!kids[0])
				usleep(10000);
		}
		long grand = strtol(kids, NULL, 10);
		CHECK(grand > 0);
		if (grand > 0) {
			CHECK_EQ_INT(procfs_id_seen_by(pf, grand, inner), 2);
			CHECK_EQ_INT(procfs_id_seen_by(pf, grand, getpid()), grand);
			procfs_on_death(pf, grand);
		}
		kill(inner, SIGKILL);
	} else {
		CHECK_SKIP("pid namespace", "cannot make a pid namespace here (unshare(CLONE_NEWPID) failed)");
	}
	close(p[0]);
	waitpid(mid, NULL, 0);
}

/* Root only: nobody running root's /bin/sleep cannot write it. */
/* A program run from a memfd (fileless: memfd_create + fexecve) is
 * flagged so, with the memfd's inode; its caps after the exec follow the
 * kernel's rules, which the snapshot derives without reading status. */
static void test_memfd_exec(void)
{
	int src = open(helper, O_RDONLY | O_CLOEXEC);
	int mfd = (int)syscall(SYS_memfd_create, "pdig-fileless", 0);
	CHECK(src >= 0 && mfd >= 0);
	char buf[65536];
	ssize_t n;
	while (src >= 0 && mfd >= 0 && (n = read(src, buf, sizeof buf)) > 0)
		CHECK(write(mfd, buf, (size_t)n) == n);
	struct stat sb;
	CHECK(fstat(mfd, &sb) == 0);
	int p[2];
	CHECK(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		char *argv[] = { "fileless", NULL }, *envp[] = { NULL };
		syscall(SYS_execveat, mfd, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	close(p[1]);
	long minflt, majflt;
	CHECK(read_ready(p[0], &minflt, &majflt) == 0);
	procfs_on_exec(pf, pid, pid);
	const struct proc_snapshot *s = st.proc(st.ctx, pid);
	CHECK(s != NULL);
	if (s) {
		CHECK(!strncmp(s->exepath, "/memfd:pdig-fileless", 20));
		CHECK_EQ_INT(s->exe_memfd, 1);
		CHECK_EQ_INT(s->exe_ino, sb.st_ino);
		CHECK_EQ_INT(s->exe_layer, EXE_NOT_OVERLAY);
		check_caps(s, pid);
	}
	kill(pid, SIGKILL);
	reap(pid);
	close(p[0]);
	close(src);
	close(mfd);
}

static void test_not_writable(void)
{
	struct stat sb;
	if (geteuid() != 0 || stat("/bin/sleep", &sb) || sb.st_uid == 65534 ||
	    (sb.st_mode & S_IWOTH)) {
		CHECK_SKIP("non-writable exe", "needs root and a /bin/sleep that uid 65534 cannot write");
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(2);
		execl("/bin/sleep", "sleep", "20", (char *)NULL);
		_exit(127);
	}
	const struct proc_snapshot *s = NULL;
	char link[PATH_MAX], path[64];
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	for (int i = 0; i < 200; i++) { /* wait for the exec */
		if (pf_readlink(path, link, sizeof(link)) > 0 && strstr(link, "sleep"))
			break;
		usleep(10000);
	}
	s = st.proc(st.ctx, pid);
	CHECK(s != NULL);
	if (s) {
		CHECK_EQ_INT(s->uid, 65534);
		CHECK_EQ_INT(s->gid, 65534);
		CHECK_EQ_STR(s->exe, "sleep");
		CHECK_EQ_INT(s->args_len, 3);
		CHECK(!memcmp(s->args, "20", 3));
		CHECK_EQ_INT(s->exe_writable, 0);
		/* root's capabilities are gone with the uid */
		CHECK_EQ_INT(s->cap_prm, 0);
		CHECK_EQ_INT(s->cap_eff, 0);
		check_caps(s, pid);
	}
	reap(pid);
}

/* sock() must agree with what getsockname/getpeername say on our side. */
static void check_sock(int64_t pid, int fd, int via_net, int expect_peer)
{
	struct sock_names sn;
	struct sockaddr_storage l, p;
	socklen_t ll = sizeof(l), pl = sizeof(p);
	int type;
	socklen_t tl = sizeof(type);
	CHECK(getsockname(fd, (struct sockaddr *)&l, &ll) == 0);
	CHECK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0);
	int r = via_net ? procfs_sock_from_net(pid, fd, &sn) : st.sock(st.ctx, pid, fd, &sn);
	CHECK_EQ_INT(r, 0);
	if (r)
		return;
	CHECK_EQ_INT(sn.type, type);
	CHECK_EQ_INT(sn.local_len, ll);
	CHECK(!memcmp(&sn.local, &l, ll));
	if (expect_peer) {
		CHECK(getpeername(fd, (struct sockaddr *)&p, &pl) == 0);
		CHECK_EQ_INT(sn.peer_len, pl);
		CHECK(!memcmp(&sn.peer, &p, pl));
	} else {
		CHECK_EQ_INT(sn.peer_len, 0);
	}
	struct stat sb;
	CHECK(fstat(fd, &sb) == 0);
	CHECK_EQ_INT(st.sock_id(st.ctx, pid, fd), sb.st_ino);
}

static void tcp_pair(int family, int *lfd, int *cfd, int *afd)
{
	struct sockaddr_storage a;
	socklen_t al;
	memset(&a, 0, sizeof(a));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)&a;
		in->sin_family = AF_INET;
		in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		al = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a;
		in6->sin6_family = AF_INET6;
		in6->sin6_addr = in6addr_loopback;
		al = sizeof(*in6);
	}
	*lfd = *cfd = *afd = -1;
	*lfd = socket(family, SOCK_STREAM, 0);
	if (*lfd < 0 || bind(*lfd, (struct sockaddr *)&a, al) || listen(*lfd, 4) ||
	    getsockname(*lfd, (struct sockaddr *)&a, &al))
		goto fail;
	*cfd = socket(family, SOCK_STREAM, 0);
	if (*cfd < 0 || connect(*cfd, (struct sockaddr *)&a, al))
		goto fail;
	*afd = accept(*lfd, NULL, NULL);
	if (*afd >= 0)
		return;
fail:
	if (*lfd >= 0)
		close(*lfd);
	if (*cfd >= 0)
		close(*cfd);
	*lfd = *cfd = *afd = -1;
}

static void test_tcp(void)
{
	int fam[] = {AF_INET, AF_INET6};
	for (int i = 0; i < 2; i++) {
		int l, c, a;
		tcp_pair(fam[i], &l, &c, &a);
		if (l < 0) {
			CHECK(fam[i] != AF_INET); /* v4 loopback must work */
			CHECK_SKIP("IPv6 sockets", "no IPv6 loopback");
			continue;
		}
		for (int via_net = 0; via_net < 2; via_net++) {
			check_sock(getpid(), l, via_net, 0);
			check_sock(getpid(), c, via_net, 1);
			check_sock(getpid(), a, via_net, 1);
		}
		/* the same fds seen in another process (pidfd_getfd on it) */
		pid_t pid = fork();
		if (pid == 0) {
			for (;;)
				pause();
		}
		check_sock(pid, c, 0, 1);
		check_sock(pid, a, 0, 1);
		/* killed and reaped without forget: the cached pidfd is stale */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		struct sock_names sn;
		CHECK(st.sock(st.ctx, pid, c, &sn) == -1);
		procfs_on_death(pf, pid);
		close(l);
		close(c);
		close(a);
	}
	/* connected UDP */
	int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t il = sizeof(in);
	CHECK(bind(v, (struct sockaddr *)&in, il) == 0);
	CHECK(getsockname(v, (struct sockaddr *)&in, &il) == 0);
	CHECK(connect(u, (struct sockaddr *)&in, il) == 0);
	for (int via_net = 0; via_net < 2; via_net++) {
		check_sock(getpid(), u, via_net, 1);
		check_sock(getpid(), v, via_net, 0);
	}
	close(u);
	close(v);
}

static void test_unix(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof(a.sun_path), "%s/sock", tmpdir);
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 2) == 0);
	CHECK(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	int acc = accept(l, NULL, NULL);
	CHECK(acc >= 0);
	struct sock_names sn;
	CHECK(st.sock(st.ctx, getpid(), l, &sn) == 0);
	CHECK_EQ_STR(((struct sockaddr_un *)&sn.local)->sun_path, a.sun_path);
	CHECK_EQ_INT(sn.type, SOCK_STREAM);
	CHECK(st.sock(st.ctx, getpid(), c, &sn) == 0);
	CHECK_EQ_INT(sn.peer.ss_family, AF_UNIX);
	CHECK_EQ_STR(((struct sockaddr_un *)&sn.peer)->sun_path, a.sun_path);
	check_sock(getpid(), l, 0, 0);
	check_sock(getpid(), c, 0, 1);
	check_sock(getpid(), acc, 0, 1);
	/* the tables only know local names */
	CHECK(procfs_sock_from_net(getpid(), l, &sn) == 0);
	CHECK_EQ_INT(sn.local.ss_family, AF_UNIX);
	CHECK_EQ_STR(((struct sockaddr_un *)&sn.local)->sun_path, a.sun_path);
	CHECK_EQ_INT(sn.type, SOCK_STREAM);
	CHECK(st.sock_id(st.ctx, getpid(), c) != st.sock_id(st.ctx, getpid(), acc));
	close(l);
	close(c);
	close(acc);
	unlink(a.sun_path);

	/* a plain file is no socket */
	int fd = open(tmpdir, O_RDONLY | O_DIRECTORY);
	CHECK(st.sock(st.ctx, getpid(), fd, &sn) == -1);
	CHECK(procfs_sock_from_net(getpid(), fd, &sn) == -1);
	CHECK_EQ_INT(st.sock_id(st.ctx, getpid(), fd), 0);
	close(fd);
}

static void test_fd_stat(void)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/file", tmpdir);
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	int p[2];
	CHECK(fd >= 0 && pipe(p) == 0);
	int fds[] = {fd, p[0]};
	for (int i = 0; i < 2; i++) {
		struct stat sb;
		uint64_t dev = 0, ino = 0;
		CHECK(fstat(fds[i], &sb) == 0);
		CHECK(st.fd_stat(st.ctx, getpid(), fds[i], &dev, &ino) == 0);
		CHECK_EQ_INT(ino, sb.st_ino);
		unsigned ma = major(sb.st_dev), mi = minor(sb.st_dev);
		CHECK_EQ_INT(dev, (mi & 0xff) | (ma << 8) | ((uint64_t)(mi & ~0xffu) << 12));
	}
	/* the encoding itself, on a minor above 255 */
	CHECK_EQ_INT(procfs_encode_dev(8, 0x123), 0x100823);
	CHECK_EQ_INT(procfs_encode_dev(0, 5), 5);
	close(fd);
	close(p[0]);
	close(p[1]);
	unlink(path);
}

static void expect_cg(const char *in, const char *want, size_t want_len)
{
	char out[1024];
	size_t n = procfs_cgroups_convert(in, strlen(in), out, sizeof(out));
	CHECK_EQ_INT(n, want_len);
	CHECK_MSG(n == want_len && !memcmp(out, want, n), "cgroups for \"%s\"", in);
}

#define CG(in, lit) expect_cg(in, lit, sizeof(lit) - 1)

static void test_cgroups(void)
{
	const char *id = "4f1c0ec4c9bc7e7f6c0a2c1a8a3c2f1e9d0b7a6c5d4e3f2a1b0c9d8e7f6a5b4c";
	char in[512], want[512];
	/* v1 with multi-controller and named hierarchies */
	CG("4:cpu,cpuacct:/docker/abc\n1:name=systemd:/x\n0::/y\n",
	   "cpu=/docker/abc\0cpuacct=/docker/abc\0name=systemd=/x\0");
	/* pure v2, systemd docker layout */
	snprintf(in, sizeof(in), "0::/system.slice/docker-%s.scope\n", id);
	int n = 0;
	const char *ctl[] = {"cpu", "memory", "cpuset"};
	for (int i = 0; i < 3; i++)
		n += snprintf(want + n, sizeof(want) - (size_t)n,
			      "%s=/system.slice/docker-%s.scope", ctl[i], id) + 1;
	expect_cg(in, want, (size_t)n);
	/* no trailing newline, odd lines ignored */
	CG("garbage\n\n7:memory:/a", "memory=/a\0");
	CG("", "");
	/* whole entries only when out is full */
	char out[12];
	size_t m = procfs_cgroups_convert("1:cpu:/abc\n2:memory:/abc\n", 25, out, sizeof(out));
	CHECK_EQ_INT(m, 9);
	CHECK(!memcmp(out, "cpu=/abc\0", 9));
}

static int collect(char *line, void *arg)
{
	size_t *lens = arg;
	lens[++lens[0]] = strlen(line);
	return lens[0] >= 8;
}

static void test_lines(void)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/lines", tmpdir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (!f)
		return;
	for (int i = 0; i < 10000; i++)
		fputc('x', f);
	fputs("\nbb\n\nccc", f);
	fclose(f);
	size_t lens[9] = {0};
	CHECK(pf_lines(path, collect, lens) == 0);
	CHECK_EQ_INT(lens[0], 4);
	CHECK(lens[1] > 0 && lens[1] < 10000); /* cut, rest skipped */
	CHECK_EQ_INT(lens[2], 2);
	CHECK_EQ_INT(lens[3], 0);
	CHECK_EQ_INT(lens[4], 3);
	unlink(path);
}

/* The parsers face a comm the tracee chose: spaces, parentheses, digits. */
static void test_parsers(void)
{
	struct thread_stat ts;
	char stat[] = "42 (a) 7 (b) S 9 10 11 34817 13 4194304 100 0 5 0 1 2 0 0 20 0 1 0 99 "
	              "8192000 300 18446744073709551615 1 2 3 4 5 0 0 0 0 0 0 0 17 1 0 0 0 0 0 "
	              "6 7 8 9 10 11 12";
	CHECK_EQ_INT(procfs_parse_stat(stat, strlen(stat), &ts), 0);
	CHECK_EQ_STR(ts.comm, "a) 7 (b");
	CHECK_EQ_INT(ts.ptid, 9);
	CHECK_EQ_INT(ts.pgid, 10);
	CHECK_EQ_INT(ts.sid, 11);
	CHECK_EQ_INT(ts.tty, 34817);
	CHECK_EQ_INT(ts.pgft_min, 100);
	CHECK_EQ_INT(ts.pgft_maj, 5);
	CHECK_EQ_INT(ts.vm_size_kb, 8000);
	CHECK_EQ_INT(ts.vm_rss_kb, 300 * (sysconf(_SC_PAGESIZE) / 1024));
	CHECK_EQ_INT(ts.mm.arg_start, 9);
	CHECK_EQ_INT(ts.mm.env_end, 12);
	/* cut anywhere: no field is read past the end */
	for (size_t n = 0; n < strlen(stat); n++) {
		char cut[sizeof stat];
		memcpy(cut, stat, n);
		cut[n] = 'X';
		procfs_parse_stat(cut, n, &ts);
	}
	char none[] = "42 no parentheses";
	CHECK_EQ_INT(procfs_parse_stat(none, strlen(none), &ts), -1);

	struct thread_status su;
	bool have_tgid;
	char status[] = "Name:\tx\nTgid:\t40\nPPid:\t1\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\n"
	                "Groups:\t9 10\nNStgid:\t40\t3\nNSpid:\t41\t4\nVmSwap:\t  12 kB\nCapEff:\t00000000000000ff";
	procfs_parse_status(status, strlen(status), &su, &have_tgid);
	CHECK(have_tgid);
	CHECK_EQ_INT(su.pid, 40);
	CHECK_EQ_INT(su.ppid, 1);
	CHECK_EQ_INT(su.uid, 2);
	CHECK_EQ_INT(su.fsuid, 4);
	CHECK_EQ_INT(su.gid, 6);
	CHECK_EQ_INT(su.fsgid, 8);
	CHECK_EQ_INT(su.ngroups, 2);
	CHECK_EQ_INT(su.vpid, 3);
	CHECK_EQ_INT(su.vtid, 4);
	CHECK_EQ_INT(su.ns_count, 2);
	CHECK_EQ_INT(su.ns_tid[0], 41);
	CHECK_EQ_INT(su.ns_tid[1], 4);
	CHECK_EQ_INT(su.vm_swap_kb, 12);
	CHECK_EQ_INT(su.cap_eff, 0xff);
	char no_tgid[] = "Name:\tx\nPPid:\t1";
	procfs_parse_status(no_tgid, strlen(no_tgid), &su, &have_tgid);
	CHECK(!have_tgid);
}

/* A process that rewrote its argv in place (setproctitle, no final NUL):
 * exe and args are the raw area, as the driver copies it (/proc/PID/cmdline
 * would read on into the environment). */
static void test_rewritten_argv(void)
{
	int ready[2];
	if (pipe(ready))
		return;
	pid_t pid = fork();
	if (pid == 0) {
		int n = 0;
		while (main_argv[n])
			n++;
		char *end = main_argv[n - 1] + strlen(main_argv[n - 1]) + 1;
		memset(main_argv[0], 'x', (size_t)(end - main_argv[0]));
		(void)!write(ready[1], "r", 1);
		pause();
		_exit(0);
	}
	char c;
	(void)!read(ready[0], &c, 1);
	/* the driver copies the area as it is (no /proc setproctitle rules),
	 * its page's last byte made a NUL: all 'x', no args */
	int n = 0;
	while (main_argv[n])
		n++;
	size_t area = (size_t)(main_argv[n - 1] + strlen(main_argv[n - 1]) + 1 - main_argv[0]);
	size_t want = (area < PROC_STR_MAX ? area : PROC_STR_MAX) - 1;
	const struct proc_snapshot *s = st.proc(st.ctx, pid);
	CHECK(s && s->exe[0] == 'x');
	CHECK(s && strlen(s->exe) == want && strspn(s->exe, "x") == want);
	CHECK(s && s->args_len == 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	procfs_on_death(pf, pid);
	close(ready[0]);
	close(ready[1]);
}

/* A child that changes its state on command: '/' and 't' chdir to / and
 * tmpdir, 'u' sets its effective uid to 65534; each is acknowledged. */
static pid_t start_commanded(int cmd[2], int ack[2])
{
	if (pipe(cmd) || pipe(ack))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		close(cmd[1]);
		while (read(cmd[0], &c, 1) == 1) {
			if (c == '/')
				(void)!chdir("/");
			else if (c == 't')
				(void)!chdir(tmpdir);
			else if (c == 'u')
				(void)!setresuid(-1, 65534, -1);
			(void)!write(ack[1], &c, 1);
		}
		_exit(0);
	}
	return pid;
}

static void stop_commanded(pid_t pid, int cmd[2], int ack[2])
{
	close(cmd[1]);
	waitpid(pid, NULL, 0);
	close(cmd[0]);
	close(ack[0]);
	close(ack[1]);
}

/* With caching on, a cwd or credential change shows once the tracer
 * reports the syscall that made it, or once the cache ages out. */
static void test_cache(void)
{
	int cmd[2], ack[2];
	pid_t pid = start_commanded(cmd, ack);
	if (pid < 0)
		return;
	char c;
	const struct proc_snapshot *s;
#define DO(ch) (c = (ch), (void)!write(cmd[1], &c, 1), (void)!read(ack[0], &c, 1))
	DO('t');
	procfs_cache_enable(pf, true, false);
	s = st.proc(st.ctx, pid);
	CHECK(s && !strcmp(s->cwd, tmpdir));
	DO('/');
	s = st.proc(st.ctx, pid);
	CHECK(s && !strcmp(s->cwd, tmpdir)); /* not reported yet: still cached */
	procfs_on_entry(pf, pid, 80 /* chdir */);
	s = st.proc(st.ctx, pid);
	CHECK(s && !strcmp(s->cwd, "/"));
	DO('t');
	struct timespec ttl = { 0, (long)(PROCFS_TTL_NS + 20000000ull) };
	nanosleep(&ttl, NULL);
	s = st.proc(st.ctx, pid);
	CHECK(s && !strcmp(s->cwd, tmpdir)); /* aged out */
	if (getuid() == 0) {
		s = st.proc(st.ctx, pid);
		CHECK(s && s->uid == 0);
		DO('u');
		procfs_on_entry(pf, pid, 117 /* setresuid */);
		s = st.proc(st.ctx, pid);
		CHECK(s && s->uid == 65534);
	}
#undef DO
	procfs_cache_enable(pf, false, false);
	stop_commanded(pid, cmd, ack);
	procfs_on_death(pf, pid);
}

/* Two instances keep apart: a syscall noted in one (two tracers) leaves
 * the other's cache alone, and each hands out its own snapshot. */
static void test_instances(void)
{
	int cmd[2], ack[2];
	pid_t pid = start_commanded(cmd, ack);
	if (pid < 0)
		return;
	char c;
#define DO(ch) (c = (ch), (void)!write(cmd[1], &c, 1), (void)!read(ack[0], &c, 1))
	DO('t');
	struct procfs *a = procfs_open(), *b = procfs_open();
	CHECK(a && b && a != b && a != procfs_default());
	if (a && b) {
		struct tracee_state sa, sb;
		procfs_state_bind(&sa, a);
		procfs_state_bind(&sb, b);
		CHECK(sa.ctx == a && sb.ctx == b);
		procfs_cache_enable(a, true, false);
		procfs_cache_enable(b, true, false);
		const struct proc_snapshot *pa = sa.proc(sa.ctx, pid), *pb = sb.proc(sb.ctx, pid);
		CHECK(pa && pb && pa != pb);
		CHECK(pa && !strcmp(pa->cwd, tmpdir));
		CHECK(pb && !strcmp(pb->cwd, tmpdir));
		DO('/');
		procfs_on_entry(a, pid, 80 /* chdir */);
		pa = sa.proc(sa.ctx, pid);
		CHECK(pa && !strcmp(pa->cwd, "/"));
		pb = sb.proc(sb.ctx, pid);
		CHECK(pb && !strcmp(pb->cwd, tmpdir)); /* not noted in b: still cached */
	}
#undef DO
	procfs_close(a);
	procfs_close(b);
	stop_commanded(pid, cmd, ack);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s <procfs_helper>\n", argv[0]);
		return 2;
	}
	static char helper_abs[PATH_MAX];
	/* children chdir before exec, so the path must be absolute */
	if (!realpath(argv[1], helper_abs)) {
		perror(argv[1]);
		return 2;
	}
	helper = helper_abs;
	main_argv = argv;
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	pf = procfs_default();
	procfs_state_init(&st);
	test_snapshot();
	test_huge();
	test_zombie();
	test_missing();
	test_pidns();
	test_not_writable();
	test_memfd_exec();
	test_tcp();
	test_unix();
	test_fd_stat();
	test_cgroups();
	test_lines();
	test_parsers();
	test_rewritten_argv();
	test_cache();
	test_instances();
	rmdir(tmpdir);
	return check_done("procfs");
}
