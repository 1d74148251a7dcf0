/* fd-table syscalls: close, dup*, pipe*, eventfd*, signalfd*,
 * timerfd_create, inotify_init*, fcntl. */
#include <sys/syscall.h>

#include "fake.h"

static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

static void test_close(void)
{
	/* byte for byte the example of docs/scap-event.md §10 */
	static const uint8_t want[] = {
		0x15, 0xcd, 0x85, 0x3d, 0xfe, 0x9c, 0x97, 0x17,
		0xd2, 0x04, 0, 0, 0, 0, 0, 0,
		0x24, 0, 0, 0,
		0x04, 0,
		0x01, 0, 0, 0,
		0x08, 0,
		0x03, 0, 0, 0, 0, 0, 0, 0,
	};
	fake_ctx(&c, &fm, &fs, SYS_close, 3, 0, 0, 0, 0, 0);
	const uint8_t *e = t_run(0, &c, EV_SYSCALL_CLOSE_E, &d);
	CHECK(e && d.len == sizeof(want) && !memcmp(e, want, sizeof(want)));
	c.ret = -9;
	t_run(1, &c, EV_SYSCALL_CLOSE_X, &d);
	CHECK_EQ_INT(d.p[0].type, PT_ERRNO);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -9);
}

static void test_dup(void)
{
	static const uint64_t nrs[] = { SYS_dup, SYS_dup2, SYS_dup3 };
	for (int i = 0; i < 3; i++) {
		fake_ctx(&c, &fm, &fs, nrs[i], 4, 10, 02000000, 0, 0, 0);
		t_run(0, &c, EV_SYSCALL_DUP_E, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 4); /* oldfd */
		c.ret = 10;
		t_run(1, &c, EV_SYSCALL_DUP_X, &d);
		CHECK_EQ_INT(d.p[0].type, PT_FD);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 10);
	}
}

static void test_pipe(void)
{
	static const uint64_t nrs[] = { SYS_pipe, SYS_pipe2 };
	int32_t fds[2] = { 5, 6 };
	fake_mem_map(&fm, 0x4000, fds, sizeof(fds));
	fake_state_fd(&fs, T_PID, 5, 0x0d, 424242);
	for (int i = 0; i < 2; i++) {
		fake_ctx(&c, &fm, &fs, nrs[i], 0x4000, 0, 0, 0, 0, 0);
		t_run(0, &c, EV_SYSCALL_PIPE_E, &d);
		CHECK_EQ_INT(d.nparams, 0);
		c.ret = 0;
		t_run(1, &c, EV_SYSCALL_PIPE_X, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
		CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
		CHECK_EQ_INT(dp_s64(&d.p[2]), 6);
		CHECK_EQ_INT(dp_u64(&d.p[3]), 424242);
	}
	/* failure: no inode lookup */
	fs.stat_calls = 0;
	c.ret = -24;
	t_run(1, &c, EV_SYSCALL_PIPE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -24);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0);
	CHECK_EQ_INT(fs.stat_calls, 0);
	/* unreadable array: fds -1 (not 0, which would be stdin), ino 0 */
	c.args[0] = 0xdead0000;
	c.ret = 0;
	t_run(1, &c, EV_SYSCALL_PIPE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -1);
	CHECK_EQ_INT(dp_s64(&d.p[2]), -1);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0);
	/* half-readable array (only 4 bytes mapped) counts as unreadable */
	fake_mem_map(&fm, 0x5000, fds, 4);
	c.args[0] = 0x5000;
	t_run(1, &c, EV_SYSCALL_PIPE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -1);
}

/* The driver does not decode these: flags/mask/clockid are always 0. */
static void test_fd_creators(void)
{
	fake_ctx(&c, &fm, &fs, SYS_eventfd2, 7, 02000000 | 04000, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_EVENTFD_E, &d);
	CHECK_EQ_INT(dp_u64(&d.p[0]), 7);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0);
	c.nr = SYS_eventfd;
	t_run(0, &c, EV_SYSCALL_EVENTFD_E, &d);
	CHECK_EQ_INT(dp_u64(&d.p[0]), 7);
	c.ret = 3;
	t_run(1, &c, EV_SYSCALL_EVENTFD_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 3);

	fake_ctx(&c, &fm, &fs, SYS_signalfd4, (uint64_t)-1, 0x1000, 8, 02000000, 0, 0);
	t_run(0, &c, EV_SYSCALL_SIGNALFD_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -1);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[2]), 0);
	c.nr = SYS_signalfd;
	c.ret = 4;
	t_run(1, &c, EV_SYSCALL_SIGNALFD_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 4);

	fake_ctx(&c, &fm, &fs, SYS_timerfd_create, 1, 02000000, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_TIMERFD_CREATE_E, &d);
	CHECK_EQ_INT(dp_u8(&d.p[0]), 0);
	CHECK_EQ_INT(dp_u8(&d.p[1]), 0);
	c.ret = 5;
	t_run(1, &c, EV_SYSCALL_TIMERFD_CREATE_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 5);

	static const uint64_t ino[] = { SYS_inotify_init, SYS_inotify_init1 };
	for (int i = 0; i < 2; i++) {
		fake_ctx(&c, &fm, &fs, ino[i], 04000, 0, 0, 0, 0, 0);
		t_run(0, &c, EV_SYSCALL_INOTIFY_INIT_E, &d);
		CHECK_EQ_INT(dp_u8(&d.p[0]), 0);
		c.ret = -24;
		t_run(1, &c, EV_SYSCALL_INOTIFY_INIT_X, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), -24);
	}
}

static void test_fcntl(void)
{
	static const struct { uint64_t cmd; uint8_t ppm; } cmds[] = {
		{ 0, 1 }, { 1, 2 }, { 2, 3 }, { 3, 4 }, { 4, 5 }, { 5, 6 }, { 6, 8 }, { 7, 9 },
		{ 8, 10 }, { 9, 12 }, { 10, 13 }, { 11, 15 }, { 15, 21 }, { 16, 22 },
		{ 1024, 23 }, { 1025, 24 }, { 1029, 25 }, { 1030, 26 }, { 1026, 27 },
		{ 1031, 28 }, { 1032, 29 }, { 36, 30 }, { 37, 31 }, { 38, 32 },
		{ 12, 0 }, { 999, 0 }, { (1ull << 32) | 1, 0 }, /* unknown -> 0 */
	};
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		fake_ctx(&c, &fm, &fs, SYS_fcntl, 7, cmds[i].cmd, 0, 0, 0, 0);
		t_run(0, &c, EV_SYSCALL_FCNTL_E, &d);
		CHECK_EQ_INT(dp_s64(&d.p[0]), 7);
		CHECK_EQ_INT(d.p[1].type, PT_FLAGS8);
		if (dp_u8(&d.p[1]) != cmds[i].ppm)
			fprintf(stderr, "fcntl cmd %llu\n", (unsigned long long)cmds[i].cmd);
		CHECK_EQ_INT(dp_u8(&d.p[1]), cmds[i].ppm);
	}
	c.ret = 11;
	t_run(1, &c, EV_SYSCALL_FCNTL_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 11);
}

int main(void)
{
	fake_mem_init(&fm);
	fake_state_init(&fs);
	test_close();
	test_dup();
	test_pipe();
	test_fd_creators();
	test_fcntl();
	fake_mem_free(&fm);
	return check_done("test_fd_table");
}
