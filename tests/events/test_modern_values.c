/* The values of the params that modern schemas (4.0.1, 4.1.0, 4.5.1) add
 * to existing exits and that pdig fills: the exec exits' capabilities,
 * exe inode and times, uid/gid, trusted exe path, host pgid, flags and
 * (4.1.0+) filename; the clone child's pidns_init_start_ts; the ino of
 * opened files; socket, fcntl, recvmsg, poll/ppoll, sendfile, prlimit
 * exits. Each schema gets its own param count. */
#include <stdlib.h>

#include "fake.h"

static uint8_t buf[1 << 17];
static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;
static const struct pdig_schema *s1, *s40, *s41, *s45;

static void setup(void)
{
	fake_mem_free(&fm);
	fake_mem_init(&fm);
	fake_state_init(&fs);
	struct proc_snapshot *p = &fs.proc;
	fs.has_proc = 1;
	p->tid = T_TID; p->pid = T_PID; p->ptid = 1; p->pgid = 1200; p->vpgid = 5; p->sid = 1;
	p->vtid = T_TID; p->vpid = T_PID;
	p->uid = 1000; p->gid = 1001; p->loginuid = -1;
	p->cap_inh = 0x1; p->cap_prm = 0x3000; p->cap_eff = 0x2000;
	p->exe_writable = 1;
	p->exe_memfd = 1;
	p->exe_layer = EXE_LAYER_UPPER;
	p->exe_ino = 987654;
	p->exe_ctime_ns = 1700000000111111111ull;
	p->exe_mtime_ns = 1600000000222222222ull;
	p->pidns_init_start_ns = 4242;
	strcpy(p->comm, "x");
	strcpy(p->exe, "x");
	strcpy(p->exepath, "/memfd:x (deleted)");
	strcpy(p->cwd, "/");
}

static void encode_in(const struct pdig_schema *s, int is_exit)
{
	c.schema = s;
	CHECK(t_encode(is_exit, &c, buf, sizeof buf, &d));
}

static void test_execve(void)
{
	setup();
	/* after the exec only what the entry kept names the program: the
	 * address now holds the new image's bytes */
	fake_mem_str(&fm, 0x1000, "new image bytes");
	fake_mem_keep(&fm, 0x1000, "/usr/bin/x");
	fake_ctx(&c, &fm, &fs, 59, 0x1000, 0, 0, 0, 0, 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVE_19_X);
	CHECK_EQ_INT(d.nparams, 31);
	CHECK_EQ_INT(dp_s64(&d.p[17]), 5); /* vpgid: the thread's own namespace's */
	CHECK_EQ_INT(dp_u32(&d.p[19]), 1 | 2 | 4); /* writable, upper layer, memfd */
	CHECK_EQ_INT(dp_u64(&d.p[20]), 0x1);
	CHECK_EQ_INT(dp_u64(&d.p[21]), 0x3000);
	CHECK_EQ_INT(dp_u64(&d.p[22]), 0x2000);
	CHECK_EQ_INT(dp_u64(&d.p[23]), 987654);
	CHECK_EQ_INT(dp_u64(&d.p[24]), 1700000000111111111ull);
	CHECK_EQ_INT(dp_u64(&d.p[25]), 1600000000222222222ull);
	CHECK_EQ_INT(dp_u32(&d.p[26]), 1000);
	CHECK_EQ_STR(dp_str(&d.p[27]), "/memfd:x (deleted)");
	CHECK_EQ_INT(dp_s64(&d.p[28]), 1200); /* pgid: pdig's view */
	CHECK_EQ_INT(dp_u32(&d.p[29]), 1001);
	CHECK_EQ_STR(dp_str(&d.p[30]), "/usr/bin/x");
	encode_in(s41, 1);
	CHECK_EQ_INT(d.nparams, 31);
	encode_in(s40, 1);
	CHECK_EQ_INT(d.nparams, 30);
	CHECK_EQ_INT(dp_u32(&d.p[29]), 1001);
	encode_in(s1, 1);
	CHECK_EQ_INT(d.nparams, 20);
	CHECK_EQ_INT(dp_u32(&d.p[19]), 1); /* 1.0.0's table knows EXE_WRITABLE only */
	/* lower layer alone */
	fs.proc.exe_memfd = 0;
	fs.proc.exe_writable = 0;
	fs.proc.exe_layer = EXE_LAYER_LOWER;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u32(&d.p[19]), 8);
	/* a layer pdig could not tell, and a value no reader should store */
	fs.proc.exe_layer = EXE_LAYER_UNKNOWN;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u32(&d.p[19]), 0);
	fs.proc.exe_layer = 200;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u32(&d.p[19]), 0);
	/* no snapshot (the thread is gone): unknown ids are -1 */
	fs.has_proc = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u32(&d.p[26]), UINT32_MAX);
	CHECK_EQ_INT(dp_u32(&d.p[29]), UINT32_MAX);
	CHECK_EQ_STR(dp_str(&d.p[30]), "/usr/bin/x");
	/* nothing kept: not the new image's bytes, "<NA>" */
	fake_mem_str(&fm, 0x2000, "new image bytes");
	c.args[0] = 0x2000;
	encode_in(s45, 1);
	CHECK_EQ_STR(dp_str(&d.p[30]), "<NA>");
	/* a failed exec: the caller's memory is still there */
	c.ret = -2;
	encode_in(s45, 1);
	CHECK_EQ_STR(dp_str(&d.p[30]), "new image bytes");
}

/* A successful execveat is reported as an execve exit, with the name the
 * kernel gives the program. */
static void test_execveat_filename(void)
{
	setup();
	fake_mem_keep(&fm, 0x1000, "");
	fake_mem_keep(&fm, 0x2000, "rel/prog");
	fake_mem_keep(&fm, 0x3000, "/abs/prog");
	static const struct {
		int64_t dirfd;
		uint64_t path;
		const char *want;
	} cases[] = {
		{ 5, 0x1000, "/dev/fd/5" },        /* fexecve: AT_EMPTY_PATH */
		{ 5, 0x2000, "/dev/fd/5/rel/prog" },
		{ -100, 0x2000, "rel/prog" },      /* AT_FDCWD */
		{ 5, 0x3000, "/abs/prog" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fake_ctx(&c, &fm, &fs, 322, (uint64_t)cases[i].dirfd, cases[i].path, 0, 0, 0x1000, 0);
		c.ret = 0;
		encode_in(s45, 1);
		CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVE_19_X);
		CHECK_EQ_STR(dp_str(&d.p[30]), cases[i].want);
	}
	/* a failed execveat stays EXECVEAT_X: 30 params, no filename */
	c.ret = -2;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVEAT_X);
	CHECK_EQ_INT(d.nparams, 30);
	CHECK_EQ_INT(dp_u64(&d.p[23]), 987654);
}

static void test_clone(void)
{
	setup();
	fake_ctx(&c, &fm, &fs, 56, 0x11, 0, 0, 0, 0, 0);
	c.ret = 77; /* the parent: no namespace start */
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 21);
	CHECK_EQ_INT(dp_u64(&d.p[20]), 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u64(&d.p[20]), 4242);
	encode_in(s1, 1);
	CHECK_EQ_INT(d.nparams, 20);
}

static void test_open_ino(void)
{
	setup();
	fake_mem_str(&fm, 0x1000, "/etc/passwd");
	fake_state_fd(&fs, T_PID, 3, 0xfe00, 1234567);
	struct { uint64_t nr; uint32_t n1, n45, ino_at; } cases[] = {
		{ 2, 5, 6, 5 },    /* open */
		{ 257, 6, 7, 6 },  /* openat */
		{ 85, 4, 6, 4 },   /* creat */
	};
	for (size_t i = 0; i < 3; i++) {
		if (cases[i].nr == 257)
			fake_ctx(&c, &fm, &fs, 257, (uint64_t)-100, 0x1000, 0, 0, 0, 0);
		else
			fake_ctx(&c, &fm, &fs, cases[i].nr, 0x1000, 0, 0, 0, 0, 0);
		c.ret = 3;
		encode_in(s45, 1);
		CHECK_EQ_INT(d.nparams, cases[i].n45);
		CHECK_EQ_INT(dp_u64(&d.p[cases[i].ino_at]), 1234567);
		CHECK_EQ_INT(dp_u32(&d.p[cases[i].ino_at - 1]), 0xfe00);
		encode_in(s1, 1);
		CHECK_EQ_INT(d.nparams, cases[i].n1);
	}
	/* openat2: dev and ino are new in 4.0.1; 1.0.0 asks no stat */
	struct { uint64_t flags, mode, resolve; } how = { 0, 0, 0 };
	fake_mem_map(&fm, 0x2000, &how, sizeof how);
	fake_ctx(&c, &fm, &fs, 437, (uint64_t)-100, 0x1000, 0x2000, 24, 0, 0);
	c.ret = 3;
	unsigned stats = fs.stat_calls;
	encode_in(s1, 1);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(fs.stat_calls, stats);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 8);
	CHECK_EQ_INT(dp_u32(&d.p[6]), 0xfe00);
	CHECK_EQ_INT(dp_u64(&d.p[7]), 1234567);
	/* a failed open has no inode */
	fake_ctx(&c, &fm, &fs, 2, 0x1000, 0, 0, 0, 0, 0);
	c.ret = -2;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u64(&d.p[5]), 0);
}

static void test_fd_net_misc(void)
{
	setup();
	/* socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC, 6) */
	fake_ctx(&c, &fm, &fs, 41, 2, 1 | 04000 | 02000000, 6, 0, 0, 0);
	c.ret = 4;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 5);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 2);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 1 | 04000 | 02000000);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 6);
	CHECK_EQ_INT(dp_u32(&d.p[4]), (1u << 6) | (1u << 12));
	encode_in(s41, 1);
	CHECK_EQ_INT(d.nparams, 4);
	/* fcntl(5, F_SETFL, O_NONBLOCK) */
	fake_ctx(&c, &fm, &fs, 72, 5, 4, 04000, 0, 0, 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 4);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_INT(dp_u8(&d.p[2]), 5); /* PPM_FCNTL_F_SETFL */
	CHECK_EQ_INT(dp_u64(&d.p[3]), 04000);
	/* sendfile(1, 3, NULL, 100) */
	fake_ctx(&c, &fm, &fs, 40, 1, 3, 0, 100, 0, 0);
	c.ret = 100;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 5);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 1);
	CHECK_EQ_INT(dp_s64(&d.p[3]), 3);
	CHECK_EQ_INT(dp_u64(&d.p[4]), 100);
	/* prlimit64(77, RLIMIT_NOFILE, NULL, NULL) */
	fake_ctx(&c, &fm, &fs, 302, 77, 7, 0, 0, 0, 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 7);
	CHECK_EQ_INT(dp_s64(&d.p[5]), 77);
	CHECK_EQ_INT(dp_u8(&d.p[6]), 7); /* PPM_RLIMIT_NOFILE */
	/* poll(fds, 0, 250) and ppoll(fds, 0, NULL, NULL) */
	fake_ctx(&c, &fm, &fs, 7, 0, 0, 250, 0, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 3);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 250);
	fake_ctx(&c, &fm, &fs, 271, 0, 0, 0, 0, 8, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 4);
	CHECK_EQ_INT(dp_u64(&d.p[2]), UINT64_MAX);
	/* recvmsg(6, &msg, 0) = 5 with 16 bytes of control data */
	static uint8_t data[5] = "hello", ctl[16] = { 16, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0 };
	uint64_t iov[2] = { 0x5000, sizeof data };
	fake_mem_map(&fm, 0x5000, data, sizeof data);
	fake_mem_map(&fm, 0x6000, ctl, sizeof ctl);
	fake_mem_map(&fm, 0x7000, iov, sizeof iov);
	uint64_t msg[7] = { 0, 0, 0x7000, 1, 0x6000, sizeof ctl, 0 };
	fake_mem_map(&fm, 0x8000, msg, sizeof msg);
	fake_ctx(&c, &fm, &fs, 47, 6, 0x8000, 0, 0, 0, 0);
	c.ret = 5;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(d.p[4].len, sizeof ctl);
	CHECK(d.p[4].len == sizeof ctl && !memcmp(d.p[4].val, ctl, sizeof ctl));
	CHECK_EQ_INT(dp_s64(&d.p[5]), 6);
	encode_in(s1, 1);
	CHECK_EQ_INT(d.nparams, 4);
}

/* Exits that exist since 4.0.1 only: dup*, pipe2, accept4, memfd_create,
 * prctl, capset, chown family, newfstatat, ... */
static void test_new_exits(void)
{
	setup();
	/* dup2(3, 10) = 10, dup3(3, 11, O_CLOEXEC) = 11, dup(3) = 12 */
	fake_ctx(&c, &fm, &fs, 33, 3, 10, 0, 0, 0, 0);
	c.ret = 10;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_DUP2_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 10);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 3);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 10);
	fake_ctx(&c, &fm, &fs, 292, 3, 11, 02000000, 0, 0, 0);
	c.ret = 11;
	encode_in(s40, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_DUP3_X);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 11);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 1u << 12);
	fake_ctx(&c, &fm, &fs, 32, 3, 0, 0, 0, 0, 0);
	c.ret = 12;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_DUP_1_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 12);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 3);
	/* in 1.0.0 they stay the old DUP_X */
	encode_in(s1, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_DUP_X);
	/* pipe2(fds, O_NONBLOCK|O_CLOEXEC) */
	int32_t fds[2] = { 5, 6 };
	fake_mem_map(&fm, 0x9000, fds, sizeof fds);
	fake_state_fd(&fs, T_PID, 5, 0xc, 777);
	fake_ctx(&c, &fm, &fs, 293, 0x9000, 04000 | 02000000, 0, 0, 0, 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_PIPE2_X);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 6);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 777);
	CHECK_EQ_INT(dp_u32(&d.p[4]), (1u << 6) | (1u << 12));
	/* eventfd2(5, EFD_CLOEXEC), signalfd4(-1, mask, 8, SFD_NONBLOCK), inotify_init1(IN_CLOEXEC) */
	fake_ctx(&c, &fm, &fs, 290, 5, 02000000, 0, 0, 0, 0);
	c.ret = 7;
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u16(&d.p[1]), 1u << 12);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 5);
	fake_ctx(&c, &fm, &fs, 289, (uint64_t)-1, 0, 8, 04000, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u16(&d.p[1]), 1u << 6);
	CHECK_EQ_INT(dp_s64(&d.p[2]), -1);
	fake_ctx(&c, &fm, &fs, 294, 02000000, 0, 0, 0, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(dp_u16(&d.p[1]), 1u << 12);
	/* memfd_create("x", MFD_CLOEXEC) = 4 */
	fake_mem_str(&fm, 0xa000, "fileless");
	fake_ctx(&c, &fm, &fs, 319, 0xa000, 1, 0, 0, 0, 0);
	c.ret = 4;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_MEMFD_CREATE_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_STR(dp_str(&d.p[1]), "fileless");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 1);
	/* prctl(PR_SET_NAME, "newname") */
	fake_mem_str(&fm, 0xb000, "newname");
	fake_ctx(&c, &fm, &fs, 157, 15, 0xb000, 0, 0, 0, 0);
	c.ret = 0;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_PRCTL_X);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 15);
	CHECK_EQ_STR(dp_str(&d.p[2]), "newname");
	/* prctl(PR_SET_CHILD_SUBREAPER, 1) */
	fake_ctx(&c, &fm, &fs, 157, 36, 1, 0, 0, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_STR(dp_str(&d.p[2]), "");
	CHECK_EQ_INT(dp_s64(&d.p[3]), 1);
	/* capset(v3 header, two triples) */
	uint32_t hdr[2] = { 0x20080522, 0 }, data[6] = { 0x10, 0x30, 0x1, 0x2, 0x3, 0x4 };
	fake_mem_map(&fm, 0xc000, hdr, sizeof hdr);
	fake_mem_map(&fm, 0xc100, data, sizeof data);
	fake_ctx(&c, &fm, &fs, 126, 0xc000, 0xc100, 0, 0, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_CAPSET_X);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 0x1 | (uint64_t)0x4 << 32);  /* inheritable */
	CHECK_EQ_INT(dp_u64(&d.p[2]), 0x30 | (uint64_t)0x3 << 32); /* permitted */
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0x10 | (uint64_t)0x2 << 32); /* effective */
	/* fchownat(AT_FDCWD, "/etc/passwd", 1, 2, AT_SYMLINK_NOFOLLOW) */
	fake_mem_str(&fm, 0xd000, "/etc/passwd");
	fake_ctx(&c, &fm, &fs, 260, (uint64_t)-100, 0xd000, 1, 2, 0x100, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_FCHOWNAT_X);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 1);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 2);
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0x400);
	/* newfstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW) */
	fake_ctx(&c, &fm, &fs, 262, (uint64_t)-100, 0xd000, 0, 0x100, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_NEWFSTATAT_X);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0x100);
	/* setreuid(1, 2) */
	fake_ctx(&c, &fm, &fs, 113, 1, 2, 0, 0, 0, 0);
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_SETREUID_X);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 1);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 2);
	/* accept4(3, NULL, NULL, SOCK_CLOEXEC): the flags as passed */
	fake_ctx(&c, &fm, &fs, 288, 3, 0, 0, 02000000, 0, 0);
	c.ret = -11;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SOCKET_ACCEPT4_6_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -11);
	CHECK_EQ_INT((int32_t)dp_u32(&d.p[5]), 02000000);

	/* sendmmsg(5, msgs, 2, 0) = 2: the first message, 4 of its 6 bytes sent */
	static uint8_t payload[6] = "abcdef";
	uint64_t iov[2] = { 0xe000, sizeof payload };
	fake_mem_map(&fm, 0xe000, payload, sizeof payload);
	fake_mem_map(&fm, 0xe100, iov, sizeof iov);
	uint8_t mm[64] = { 0 };
	uint64_t iovp = 0xe100, iovlen = 1;
	uint32_t sent = 4;
	memcpy(mm + 16, &iovp, 8);
	memcpy(mm + 24, &iovlen, 8);
	memcpy(mm + 56, &sent, 4);
	fake_mem_map(&fm, 0xe200, mm, sizeof mm);
	fake_ctx(&c, &fm, &fs, 307, 5, 0xe200, 2, 0, 0, 0);
	c.ret = 2;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SOCKET_SENDMMSG_X);
	CHECK_EQ_INT(d.nparams, 5);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 6);
	CHECK(d.p[3].len == 4 && !memcmp(d.p[3].val, "abcd", 4));
	encode_in(s1, 1);
	CHECK_EQ_INT(d.nparams, 0);
	/* recvmmsg failing: its error and the fd */
	fake_ctx(&c, &fm, &fs, 299, 5, 0xe200, 2, 0, 0, 0);
	c.ret = -11;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SOCKET_RECVMMSG_X);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -11);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
}

/* int arguments with garbage in the upper 32 bits: the 1.0.0 driver
 * writes some whole (kill's pid, execveat's dirfd but for AT_FDCWD in the
 * low 32 bits), the modern ones as a 32-bit int */
static void test_int_args_by_schema(void)
{
	setup();
	fake_ctx(&c, &fm, &fs, 62 /* kill */, 0xffffffff7ffffff0ull, 0, 0, 0, 0, 0);
	encode_in(s1, 0);
	CHECK_EQ_INT(d.type, EV_SYSCALL_KILL_E);
	CHECK_EQ_INT(dp_s64(&d.p[0]), (int64_t)0xffffffff7ffffff0ull);
	c.ret = -3;
	encode_in(s45, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_KILL_X);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 2147483632);
	fake_mem_str(&fm, 0x1000, "x");
	fake_ctx(&c, &fm, &fs, 322 /* execveat */, 0xfffffffe7ffffff1ull, 0x1000, 0, 0, 0, 0);
	encode_in(s1, 0);
	CHECK_EQ_INT(dp_s64(&d.p[0]), (int64_t)0xfffffffe7ffffff1ull);
	fake_ctx(&c, &fm, &fs, 322, 0x00000000ffffff9cull, 0x1000, 0, 0, 0, 0);
	encode_in(s1, 0);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -100);
}

/* a failed getcwd: the 1.0.0 driver reads the buffer anyway (what it held
 * before), the modern ones leave the path empty */
static void test_getcwd_failed(void)
{
	setup();
	fake_mem_str(&fm, 0x2000, "/before");
	fake_ctx(&c, &fm, &fs, 79 /* getcwd */, 0x2000, 1, 0, 0, 0, 0);
	c.ret = -34;
	encode_in(s1, 1);
	CHECK_EQ_INT(d.type, EV_SYSCALL_GETCWD_X);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/before");
	encode_in(s45, 1);
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
}

int main(void)
{
	s1 = pdig_schema_get(SCHEMA_1_0_0);
	s40 = pdig_schema_get(SCHEMA_4_0_1);
	s41 = pdig_schema_get(SCHEMA_4_1_0);
	s45 = pdig_schema_get(SCHEMA_4_5_1);
	test_execve();
	test_execveat_filename();
	test_clone();
	test_open_ino();
	test_fd_net_misc();
	test_new_exits();
	test_int_args_by_schema();
	test_getcwd_failed();
	fake_mem_free(&fm);
	return check_done("test_modern_values");
}
