/* I/O on fds: read/write (+p, +v variants), sendfile, lseek,
 * copy_file_range, splice, flock, getdents, fstat. */
#include <sys/syscall.h>

#include "fake.h"

static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

#define BUF 0x10000   /* 200 bytes: 0, 1, 2, ... */
#define IOV 0x20000
#define A 0x30000     /* "abc" */
#define B 0x40000     /* "defgh" */
#define BAD 0xdead0000
static uint8_t pattern[200];

static int data_is(const struct dparam *p, const void *want, size_t n)
{
	return p->type == PT_BYTEBUF && p->len == n && !memcmp(p->val, want, n);
}

static void test_read_write(void)
{
	fake_ctx(&c, &fm, &fs, SYS_read, 3, BUF, (1ull << 33) | 100, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_READ_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 100); /* low 32 bits */

	c.ret = 10;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 10);
	CHECK(data_is(&d.p[1], pattern, 10));
	/* snaplen caps */
	c.ret = 150;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK(data_is(&d.p[1], pattern, 80));
	c.snaplen = 4;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK(data_is(&d.p[1], pattern, 4));
	/* error: no data; huge ret bounded by snaplen and by mapped memory */
	c.snaplen = 65535;
	c.ret = -11;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK_EQ_INT(d.p[1].len, 0);
	c.ret = 1ll << 40;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK(data_is(&d.p[1], pattern, 200));
	c.args[1] = BAD;
	t_run(1, &c, EV_SYSCALL_READ_X, &d);
	CHECK_EQ_INT(d.p[1].len, 0);
	CHECK_EQ_INT(d.len, 26 + 4 + 8);

	/* write: the buffer as passed, even when the call failed */
	fake_ctx(&c, &fm, &fs, SYS_write, 1, BUF, 6, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_WRITE_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 6);
	c.ret = -32;
	t_run(1, &c, EV_SYSCALL_WRITE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -32);
	CHECK(data_is(&d.p[1], pattern, 6));
	c.args[2] = ~0ull;
	t_run(1, &c, EV_SYSCALL_WRITE_X, &d);
	CHECK(data_is(&d.p[1], pattern, 80));
	c.args[1] = 0;
	t_run(1, &c, EV_SYSCALL_WRITE_X, &d);
	CHECK_EQ_INT(d.p[1].len, 0);

	fake_ctx(&c, &fm, &fs, SYS_pread64, 4, BUF, 50, 4096, 0, 0);
	t_run(0, &c, EV_SYSCALL_PREAD_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 50);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 4096);
	c.ret = 2;
	t_run(1, &c, EV_SYSCALL_PREAD_X, &d);
	CHECK(data_is(&d.p[1], pattern, 2));

	fake_ctx(&c, &fm, &fs, SYS_pwrite64, 4, BUF, 5, 1ull << 35, 0, 0);
	t_run(0, &c, EV_SYSCALL_PWRITE_E, &d);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 1ull << 35);
	c.ret = 1;
	t_run(1, &c, EV_SYSCALL_PWRITE_X, &d);
	CHECK(data_is(&d.p[1], pattern, 5));
}

static void test_readv_writev(void)
{
	uint64_t iov[6] = { A, 3, B, 5, BUF, 200 };
	fake_mem_map(&fm, IOV, iov, sizeof(iov));

	fake_ctx(&c, &fm, &fs, SYS_readv, 3, IOV, 3, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_READV_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);
	c.ret = 6;
	t_run(1, &c, EV_SYSCALL_READV_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 6);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 6);           /* capped by ret */
	CHECK(data_is(&d.p[2], "abcdef", 6));   /* across iovecs */
	c.ret = -14;
	t_run(1, &c, EV_SYSCALL_READV_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 208);         /* the driver's unsigned compare */
	CHECK_EQ_INT(d.p[2].len, 0);
	c.ret = 1000;
	t_run(1, &c, EV_SYSCALL_READV_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 208);
	uint8_t want[80];
	memcpy(want, "abcdefgh", 8);
	memcpy(want + 8, pattern, 72);
	CHECK(data_is(&d.p[2], want, 80));      /* snaplen */

	/* huge iovcnt: bounded, stops at the end of the readable array */
	fm.reads = 0;
	c.args[2] = 1ull << 60;
	t_run(1, &c, EV_SYSCALL_READV_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 208);
	CHECK(fm.reads < 50);
	/* unreadable array */
	c.args[1] = BAD;
	t_run(1, &c, EV_SYSCALL_READV_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0);
	CHECK_EQ_INT(d.p[2].len, 0);

	/* writev: enter has the total size, exit the data up to snaplen */
	fake_ctx(&c, &fm, &fs, SYS_writev, 1, IOV, 3, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_WRITEV_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 208);
	c.ret = -1;
	fm.reads = fm.readvs = 0;
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK(data_is(&d.p[1], want, 80));
	/* the iovec array once, then the three buffers in one readv */
	CHECK_EQ_INT(fm.reads + fm.readvs, 2);
	/* a hole in the middle: data stops there */
	uint64_t holed[6] = { A, 3, BAD, 5, B, 5 };
	fake_mem_map(&fm, IOV + 0x1000, holed, sizeof(holed));
	c.args[1] = IOV + 0x1000;
	t_run(0, &c, EV_SYSCALL_WRITEV_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 13);
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK(data_is(&d.p[1], "abc", 3));
	/* iovcnt 0 */
	c.args[2] = 0;
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK_EQ_INT(d.p[1].len, 0);

	/* a big snaplen: the driver gathers into one page that also holds
	 * the iovec array, 4096 - 16 * 2 - 1 bytes here; none with 256 */
	static uint8_t big[6000];
	memset(big, 'z', sizeof big);
	fake_mem_map(&fm, 0x70000, big, sizeof big);
	uint64_t two[4] = { 0x70000, 3000, 0x70000 + 3000, 3000 };
	fake_mem_map(&fm, IOV + 0x2000, two, sizeof two);
	static uint64_t many[512];
	for (int i = 0; i < 256; i++) {
		many[2 * i] = 0x70000;
		many[2 * i + 1] = 10;
	}
	fake_mem_map(&fm, 0x80000, many, sizeof many);
	fake_ctx(&c, &fm, &fs, SYS_writev, 1, IOV + 0x2000, 2, 0, 0, 0);
	c.snaplen = 65535;
	c.ret = 6000;
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK_EQ_INT(d.p[1].len, 4063);
	c.args[1] = 0x80000;
	c.args[2] = 255;
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK_EQ_INT(d.p[1].len, 15); /* 4096 - 16 * 255 - 1 */
	c.args[2] = 256;
	t_run(1, &c, EV_SYSCALL_WRITEV_X, &d);
	CHECK_EQ_INT(d.p[1].len, 0);
	c.snaplen = 80;

	fake_ctx(&c, &fm, &fs, SYS_preadv, 5, IOV, 2, 777, 0, 0);
	t_run(0, &c, EV_SYSCALL_PREADV_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 5);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 777);
	c.ret = 4;
	t_run(1, &c, EV_SYSCALL_PREADV_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 4);
	CHECK(data_is(&d.p[2], "abcd", 4));

	fake_ctx(&c, &fm, &fs, SYS_pwritev, 5, IOV, 2, 778, 0, 0);
	t_run(0, &c, EV_SYSCALL_PWRITEV_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 8);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 778);
	c.ret = 8;
	t_run(1, &c, EV_SYSCALL_PWRITEV_X, &d);
	CHECK(data_is(&d.p[1], "abcdefgh", 8));
}

static void test_misc_io(void)
{
	uint64_t off = 4096;
	fake_mem_map(&fm, 0x50000, &off, sizeof(off));
	fake_ctx(&c, &fm, &fs, SYS_sendfile, 4, 5, 0x50000, 1000, 0, 0);
	t_run(0, &c, EV_SYSCALL_SENDFILE_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 4096);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 1000);
	c.ret = 1000;
	t_run(1, &c, EV_SYSCALL_SENDFILE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 1000);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 4096);
	c.args[2] = BAD;
	t_run(1, &c, EV_SYSCALL_SENDFILE_X, &d);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 0);
	c.args[2] = 0;
	t_run(0, &c, EV_SYSCALL_SENDFILE_E, &d);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 0);

	fake_ctx(&c, &fm, &fs, SYS_lseek, 3, (uint64_t)-5, 2, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_LSEEK_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -5);
	CHECK_EQ_INT(dp_u8(&d.p[2]), 2); /* SEEK_END */
	c.args[2] = 1;
	t_run(0, &c, EV_SYSCALL_LSEEK_E, &d);
	CHECK_EQ_INT(dp_u8(&d.p[2]), 1);
	c.args[2] = 3; /* SEEK_DATA: unknown to the driver */
	t_run(0, &c, EV_SYSCALL_LSEEK_E, &d);
	CHECK_EQ_INT(dp_u8(&d.p[2]), 0);
	c.ret = 100;
	t_run(1, &c, EV_SYSCALL_LSEEK_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 100);

	/* copy_file_range records the offset pointers, like the driver */
	fake_ctx(&c, &fm, &fs, SYS_copy_file_range, 3, 0x7000, 4, 0x8000, 65536, 0);
	t_run(0, &c, EV_SYSCALL_COPY_FILE_RANGE_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);
	CHECK_EQ_INT(dp_u64(&d.p[1]), 0x7000);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 65536);
	c.ret = 512;
	t_run(1, &c, EV_SYSCALL_COPY_FILE_RANGE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 512);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 4);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 0x8000);

	fake_ctx(&c, &fm, &fs, SYS_splice, 3, 0, 4, 0, 4096, 1 | 4);
	t_run(0, &c, EV_SYSCALL_SPLICE_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 4);
	CHECK_EQ_INT(dp_u64(&d.p[2]), 4096);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 5);
	c.ret = -22;
	t_run(1, &c, EV_SYSCALL_SPLICE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -22);

	fake_ctx(&c, &fm, &fs, SYS_flock, 6, 2 | 4, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_FLOCK_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 6);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x2 | 0x4);
	c.args[1] = 8 | 0x100;
	t_run(0, &c, EV_SYSCALL_FLOCK_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0x8);
	c.ret = 0;
	t_run(1, &c, EV_SYSCALL_FLOCK_X, &d);

	static const struct { uint64_t nr; uint16_t enter; } fdonly[] = {
		{ SYS_getdents, EV_SYSCALL_GETDENTS_E }, { SYS_getdents64, EV_SYSCALL_GETDENTS64_E }, { SYS_fstat, EV_SYSCALL_FSTAT_E },
	};
	for (int i = 0; i < 3; i++) {
		fake_ctx(&c, &fm, &fs, fdonly[i].nr, 9, BUF, 100, 0, 0, 0);
		t_run(0, &c, fdonly[i].enter, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 9);
		c.ret = 48;
		t_run(1, &c, fdonly[i].enter + 1, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 48);
	}
}

int main(void)
{
	for (int i = 0; i < 200; i++)
		pattern[i] = (uint8_t)i;
	fake_mem_init(&fm);
	fake_state_init(&fs);
	fake_mem_map(&fm, BUF, pattern, sizeof(pattern));
	fake_mem_map(&fm, A, "abc", 3);
	fake_mem_map(&fm, B, "defgh", 5);
	test_read_write();
	test_readv_writev();
	test_misc_io();
	fake_mem_free(&fm);
	return check_done("test_fd_io");
}
