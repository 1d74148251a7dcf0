/* Path-based syscalls other than open: chdir, fchdir, chroot, mkdir*,
 * rmdir, unlink*, rename*, link*, symlink*, chmod*, mount, umount2,
 * stat, lstat, access. */
#include <sys/syscall.h>

#include "fake.h"

static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

#define P1 0x10000
#define P2 0x20000
#define P3 0x30000
#define BAD 0xdead0000
#define CWD32 0xffffff9cull /* AT_FDCWD as a zero-extended int */

/* Every "res, path(arg0)" exit, with its enter (which has no params or
 * only a mode/flags param checked elsewhere). */
static const struct { uint64_t nr; uint16_t enter, exit; uint8_t path_type; } res_path[] = {
	{ SYS_chdir, EV_SYSCALL_CHDIR_E, EV_SYSCALL_CHDIR_X, PT_CHARBUF },
	{ SYS_chroot, EV_SYSCALL_CHROOT_E, EV_SYSCALL_CHROOT_X, PT_FSPATH },
	{ SYS_mkdir, EV_SYSCALL_MKDIR_2_E, EV_SYSCALL_MKDIR_2_X, PT_FSPATH },
	{ SYS_rmdir, EV_SYSCALL_RMDIR_2_E, EV_SYSCALL_RMDIR_2_X, PT_FSPATH },
	{ SYS_unlink, EV_SYSCALL_UNLINK_2_E, EV_SYSCALL_UNLINK_2_X, PT_FSPATH },
	{ SYS_stat, EV_SYSCALL_STAT_E, EV_SYSCALL_STAT_X, PT_FSPATH },
	{ SYS_lstat, EV_SYSCALL_LSTAT_E, EV_SYSCALL_LSTAT_X, PT_FSPATH },
	{ SYS_access, EV_SYSCALL_ACCESS_E, EV_SYSCALL_ACCESS_X, PT_FSPATH },
	{ SYS_umount2, EV_SYSCALL_UMOUNT_E, EV_SYSCALL_UMOUNT_X, PT_FSPATH },
};

static void test_res_path(void)
{
	for (size_t i = 0; i < sizeof(res_path) / sizeof(res_path[0]); i++) {
		fake_ctx(&c, &fm, &fs, res_path[i].nr, P1, 0, 0, 0, 0, 0);
		c.ret = -13;
		t_run(0, &c, res_path[i].enter, &d);
		t_run(1, &c, res_path[i].exit, &d);
		CHECK_EQ_INT(d.nparams, 2);
		CHECK_EQ_INT(d.p[1].type, res_path[i].path_type);
		CHECK_EQ_INT(dp_s64(&d.p[0]), -13);
		CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp/a");
		/* unreadable -> "", NULL -> "(NULL)"; same layout */
		c.args[0] = BAD;
		t_run(1, &c, res_path[i].exit, &d);
		CHECK_EQ_STR(dp_str(&d.p[1]), "");
		CHECK_EQ_INT(d.len, 26 + 4 + 8 + 1);
		c.args[0] = 0;
		t_run(1, &c, res_path[i].exit, &d);
		CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");
	}
}

static void test_fchdir(void)
{
	fake_ctx(&c, &fm, &fs, SYS_fchdir, 9, 0, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_FCHDIR_E, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 9);
	c.ret = -9;
	t_run(1, &c, EV_SYSCALL_FCHDIR_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -9);
}

static void test_mkdir(void)
{
	/* The driver's mkdir enter leaves mode at 0. */
	fake_ctx(&c, &fm, &fs, SYS_mkdir, P1, 0755, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_MKDIR_2_E, &d);
	CHECK_EQ_INT(d.nparams, 1);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0);

	fake_ctx(&c, &fm, &fs, SYS_mkdirat, CWD32, P1, 0x1000001edull, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_MKDIRAT_E, &d);
	CHECK_EQ_INT(d.nparams, 0);
	t_run(1, &c, EV_SYSCALL_MKDIRAT_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/tmp/a");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0755); /* raw, low 32 bits */
	CHECK_EQ_INT(d.p[2].type, PT_FSRELPATH);
}

static void test_unlinkat(void)
{
	fake_ctx(&c, &fm, &fs, SYS_unlinkat, 5, P1, 0x200 | 0x100, 0, 0, 0);
	c.ret = 0;
	t_run(1, &c, EV_SYSCALL_UNLINKAT_2_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/tmp/a");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0x200); /* only AT_REMOVEDIR is known */
	c.args[2] = 0;
	t_run(1, &c, EV_SYSCALL_UNLINKAT_2_X, &d);
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0);
}

static void test_rename_link_symlink(void)
{
	static const struct { uint64_t nr; uint16_t exit; uint8_t t0; } two[] = {
		{ SYS_rename, EV_SYSCALL_RENAME_X, PT_FSPATH }, { SYS_link, EV_SYSCALL_LINK_2_X, PT_FSPATH }, { SYS_symlink, EV_SYSCALL_SYMLINK_X, PT_CHARBUF },
	};
	for (size_t i = 0; i < 3; i++) {
		fake_ctx(&c, &fm, &fs, two[i].nr, P1, P2, 0, 0, 0, 0);
		c.ret = -17;
		t_run(0, &c, two[i].exit - 1, &d);
		CHECK_EQ_INT(d.nparams, 0);
		t_run(1, &c, two[i].exit, &d);
		CHECK_EQ_INT(d.nparams, 3);
		CHECK_EQ_INT(d.p[1].type, two[i].t0);
		CHECK_EQ_INT(dp_s64(&d.p[0]), -17);
		CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp/a");
		CHECK_EQ_STR(dp_str(&d.p[2]), "/var/b");
		c.args[0] = BAD;
		t_run(1, &c, two[i].exit, &d);
		CHECK_EQ_STR(dp_str(&d.p[1]), "");
		CHECK_EQ_STR(dp_str(&d.p[2]), "/var/b");
	}

	fake_ctx(&c, &fm, &fs, SYS_renameat, CWD32, P1, 4, P2, 0, 0);
	t_run(1, &c, EV_SYSCALL_RENAMEAT_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/tmp/a");
	CHECK_EQ_INT(dp_s64(&d.p[3]), 4);
	CHECK_EQ_STR(dp_str(&d.p[4]), "/var/b");

	/* renameat2 flags are copied (RENAME_* == PPM_RENAME_*) */
	fake_ctx(&c, &fm, &fs, SYS_renameat2, 3, P1, CWD32, P2, 1 | 4, 0);
	t_run(1, &c, EV_SYSCALL_RENAMEAT2_X, &d);
	CHECK_EQ_INT(d.nparams, 6);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 3);
	CHECK_EQ_INT(dp_s64(&d.p[3]), -100);
	CHECK_EQ_STR(dp_str(&d.p[4]), "/var/b");
	CHECK_EQ_INT(dp_u32(&d.p[5]), 5);

	/* linkat: AT_SYMLINK_FOLLOW | AT_EMPTY_PATH kept, others dropped */
	fake_ctx(&c, &fm, &fs, SYS_linkat, CWD32, P1, CWD32, BAD, 0x400 | 0x1000 | 0x100, 0);
	t_run(1, &c, EV_SYSCALL_LINKAT_2_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/tmp/a");
	CHECK_EQ_INT(dp_s64(&d.p[3]), -100);
	CHECK_EQ_STR(dp_str(&d.p[4]), "");
	CHECK_EQ_INT(dp_u32(&d.p[5]), 0x1400);

	/* symlinkat(target, newdirfd, linkpath) */
	fake_ctx(&c, &fm, &fs, SYS_symlinkat, P1, CWD32, P2, 0, 0, 0);
	t_run(1, &c, EV_SYSCALL_SYMLINKAT_X, &d);
	CHECK_EQ_INT(d.p[1].type, PT_CHARBUF);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp/a");
	CHECK_EQ_INT(dp_s64(&d.p[2]), -100);
	CHECK_EQ_STR(dp_str(&d.p[3]), "/var/b");
}

static void test_chmod(void)
{
	fake_ctx(&c, &fm, &fs, SYS_chmod, P1, 0104755, 0, 0, 0, 0);
	t_run(1, &c, EV_SYSCALL_CHMOD_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp/a");
	CHECK_EQ_INT(dp_u32(&d.p[2]), 04755);
	CHECK_EQ_INT(d.p[2].type, PT_MODE);

	fake_ctx(&c, &fm, &fs, SYS_fchmod, 12, 07777, 0, 0, 0, 0);
	t_run(1, &c, EV_SYSCALL_FCHMOD_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[1]), 12);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 07777);

	fake_ctx(&c, &fm, &fs, SYS_fchmodat, CWD32, P1, 0600, 0, 0, 0);
	c.ret = -1;
	t_run(1, &c, EV_SYSCALL_FCHMODAT_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), -1);
	CHECK_EQ_INT(dp_s64(&d.p[1]), -100);
	CHECK_EQ_STR(dp_str(&d.p[2]), "/tmp/a");
	CHECK_EQ_INT(dp_u32(&d.p[3]), 0600);
}

static void test_mount(void)
{
	/* MS_MGC_VAL in the top half is stripped, MS_* kept as is */
	fake_ctx(&c, &fm, &fs, SYS_mount, P1, P2, P3, 0xc0ed0000ull | 1 | 0x1000, 0, 0);
	t_run(0, &c, EV_SYSCALL_MOUNT_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0x1001);
	c.args[3] = 0x4000 | 0x1000;
	t_run(0, &c, EV_SYSCALL_MOUNT_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0x5000);
	c.ret = 0;
	t_run(1, &c, EV_SYSCALL_MOUNT_X, &d);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/tmp/a");
	CHECK_EQ_STR(dp_str(&d.p[2]), "/var/b");
	CHECK_EQ_STR(dp_str(&d.p[3]), "tmpfs");
	/* NULL source and type, as for a bind remount */
	c.args[0] = 0;
	c.args[2] = 0;
	t_run(1, &c, EV_SYSCALL_MOUNT_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "(NULL)");
	CHECK_EQ_STR(dp_str(&d.p[3]), "(NULL)");

	fake_ctx(&c, &fm, &fs, SYS_umount2, P2, 2 /* MNT_DETACH */, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_UMOUNT_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 2);
	t_run(1, &c, EV_SYSCALL_UMOUNT_X, &d);
	CHECK_EQ_STR(dp_str(&d.p[1]), "/var/b");
}

static void test_access(void)
{
	fake_ctx(&c, &fm, &fs, SYS_access, P1, 0, 0, 0, 0, 0);
	t_run(0, &c, EV_SYSCALL_ACCESS_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0); /* F_OK */
	c.args[1] = 4 | 2;               /* R_OK | W_OK */
	t_run(0, &c, EV_SYSCALL_ACCESS_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0x4 | 0x2);
	c.args[1] = (1ull << 32) | 1;    /* only the int counts */
	t_run(0, &c, EV_SYSCALL_ACCESS_E, &d);
	CHECK_EQ_INT(dp_u32(&d.p[0]), 0x1);
}

int main(void)
{
	fake_mem_init(&fm);
	fake_state_init(&fs);
	fake_mem_str(&fm, P1, "/tmp/a");
	fake_mem_str(&fm, P2, "/var/b");
	fake_mem_str(&fm, P3, "tmpfs");
	test_res_path();
	test_fchdir();
	test_mkdir();
	test_unlinkat();
	test_rename_link_symlink();
	test_chmod();
	test_mount();
	test_access();
	fake_mem_free(&fm);
	return check_done("test_file_paths");
}
