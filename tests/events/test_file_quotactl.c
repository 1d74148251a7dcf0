/* quotactl: cmd/type/id/fmt decoding at enter, the dqblk/dqinfo/fmt
 * struct read by cmd at exit. Values from linux/quota.h and the driver's
 * PPM_Q_* / PPM_QFMT_* bits. */
#include <sys/syscall.h>

#include "fake.h"

static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

#define SPECIAL 0x10000
#define ADDR 0x20000
#define BAD 0xdead0000
#define QCMD(cmd, type) (((uint64_t)(cmd) << 8) | (type))

static void test_enter(void)
{
	/* Q_GETQUOTA, GRPQUOTA, id kept */
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800007, 1), SPECIAL, 1000, ADDR, 0, 0);
	t_run(0, &c, EV_SYSCALL_QUOTACTL_E, &d);
	CHECK_EQ_INT(dp_u16(&d.p[0]), 1 << 5);
	CHECK_EQ_INT(dp_u8(&d.p[1]), 1 << 1);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 1000);
	CHECK_EQ_INT(dp_u8(&d.p[3]), 1 << 0);
	/* Q_QUOTAON, USRQUOTA: id is the format (QFMT_VFS_V0 = 2), not reported as id */
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800002, 0), SPECIAL, 2, ADDR, 0, 0);
	t_run(0, &c, EV_SYSCALL_QUOTACTL_E, &d);
	CHECK_EQ_INT(dp_u16(&d.p[0]), 1 << 0);
	CHECK_EQ_INT(dp_u8(&d.p[1]), 1 << 0);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[3]), 1 << 2);
	/* unknown command and type */
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x123456, 7), 0, 5, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_QUOTACTL_E, &d);
	CHECK_EQ_INT(dp_u16(&d.p[0]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[1]), 0);
	/* XFS command */
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x5803, 0), 0, 42, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_QUOTACTL_E, &d);
	CHECK_EQ_INT(dp_u16(&d.p[0]), 1 << 10);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 42);
}

static void test_exit_dqblk(void)
{
	uint64_t q[9] = { 11, 12, 13, 14, 15, 16, 17, 18, 0 };
	q[8] = 1 | 2 | 16; /* BLIMITS, SPACE, BTIME; not ILIMITS, ITIME */
	fake_mem_str(&fm, SPECIAL, "/dev/sda1");
	fake_mem_map(&fm, ADDR, q, 72);
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800007, 0), SPECIAL, 1000, ADDR, 0, 0);
	c.ret = -2;
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_INT(d.nparams, 14);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -2);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/dev/sda1");
	CHECK_EQ_STR(dp_str(&d.p[2]), "");
	CHECK_EQ_INT(dp_u64(&d.p[3]), 11);
	CHECK_EQ_INT(dp_u64(&d.p[4]), 12);
	CHECK_EQ_INT(dp_u64(&d.p[5]), 13);
	CHECK_EQ_INT(dp_u64(&d.p[6]), 0);
	CHECK_EQ_INT(dp_u64(&d.p[7]), 0);
	CHECK_EQ_INT(dp_u64(&d.p[8]), 17);
	CHECK_EQ_INT(dp_u64(&d.p[9]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[13]), 1);
	/* unreadable struct: zeros, same layout */
	c.args[3] = BAD;
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0);
	/* NULL special */
	c.args[1] = 0;
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");
}

static void test_exit_info_fmt(void)
{
	struct { uint64_t bg, ig; uint32_t flags, valid; } info = { 100, 200, 0x31, 1 | 4 };
	uint32_t fmt = 4; /* QFMT_VFS_V1 */
	fake_mem_map(&fm, ADDR + 0x1000, &info, sizeof(info));
	fake_mem_map(&fm, ADDR + 0x2000, &fmt, sizeof(fmt));
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800005, 0), 0, 0, ADDR + 0x1000, 0, 0);
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_INT(dp_u64(&d.p[10]), 100);
	CHECK_EQ_INT(dp_u64(&d.p[11]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[12]), 0x31);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0); /* no dqblk for GETINFO */
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800004, 0), 0, 0, ADDR + 0x2000, 0, 0);
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_INT(dp_u8(&d.p[13]), 1 << 3);
	/* QUOTAON: quotafilepath is the string at addr */
	fake_mem_str(&fm, ADDR + 0x3000, "/aquota.user");
	fake_ctx(&c, &fm, &fs, SYS_quotactl, QCMD(0x800002, 0), 0, 2, ADDR + 0x3000, 0, 0);
	t_run(1, &c, EV_SYSCALL_QUOTACTL_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/aquota.user");
}

int main(void)
{
	fake_mem_init(&fm);
	fake_state_init(&fs);
	test_enter();
	test_exit_dqblk();
	test_exit_info_fmt();
	fake_mem_free(&fm);
	return check_done("test_file_quotactl");
}
