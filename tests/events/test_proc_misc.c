/* misc encoders: poll FDLIST (enter: all fds, exit: fds with revents,
 * bounded count), ppoll timespec/sigmask, mmap/mprotect flag conversion and
 * vm figures, futex op, nanosleep, semop, getcwd. */
#include <poll.h>
#include <stdlib.h>

#include "fake.h"

static uint8_t buf[1 << 17];
static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

static void reset(void)
{
	fake_mem_free(&fm);
	fake_mem_init(&fm);
	fake_state_init(&fs);
}

static uint16_t fl_cnt(const struct dparam *p) { uint16_t v; memcpy(&v, p->val, 2); return (uint16_t)(p->len == 2 + 10 * v ? v : 0xffff); }
static int64_t fl_fd(const struct dparam *p, int i) { int64_t v; memcpy(&v, p->val + 2 + 10 * i, 8); return v; }
static uint16_t fl_flags(const struct dparam *p, int i) { uint16_t v; memcpy(&v, p->val + 10 + 10 * i, 2); return v; }

static void test_poll(void)
{
	reset();
	struct pollfd p[3] = { { 3, POLLIN, 0 }, { 4, POLLOUT, POLLOUT | POLLHUP }, { -1, POLLPRI, 0 } };
	fake_mem_map(&fm, 0x1000, p, sizeof(p));
	fake_ctx(&c, &fm, &fs, 7, 0x1000, 3, (uint64_t)-1, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(fl_cnt(&d.p[0]), 3);
	CHECK_EQ_INT(fl_fd(&d.p[0], 0), 3);
	CHECK_EQ_INT(fl_flags(&d.p[0], 0), 1);      /* PPM_POLLIN */
	CHECK_EQ_INT(fl_flags(&d.p[0], 1), 4);      /* PPM_POLLOUT */
	CHECK_EQ_INT(fl_fd(&d.p[0], 2), -1);
	CHECK_EQ_INT(fl_flags(&d.p[0], 2), 2);      /* PPM_POLLPRI */
	CHECK_EQ_INT(dp_s64(&d.p[1]), -1);
	c.ret = 1;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(fl_cnt(&d.p[1]), 1);
	CHECK_EQ_INT(fl_fd(&d.p[1], 0), 4);
	CHECK_EQ_INT(fl_flags(&d.p[1], 0), 4 | 32); /* PPM_POLLOUT|PPM_POLLHUP */
	/* a huge nfds over a short array: nothing reported, reads bounded */
	fake_ctx(&c, &fm, &fs, 7, 0x1000, 1u << 30, 0, 0, 0, 0);
	unsigned before = fm.reads;
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK(fm.reads - before <= 1030);
	CHECK_EQ_INT(fl_cnt(&d.p[0]), 0);
	/* 300 fds: the array is read in a few reads, not one per fd */
	static struct pollfd many[300];
	for (int i = 0; i < 300; i++)
		many[i] = (struct pollfd){ i, POLLIN, (short)(i % 3 ? 0 : POLLIN) };
	fake_mem_map(&fm, 0x40000, many, sizeof(many));
	fake_ctx(&c, &fm, &fs, 7, 0x40000, 300, 0, 0, 0, 0);
	before = fm.reads;
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK(fm.reads - before <= 3);
	CHECK_EQ_INT(fl_cnt(&d.p[0]), 300);
	CHECK_EQ_INT(fl_fd(&d.p[0], 299), 299);
	c.ret = 100;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(fl_cnt(&d.p[1]), 100);
	CHECK_EQ_INT(fl_fd(&d.p[1], 99), 297);
	/* ppoll: timespec and sigmask */
	int64_t ts[2] = { 1, 500 };
	uint64_t mask = 0x1234500000006ull;
	fake_mem_map(&fm, 0x2000, ts, sizeof(ts));
	fake_mem_map(&fm, 0x3000, &mask, 8);
	fake_ctx(&c, &fm, &fs, 271, 0x1000, 1, 0x2000, 0x3000, 8, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_PPOLL_E);
	CHECK_EQ_INT(fl_cnt(&d.p[0]), 1);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 1000000500ull);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 6);
	/* no timeout: the driver writes all ones ("forever"), not 0 */
	c.args[2] = 0;
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u64(&d.p[1]), UINT64_MAX);
}

static void test_mm(void)
{
	reset();
	fs.has_proc = 1;
	fs.proc.vm_size_kb = 111; fs.proc.vm_rss_kb = 22; fs.proc.vm_swap_kb = 3;
	/* PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED */
	fake_ctx(&c, &fm, &fs, 9, 0x7f0000, 8192, 3, 0x22 | 0x10, 0xffffffffull, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u64(&d.p[0]), 0x7f0000);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 8192);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 1 | 2);
	CHECK_EQ_INT(dp_u32(&d.p[3]), (1u << 1) | (1u << 3) | (1u << 2));
	CHECK_EQ_INT(dp_s64(&d.p[4]), 0xffffffffll); /* the register as it is, like the driver */
	c.args[4] = (uint64_t)-1;
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[4]), -1);
	c.ret = 0x7f0000;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u64(&d.p[0]), 0x7f0000);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 111);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 22);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 3);
	fake_ctx(&c, &fm, &fs, 10, 0x1000, 4096, 4, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SYSCALL_MPROTECT_E);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 4); /* PPM_PROT_EXEC */
}

static void test_futex_sleep_sem_cwd(void)
{
	reset();
	/* FUTEX_WAIT_BITSET|FUTEX_PRIVATE_FLAG|FUTEX_CLOCK_REALTIME */
	fake_ctx(&c, &fm, &fs, 202, 0xabc, 9 | 128 | 256, 42, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u16(&d.p[1]), 9 | 128 | 256);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 42);
	int64_t ts[2] = { 0, 250000000 };
	fake_mem_map(&fm, 0x1000, ts, sizeof(ts));
	fake_ctx(&c, &fm, &fs, 35, 0x1000, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u64(&d.p[0]), 250000000);
	fake_ctx(&c, &fm, &fs, 35, 0xbad000, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u64(&d.p[0]), 0);
	/* semop with two sembufs, IPC_NOWAIT on the second */
	struct { uint16_t num; int16_t op, flg; } s[2] = { { 1, -1, 0x1000 }, { 2, 1, 0x800 } };
	fake_mem_map(&fm, 0x2000, s, sizeof(s));
	fake_ctx(&c, &fm, &fs, 65, 7, 0x2000, 5, 0, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[1]), 5);
	CHECK_EQ_INT(dp_u16(&d.p[2]), 1);
	CHECK_EQ_INT((int16_t)dp_u16(&d.p[3]), -1);
	CHECK_EQ_INT(dp_u16(&d.p[4]), 2);  /* PPM_SEM_UNDO */
	CHECK_EQ_INT(dp_u16(&d.p[7]), 1);  /* PPM_IPC_NOWAIT */
	/* a failed call still carries its sembufs, as the kernel driver's */
	c.ret = -4;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u16(&d.p[2]), 1);
	CHECK_EQ_INT(dp_u16(&d.p[4]), 2);
	/* getcwd */
	fake_mem_str(&fm, 0x3000, "/srv/data");
	fake_ctx(&c, &fm, &fs, 79, 0x3000, 4096, 0, 0, 0, 0);
	c.ret = 10;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "/srv/data");
	/* failed: the 1.0.0 driver reads the buffer anyway (what it held) */
	c.ret = -34;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "/srv/data");
	/* a NULL buffer (EFAULT): the driver's "(NULL)" */
	fake_ctx(&c, &fm, &fs, 79, 0, 4096, 0, 0, 0, 0);
	c.ret = -14;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");
}

int main(void)
{
	fake_mem_init(&fm);
	test_poll();
	test_mm();
	test_futex_sleep_sem_cwd();
	fake_mem_free(&fm);
	return check_done("test_proc_misc");
}
