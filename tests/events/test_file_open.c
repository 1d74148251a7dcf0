/* open, creat, openat, openat2: exact params against the fillers. */
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "fake.h"

static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

#define PATH 0x10000
#define BAD 0xdead0000

static void reset(void)
{
	fake_mem_free(&fm);
	fake_mem_init(&fm);
	fake_state_init(&fs);
	fake_mem_str(&fm, PATH, "/etc/passwd");
}

static void test_open(void)
{
	reset();
	/* flags converted; mode ignored without O_CREAT */
	fake_ctx(&c, &fm, &fs, SYS_open, PATH, O_RDONLY | O_CLOEXEC, 0644, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_STR(dp_str(&d.p[0]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x1 | 0x1000);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0);

	fake_ctx(&c, &fm, &fs, SYS_open, PATH, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_EXCL, 0100644, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x2 | 0x4 | 0x100 | 0x8 | 0x20);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0644); /* file type bits dropped */

	/* exit: fd, name, flags, mode, dev from fd_stat */
	fake_state_fd(&fs, T_PID, 5, makedev(8, 1), 77);
	c.ret = 5;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_INT(d.nparams, 5);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 5);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0x2 | 0x4 | 0x100 | 0x8 | 0x20);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0644);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0x801);
	CHECK_EQ_INT(fs.stat_calls, 1);

	/* big major/minor: the kernel's new_encode_dev layout */
	fake_state_fd(&fs, T_PID, 6, makedev(259, 65537), 1);
	c.ret = 6;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[4]), (uint32_t)((65537 & 0xff) | (259 << 8) | ((65537u & ~0xffu) << 12)));

	/* failure: fd = -errno, dev 0, no state lookup */
	fs.stat_calls = 0;
	c.ret = -2;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -2);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0);
	CHECK_EQ_INT(fs.stat_calls, 0);

	/* fd_stat fails -> dev 0 */
	c.ret = 9;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0);
}

static void test_open_flag_quirks(void)
{
	reset();
	/* The driver tests "flags & O_TMPFILE" and "flags & O_SYNC"; both are
	 * multi-bit, so O_DIRECTORY implies TMPFILE (and converts the mode),
	 * O_DSYNC implies SYNC. */
	fake_ctx(&c, &fm, &fs, SYS_open, PATH, O_RDONLY | O_DIRECTORY, 0755, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x1 | 0x400 | 0x2000);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0755);

	fake_ctx(&c, &fm, &fs, SYS_open, PATH, O_RDWR | O_DSYNC | O_NONBLOCK | O_DIRECT, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x3 | 0x10 | 0x80 | 0x40 | 0x200);

	/* access mode 3 is invalid: RDONLY like the driver's default case;
	 * kernel O_LARGEFILE (0100000) maps */
	fake_ctx(&c, &fm, &fs, SYS_open, PATH, 3 | 0100000, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x1 | 0x800);
}

static void test_open_bad_paths(void)
{
	reset();
	/* enter: the driver writes "(NULL)" when the name cannot be read */
	fake_ctx(&c, &fm, &fs, SYS_open, BAD, O_RDONLY, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_STR(dp_str(&d.p[0]), "(NULL)");
	/* exit: empty string, still 5 params */
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
	CHECK_EQ_INT(d.p[1].len, 1);
	CHECK_EQ_INT(d.nparams, 5);
	CHECK_EQ_INT(d.len, 26 + 2 * 5 + 8 + 1 + 4 + 4 + 4);
	/* NULL pointer */
	fake_ctx(&c, &fm, &fs, SYS_open, 0, O_RDONLY, 0, 0, 0, 0);
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");

	/* a path longer than PATH_MAX is cut at 4095 bytes + NUL */
	static char big[10000];
	memset(big, 'a', sizeof(big) - 1);
	fake_mem_str(&fm, 0x100000, big);
	fake_ctx(&c, &fm, &fs, SYS_open, 0x100000, O_RDONLY, 0, 0, 0, 0);
	c.ret = 3;
	t_run(1, &c, EV_SYSCALL_OPEN_X, &d);
	CHECK_EQ_INT(d.p[1].len, 4096);
	CHECK(dp_str(&d.p[1]) && strspn(dp_str(&d.p[1]), "a") == 4095);

	/* unterminated string running into unmapped memory: partial */
	fake_mem_map(&fm, 0x200000, "abcdef", 6);
	fake_ctx(&c, &fm, &fs, SYS_open, 0x200000, O_RDONLY, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPEN_E, &d);
	CHECK_EQ_STR(dp_str(&d.p[0]), "abcdef");
}

static void test_creat(void)
{
	reset();
	fake_ctx(&c, &fm, &fs, SYS_creat, PATH, 0104755, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_CREAT_E, &d);
	CHECK_EQ_STR(dp_str(&d.p[0]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[1]), 04755);
	fake_state_fd(&fs, T_PID, 4, makedev(0, 38), 1);
	c.ret = 4;
	t_run(1, &c, EV_SYSCALL_CREAT_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 04755);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 38);
	fake_ctx(&c, &fm, &fs, SYS_creat, BAD, 0644, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_CREAT_E, &d);
	CHECK_EQ_STR(dp_str(&d.p[0]), "(NULL)");
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_CREAT_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "");
}

static void test_openat(void)
{
	reset();
	/* AT_FDCWD as a zero-extended int register */
	fake_ctx(&c, &fm, &fs, SYS_openat, 0xffffff9cull, PATH, O_RDONLY | O_CLOEXEC, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPENAT_2_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -100);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 4097);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0);

	fake_ctx(&c, &fm, &fs, SYS_openat, (uint64_t)-100, PATH, O_CREAT | O_WRONLY, 0600, 0, 0);
	fake_state_fd(&fs, T_PID, 3, makedev(8, 2), 5);
	c.ret = 3;
	t_run(1, &c, EV_SYSCALL_OPENAT_2_X, &d);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0x2 | 0x4);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0600);
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0x802);

	/* a real dirfd passes through */
	fake_ctx(&c, &fm, &fs, SYS_openat, 7, BAD, O_RDONLY, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPENAT_2_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 7);
	CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_OPENAT_2_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 7);
	CHECK_EQ_STR(dp_str(&d.p[2]), "");
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0);
}

static void test_openat2(void)
{
	reset();
	uint64_t how[3] = { O_CREAT | O_WRONLY | O_CLOEXEC, 0640, 0x08 | 0x01 | 0x20 };
	fake_mem_map(&fm, 0x30000, how, sizeof(how));
	fake_ctx(&c, &fm, &fs, SYS_openat2, (uint64_t)-100, PATH, 0x30000, 24, 0, 0);
	t_run(0, &c, EV_SYSCALL_OPENAT2_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -100);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0x2 | 0x4 | 0x1000);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0640);
	/* BENEATH -> 1, NO_XDEV -> 0x10, CACHED -> 0x20 */
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0x1 | 0x10 | 0x20);

	c.ret = 8;
	t_run(1, &c, EV_SYSCALL_OPENAT2_X, &d);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 8);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/etc/passwd");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0x2 | 0x4 | 0x1000);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0640);
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0x31);

	/* size bounds the read: only flags are inside the first 8 bytes */
	c.args[3] = 8;
	t_run(0, &c, EV_SYSCALL_OPENAT2_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0x2 | 0x4 | 0x1000);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0);

	/* a huge size reads no more than the struct */
	c.args[3] = 1ull << 40;
	t_run(0, &c, EV_SYSCALL_OPENAT2_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0x31);

	/* unreadable how: zeros; unreadable name */
	fake_ctx(&c, &fm, &fs, SYS_openat2, 3, BAD, BAD, 24, 0, 0);
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_OPENAT2_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 3);
	CHECK_EQ_STR(dp_str(&d.p[2]), "");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0);
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0);
}

int main(void)
{
	fake_mem_init(&fm);
	test_open();
	test_open_flag_quirks();
	test_open_bad_paths();
	test_creat();
	test_openat();
	test_openat2();
	fake_mem_free(&fm);
	return check_done("test_file_open");
}
