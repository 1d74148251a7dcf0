/* process encoders: execve/clone exits from a canned snapshot, failed
 * execve argv/envp from fake memory, clone/clone3 flag conversion, the
 * parent's and the child's clone events, creds, ptrace, rlimits. */
#include <stdlib.h>

#include "fake.h"

static uint8_t buf[1 << 17];
static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

static void setup(void)
{
	fake_mem_free(&fm);
	fake_mem_init(&fm);
	fake_state_init(&fs);
	struct proc_snapshot *p = &fs.proc;
	fs.has_proc = 1;
	p->tid = T_TID; p->pid = T_PID; p->ptid = 1; p->pgid = 1200; p->vpgid = 1200; p->sid = 1;
	p->vtid = T_TID; p->vpid = T_PID;
	p->uid = 1000; p->gid = 1001; p->loginuid = -1; p->tty = 34816;
	p->fdlimit = 1024; p->pgft_maj = 3; p->pgft_min = 456;
	p->vm_size_kb = 10000; p->vm_rss_kb = 2000; p->vm_swap_kb = 7;
	p->exe_writable = 1;
	strcpy(p->comm, "bash");
	strcpy(p->exe, "/bin/bash");
	strcpy(p->cwd, "/home/u");
	memcpy(p->args, "-c\0echo hi\0", 11);
	p->args_len = 11;
	memcpy(p->env, "A=1\0B=2\0", 8);
	p->env_len = 8;
	memcpy(p->cgroups, "cpu=/x\0", 7);
	p->cgroups_len = 7;
}

static int bytes_eq(const struct dparam *p, const void *exp, size_t n)
{
	return p->len == n && !memcmp(p->val, exp, n);
}

static void check_common(void)
{
	CHECK_EQ_INT(dp_s64(&d.p[3]), T_TID);
	CHECK_EQ_INT(dp_s64(&d.p[4]), T_PID);
	CHECK_EQ_INT(dp_s64(&d.p[5]), 1);
	/* cwd: empty as the driver writes it, though the snapshot has one */
	CHECK_EQ_STR(dp_str(&d.p[6]), "");
	CHECK_EQ_INT(dp_u64(&d.p[7]), 1024);
	CHECK_EQ_INT(dp_u64(&d.p[8]), 3);
	CHECK_EQ_INT(dp_u64(&d.p[9]), 456);
	CHECK_EQ_INT(dp_u32(&d.p[10]), 10000);
	CHECK_EQ_INT(dp_u32(&d.p[11]), 2000);
	CHECK_EQ_INT(dp_u32(&d.p[12]), 7);
	CHECK_EQ_STR(dp_str(&d.p[13]), "bash");
	CHECK(bytes_eq(&d.p[14], "cpu=/x\0", 7));
}

static void test_execve_ok(void)
{
	setup();
	fake_mem_str(&fm, 0x1000, "/bin/bash");
	fake_ctx(&c, &fm, &fs, 59, 0x1000, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVE_19_E);
	CHECK_EQ_STR(dp_str(&d.p[0]), "/bin/bash");
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVE_19_X);
	CHECK_EQ_INT(d.nparams, 20);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/bin/bash");
	CHECK(bytes_eq(&d.p[2], "-c\0echo hi\0", 11));
	check_common();
	CHECK(bytes_eq(&d.p[15], "A=1\0B=2\0", 8));
	CHECK_EQ_INT((int32_t)dp_u32(&d.p[16]), 34816);
	CHECK_EQ_INT(dp_s64(&d.p[17]), 1200);
	CHECK_EQ_INT((int32_t)dp_u32(&d.p[18]), -1);
	CHECK_EQ_INT(dp_u32(&d.p[19]), 1);
	/* enter with NULL and with unreadable filename */
	fake_ctx(&c, &fm, &fs, 59, 0, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[0]), "(NULL)");
	fake_ctx(&c, &fm, &fs, 59, 0xbad000, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[0]), "<NA>"); /* the driver's word for unreadable */
	/* execveat's pathname alike */
	fake_ctx(&c, &fm, &fs, 322, (uint64_t)-100, 0xbad000, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "<NA>");
}

static void test_execve_failed(void)
{
	setup();
	uint64_t argv[] = { 0x2000, 0x2100, 0x2200, 0 };
	fake_mem_str(&fm, 0x2000, "ls");
	fake_mem_str(&fm, 0x2100, "-l");
	fake_mem_str(&fm, 0x2200, "/tmp");
	fake_mem_map(&fm, 0x3000, argv, sizeof(argv));
	uint64_t envp[] = { 0x4000, 0 };
	fake_mem_str(&fm, 0x4000, "PATH=/bin");
	fake_mem_map(&fm, 0x3100, envp, sizeof(envp));
	fake_ctx(&c, &fm, &fs, 59, 0x2000, 0x3000, 0x3100, 0, 0, 0);
	c.ret = -2;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.nparams, 20);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -2);
	CHECK_EQ_STR(dp_str(&d.p[1]), "ls");
	CHECK(bytes_eq(&d.p[2], "-l\0/tmp\0", 8));
	check_common(); /* the unchanged caller */
	CHECK(bytes_eq(&d.p[15], "PATH=/bin\0", 10));

	/* argv array running into unmapped memory: all or nothing, as the
	 * driver (an empty exe and args), no crash */
	uint64_t part[] = { 0x2000, 0x2100 }; /* no terminator, then unmapped */
	fake_mem_map(&fm, 0x5000, part, sizeof(part));
	c.args[1] = 0x5000;
	c.args[2] = 0xbad000;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
	CHECK_EQ_INT(d.p[2].len, 0);
	CHECK_EQ_INT(d.p[15].len, 0);
	/* strings that do not all fit in a page: nothing either */
	static char longarg[3000];
	memset(longarg, 'a', sizeof longarg - 1);
	fake_mem_str(&fm, 0x6000, longarg);
	fake_mem_str(&fm, 0x7000, longarg);
	uint64_t big[] = { 0x2000, 0x6000, 0x7000, 0 };
	fake_mem_map(&fm, 0x5100, big, sizeof(big));
	c.args[1] = 0x5100;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
	CHECK_EQ_INT(d.p[2].len, 0);
	uint64_t fits[] = { 0x2000, 0x6000, 0 };
	fake_mem_map(&fm, 0x5200, fits, sizeof(fits));
	c.args[1] = 0x5200;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "ls");
	CHECK_EQ_INT(d.p[2].len, 3000);
	/* execveat: argv/envp are args 2 and 3 */
	fake_ctx(&c, &fm, &fs, 322, (uint64_t)-100, 0x2200, 0x3000, 0x3100, 0x1000, 0);
	c.ret = -13;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVEAT_X);
	CHECK_EQ_STR(dp_str(&d.p[1]), "ls");
	/* a successful one ends as an execve exit (later drivers' way) */
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_EXECVE_19_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	c.ret = -13;
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), -100);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 1); /* AT_EMPTY_PATH */
}

/* A failed execve's argv/envp as an execvp through PATH meets it: an
 * ordinary environment of 40 strings side by side, as the kernel lays them
 * out at the top of the stack, one longer than the batch reads first, one
 * running over a page end, more pointers than one batch. The lists come
 * out whole, in six reads (one per pointer and per string before: over
 * 80; one area per string: 9). */
static void test_execve_failed_batched(void)
{
	setup();
	static char stack[0x3000];
	static char longval[700];
	uint64_t envp[41];
	char want[4096];
	size_t wlen = 0;
	const uint64_t base = 0x10000, first = 0xe00; /* the list runs over 0x11000 */
	for (int i = 0; i < 40; i++) {
		char one[64];
		const char *s = one;
		snprintf(one, sizeof one, "VAR%02d=value-%d", i, i * 7);
		if (i == 5) { /* longer than the first bytes the batch reads */
			memset(longval, 'p', sizeof longval - 1);
			memcpy(longval, "PATH=", 5);
			s = longval;
		}
		envp[i] = base + first + wlen;
		memcpy(stack + first + wlen, s, strlen(s) + 1);
		memcpy(want + wlen, s, strlen(s) + 1);
		wlen += strlen(s) + 1;
	}
	envp[40] = 0;
	fake_mem_map(&fm, base, stack, sizeof stack);
	fake_mem_map(&fm, 0x40000, envp, sizeof envp);
	static const char args[] = "cc\0-O2\0hello.c";
	uint64_t argv[] = { 0x41000, 0x41003, 0x41007, 0 };
	fake_mem_map(&fm, 0x41000, args, sizeof args);
	fake_mem_map(&fm, 0x42000, argv, sizeof argv);
	fake_ctx(&c, &fm, &fs, 59, 0x41000, 0x42000, 0x40000, 0, 0, 0);
	c.ret = -2;
	fm.reads = fm.readvs = fm.readv_areas = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "cc");
	CHECK(bytes_eq(&d.p[2], "-O2\0hello.c\0", 12));
	CHECK_EQ_INT(d.p[15].len, wlen);
	CHECK(bytes_eq(&d.p[15], want, wlen));
	/* argv: a pointer read and one area; envp: a pointer read, a readv
	 * of its areas (cut at the long string and at the page end), and one
	 * read for each of the two strings cut, on from where it stopped */
	CHECK(fm.reads + fm.readvs <= 6);
	/* strings side by side are read as one area: the kernel pins the
	 * pages of each area anew */
	CHECK(fm.readv_areas <= 5);
	if (fm.reads + fm.readvs > 6 || fm.readv_areas > 5)
		fprintf(stderr, "%u reads, %u readvs of %u areas\n", fm.reads, fm.readvs, fm.readv_areas);

	/* one unreadable string among them: nothing, as before */
	envp[20] = 0xbad000;
	fake_mem_map(&fm, 0x50000, envp, sizeof envp);
	c.args[2] = 0x50000;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[15].len, 0);
	CHECK(bytes_eq(&d.p[2], "-O2\0hello.c\0", 12));
}

static void test_clone(void)
{
	setup();
	/* CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SETTLS */
	uint64_t fl = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x80000;
	fake_ctx(&c, &fm, &fs, 56, fl, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_CLONE_20_E);
	CHECK_EQ_INT(d.nparams, 0);
	/* parent's event: res = child tid, the parent's own ids */
	c.ret = 4321;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_CLONE_20_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4321);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/bin/bash");
	check_common();
	uint32_t ppm = (1u << 15) | (1u << 1) | (1u << 0) | (1u << 11) | (1u << 13) | (1u << 25);
	CHECK_EQ_INT(dp_u32(&d.p[15]), ppm);
	CHECK_EQ_INT(dp_u32(&d.p[16]), 1000);
	CHECK_EQ_INT(dp_u32(&d.p[17]), 1001);
	CHECK_EQ_INT(dp_s64(&d.p[18]), T_TID);
	CHECK_EQ_INT(dp_s64(&d.p[19]), T_PID);
	/* child's event: res 0, the child's snapshot (in a pid namespace) */
	fs.proc.tid = 4321; fs.proc.ptid = T_PID; fs.proc.vtid = 7; fs.proc.vpid = 7;
	c.tid = 4321;
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.tid, 4321);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	CHECK_EQ_INT(dp_s64(&d.p[3]), 4321);
	CHECK_EQ_INT(dp_s64(&d.p[5]), T_PID);
	CHECK_EQ_INT(dp_u32(&d.p[15]), ppm | (1u << 29));
	CHECK_EQ_INT(dp_s64(&d.p[18]), 7);
	/* failed clone: empty exe/args, rest still present */
	setup();
	c.tid = T_TID;
	c.ret = -11;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
	CHECK_EQ_INT(d.p[2].len, 0);
	CHECK_EQ_STR(dp_str(&d.p[13]), "bash");
	/* fork: the driver reports no flags */
	fake_ctx(&c, &fm, &fs, 57, fl, 0, 0, 0, 0, 0);
	c.ret = 99;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_FORK_20_X);
	CHECK_EQ_INT(dp_u32(&d.p[15]), 0);
	/* clone3: flags from struct clone_args, bounded by its size */
	uint64_t ca[11] = { 0x00004000 | 0x100 /* CLONE_VFORK|CLONE_VM */ };
	fake_mem_map(&fm, 0x1000, ca, sizeof(ca));
	fake_ctx(&c, &fm, &fs, 435, 0x1000, sizeof(ca), 0, 0, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_CLONE3_X);
	CHECK_EQ_INT(dp_u32(&d.p[15]), (1u << 27) | (1u << 15));
	c.args[1] = 4; /* too small to hold flags */
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[15]), 0);
	c.args[0] = 0xbad000;
	c.args[1] = 88;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[15]), 0);
	/* no snapshot at all: still 20 well-formed params, with the ids the
	 * tracer knows and no claim of root */
	fs.has_proc = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.nparams, 20);
	CHECK_EQ_STR(dp_str(&d.p[13]), "");
	CHECK_EQ_INT(dp_s64(&d.p[3]), c.tid);
	CHECK_EQ_INT(dp_s64(&d.p[4]), c.pid);
	CHECK_EQ_INT(d.p[7].len, 8); /* fdlimit: a number of the right size */
	CHECK_EQ_INT(dp_u32(&d.p[16]), 0xffffffffu);
	CHECK_EQ_INT(dp_u32(&d.p[17]), 0xffffffffu);
	CHECK_EQ_INT(dp_s64(&d.p[18]), c.tid);
	CHECK_EQ_INT(dp_s64(&d.p[19]), c.pid);
}

static void test_creds_misc(void)
{
	setup();
	fake_ctx(&c, &fm, &fs, 117, 1, 2, (uint64_t)-1, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_SETRESUID_E);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 1);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0xffffffffu);
	uint32_t ids[3] = { 5, 6, 7 };
	fake_mem_map(&fm, 0x1000, &ids[0], 4);
	fake_mem_map(&fm, 0x1100, &ids[1], 4);
	fake_ctx(&c, &fm, &fs, 118, 0x1000, 0x1100, 0xbad000, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[1]), 5);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 6);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0xffffffffu);
	/* unshare(CLONE_NEWNS|CLONE_NEWUSER|CLONE_NEWPID) */
	fake_ctx(&c, &fm, &fs, 272, 0x00020000 | 0x10000000 | 0x20000000, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[0]), (1u << 5) | (1u << 20) | (1u << 6));
	/* ptrace(PTRACE_PEEKDATA) stores the word at data; CONT data is a signal */
	uint64_t word = 0x1122334455667788ull;
	fake_mem_map(&fm, 0x2000, &word, 8);
	fake_ctx(&c, &fm, &fs, 101, 2, 77, 0x400000, 0x2000, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u16(&d.p[0]), 3);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 77);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	uint64_t v;
	memcpy(&v, d.p[1].val + 1, 8);
	CHECK_EQ_INT(v, 0x400000);
	memcpy(&v, d.p[2].val + 1, 8);
	CHECK_EQ_INT(v, (long long)word);
	fake_ctx(&c, &fm, &fs, 101, 7, 77, 0, 9, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[2].len, 2);
	CHECK_EQ_INT(d.p[2].val[0], 1);
	CHECK_EQ_INT(d.p[2].val[1], 9);
	/* prlimit64: old limit read back; new limit absent */
	int64_t rl[2] = { 1024, 4096 };
	fake_mem_map(&fm, 0x3000, rl, sizeof(rl));
	fake_ctx(&c, &fm, &fs, 302, 0, 7, 0, 0x3000, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[1]), -1);
	CHECK_EQ_INT(dp_s64(&d.p[3]), 1024);
	CHECK_EQ_INT(dp_s64(&d.p[4]), 4096);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u8(&d.p[1]), 7);
	/* kill(-1, SIGKILL) with only the low 32 bits loaded (an int through
	 * syscall()'s varargs): the 1.0.0 driver writes the whole register,
	 * a modern one the int */
	fake_ctx(&c, &fm, &fs, 62, 0xffffffffull, 9, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4294967295ll);
	fake_ctx(&c, &fm, &fs, 62, 0xffffffffffffffffull, 9, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), -1);
	CHECK_EQ_INT(dp_u8(&d.p[1]), 9);
	/* bpf(BPF_PROG_LOAD) returning an fd vs another command */
	fake_ctx(&c, &fm, &fs, 321, 5, 0, 0, 0, 0, 0);
	c.ret = 4;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[0].val[0], 0);
	c.args[0] = 1;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[0].val[0], 1);
}

int main(void)
{
	fake_mem_init(&fm);
	test_execve_ok();
	test_execve_failed();
	test_execve_failed_batched();
	test_clone();
	test_creds_misc();
	fake_mem_free(&fm);
	return check_done("test_proc_exec");
}
