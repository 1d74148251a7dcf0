/* File family: every path-based syscall once with success and once with a
 * known failure, through syscall(2) so libc cannot pick another one.
 * Usage: sc_file DIR (an empty directory). Prints the fds the test needs
 * as name=value lines; everything else is fixed by the arguments here. */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define BAD_PTR ((void *)1) /* never mapped: EFAULT */
/* linux/quota.h values, spelled out: libc headers differ. */
#define QCMD(cmd, type) (((long)(cmd) << 8) | (type))
#define Q_GETQUOTA 0x800007
#define GRPQUOTA 1

static char dir[1024];

/* dir/name, in one of a few rotating buffers. */
static const char *P(const char *name)
{
	static char buf[8][1200];
	static int i;
	char *p = buf[i++ % 8];
	snprintf(p, sizeof(buf[0]), "%s/%s", dir, name);
	return p;
}

static long sc(long nr, long a, long b, long c, long d, long e)
{
	return syscall(nr, a, b, c, d, e);
}
#define L(x) ((long)(x))

int main(int argc, char **argv)
{
	struct stat st;
	char buf[4096];
	if (argc < 2)
		return 2;
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	long dfd = sc(SYS_open, L(dir), O_RDONLY | O_DIRECTORY, 0, 0, 0);

	/* open / openat / openat2 / creat */
	long f1 = sc(SYS_open, L(P("f1")), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0640, 0, 0);
	sc(SYS_open, L(P("nodir/x")), O_RDONLY, 0, 0, 0);
	sc(SYS_open, L(BAD_PTR), O_RDONLY, 0, 0, 0);
	long f2 = sc(SYS_openat, dfd, L("f2"), O_WRONLY | O_CREAT | O_EXCL | O_APPEND, 0600, 0);
	sc(SYS_openat, AT_FDCWD, L(P("f2")), O_WRONLY | O_CREAT | O_EXCL, 0600, 0);
	struct open_how how = { .flags = O_RDONLY | O_NONBLOCK, .mode = 0, .resolve = RESOLVE_BENEATH };
	long f1b = sc(SYS_openat2, dfd, L("f1"), L(&how), sizeof(how), 0);
	sc(SYS_openat2, dfd, L("../x"), L(&how), sizeof(how), 0); /* EXDEV */
	long f3 = sc(SYS_creat, L(P("f3")), 0644, 0, 0, 0);
	sc(SYS_creat, L(P("nodir/f3")), 0644, 0, 0, 0);
	printf("dfd=%ld\nf1=%ld\nf2=%ld\nf1b=%ld\nf3=%ld\n", dfd, f1, f2, f1b, f3);

	/* stat family and access */
	sc(SYS_stat, L(P("f1")), L(&st), 0, 0, 0);
	sc(SYS_stat, L(P("missing")), L(&st), 0, 0, 0);
	sc(SYS_symlink, L("f1"), L(P("s1")), 0, 0, 0);
	sc(SYS_symlink, L("f1"), L(P("s1")), 0, 0, 0); /* EEXIST */
	sc(SYS_lstat, L(P("s1")), L(&st), 0, 0, 0);
	sc(SYS_lstat, L(P("s1")), L(BAD_PTR), 0, 0, 0); /* EFAULT */
	sc(SYS_access, L(P("f1")), R_OK | W_OK, 0, 0, 0);
	sc(SYS_access, L(P("missing")), F_OK, 0, 0, 0);

	/* cwd */
	sc(SYS_chdir, L(dir), 0, 0, 0, 0);
	sc(SYS_chdir, L(P("missing")), 0, 0, 0, 0);
	sc(SYS_getcwd, L(buf), sizeof(buf), 0, 0, 0);
	sc(SYS_getcwd, L(buf), 1, 0, 0, 0); /* ERANGE */
	sc(SYS_fchdir, dfd, 0, 0, 0, 0);
	sc(SYS_fchdir, 999, 0, 0, 0, 0);

	/* directories */
	sc(SYS_mkdir, L(P("d1")), 0755, 0, 0, 0);
	sc(SYS_mkdir, L(P("d1")), 0755, 0, 0, 0); /* EEXIST */
	sc(SYS_mkdirat, dfd, L("d2"), 0700, 0, 0);
	sc(SYS_mkdirat, dfd, L("d2"), 0700, 0, 0); /* EEXIST */
	sc(SYS_rmdir, L(P("d1")), 0, 0, 0, 0);
	sc(SYS_rmdir, L(P("d1")), 0, 0, 0, 0); /* ENOENT */
	sc(SYS_unlinkat, dfd, L("d2"), AT_REMOVEDIR, 0, 0);
	sc(SYS_unlinkat, dfd, L("d2"), AT_REMOVEDIR, 0, 0); /* ENOENT */
	sc(SYS_unlink, L(P("f3")), 0, 0, 0, 0);
	sc(SYS_unlink, L(P("f3")), 0, 0, 0, 0); /* ENOENT */

	/* renames and links */
	sc(SYS_rename, L(P("f2")), L(P("f4")), 0, 0, 0);
	sc(SYS_rename, L(P("f2")), L(P("f5")), 0, 0, 0); /* ENOENT */
	sc(SYS_renameat, dfd, L("f4"), AT_FDCWD, L(P("f5")), 0);
	sc(SYS_renameat, dfd, L("f4"), AT_FDCWD, L(P("f5")), 0); /* ENOENT */
	sc(SYS_renameat2, dfd, L("f5"), dfd, L("f1"), 1 /* RENAME_NOREPLACE: EEXIST */);
	sc(SYS_renameat2, dfd, L("f5"), dfd, L("f6"), 1);
	sc(SYS_link, L(P("f1")), L(P("l1")), 0, 0, 0);
	sc(SYS_link, L(P("f1")), L(P("l1")), 0, 0, 0); /* EEXIST */
	sc(SYS_linkat, dfd, L("f1"), dfd, L("l2"), AT_SYMLINK_FOLLOW);
	sc(SYS_linkat, dfd, L("missing"), dfd, L("l3"), 0); /* ENOENT */
	sc(SYS_symlinkat, L("f6"), dfd, L("s2"), 0, 0);
	sc(SYS_symlinkat, L("f6"), dfd, L("s2"), 0, 0); /* EEXIST */

	/* modes and owners */
	sc(SYS_chmod, L(P("f1")), 04751, 0, 0, 0);
	sc(SYS_chmod, L(P("missing")), 0600, 0, 0, 0);
	sc(SYS_fchmod, f1, 0600, 0, 0, 0);
	sc(SYS_fchmod, 999, 0600, 0, 0, 0);
	sc(SYS_fchmodat, dfd, L("f1"), 0644, 0, 0);
	sc(SYS_fchmodat, dfd, L("missing"), 0644, 0, 0);
	sc(SYS_lchown, L(P("s1")), -1, -1, 0, 0);
	sc(SYS_utime, L(P("f1")), 0, 0, 0, 0);

	/* directory listing: dir has f1 f6 l1 l2 s1 s2 */
	long dd = sc(SYS_open, L(dir), O_RDONLY | O_DIRECTORY, 0, 0, 0);
	long n = sc(SYS_getdents, dd, L(buf), sizeof(buf), 0, 0);
	sc(SYS_getdents, 999, L(buf), sizeof(buf), 0, 0);
	sc(SYS_lseek, dd, 0, SEEK_SET, 0, 0);
	long n64 = sc(SYS_getdents64, dd, L(buf), sizeof(buf), 0, 0);
	sc(SYS_getdents64, f1, L(buf), sizeof(buf), 0, 0); /* ENOTDIR */
	printf("dd=%ld\ngetdents=%ld\ngetdents64=%ld\n", dd, n, n64);

	/* mount namespace and root: need privileges (the test says which) */
	sc(SYS_mkdir, L(P("mnt")), 0755, 0, 0, 0);
	sc(SYS_mount, L("sc_none"), L(P("mnt")), L("tmpfs"), MS_NOSUID | MS_NODEV, L("size=1m"));
	sc(SYS_mount, L("sc_none"), L(P("missing")), L("tmpfs"), MS_RDONLY, 0);
	sc(SYS_umount2, L(P("mnt")), MNT_DETACH, 0, 0, 0);
	sc(SYS_umount2, L(P("missing")), 0, 0, 0, 0);
	sc(SYS_chroot, L("/"), 0, 0, 0, 0);
	sc(SYS_chroot, L(P("missing")), 0, 0, 0, 0);
	/* struct if_dqblk with QIF_BLIMITS valid: the exit decodes it even
	 * when the call fails */
	uint64_t dq[9] = { 111, 222, 0, 0, 0, 0, 0, 0, 1 };
	sc(SYS_quotactl, QCMD(Q_GETQUOTA, GRPQUOTA), L(P("nodev")), 1000, L(dq), 0);
	return 0;
}
