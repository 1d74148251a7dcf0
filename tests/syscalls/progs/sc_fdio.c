/* FD/IO family: I/O on fds and the fd-table syscalls, each once with
 * success and once with a known failure, through syscall(2).
 * Usage: sc_fdio DIR. Prints name=value lines for the fds and addresses
 * the test needs. The 300-byte text written first is "pdig-snaplen-
 * 0123456789/" repeated, so the test can compute any prefix of it. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define BAD_PTR 1L /* never mapped: EFAULT */
#define L(x) ((long)(x))

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	return syscall(nr, a, b, c, d, e, f);
}

int main(int argc, char **argv)
{
	char path[1100], text[301], buf[512];
	if (argc < 2)
		return 2;
	for (int i = 0; i < 300; i++)
		text[i] = "pdig-snaplen-0123456789/"[i % 24];
	text[300] = 0;
	snprintf(path, sizeof(path), "%s/data", argv[1]);

	long f = sc(SYS_open, L(path), O_RDWR | O_CREAT | O_TRUNC, 0600, 0, 0, 0);
	printf("f=%ld\n", f);

	/* write / read / lseek */
	sc(SYS_write, f, L(text), 300, 0, 0, 0);
	sc(SYS_write, 999, L("x"), 1, 0, 0, 0);
	sc(SYS_write, f, BAD_PTR, 10, 0, 0, 0);
	sc(SYS_lseek, f, 10, SEEK_SET, 0, 0, 0);
	sc(SYS_lseek, 999, -5, SEEK_END, 0, 0, 0);
	sc(SYS_read, f, L(buf), 20, 0, 0, 0);
	sc(SYS_read, 999, L(buf), 5, 0, 0, 0);

	/* positional and vectored I/O */
	sc(SYS_pwrite64, f, L("PWRITE"), 6, 100, 0, 0);
	sc(SYS_pwrite64, 999, L("PWRITE"), 6, 100, 0, 0);
	sc(SYS_pread64, f, L(buf), 6, 100, 0, 0);
	sc(SYS_pread64, f, L(buf), 6, -1, 0, 0); /* EINVAL */
	struct iovec wv[2] = { { "ab", 2 }, { "cde", 3 } };
	sc(SYS_lseek, f, 0, SEEK_END, 0, 0, 0);
	sc(SYS_writev, f, L(wv), 2, 0, 0, 0);
	sc(SYS_writev, 999, L(wv), 2, 0, 0, 0);
	struct iovec rv[2] = { { buf, 4 }, { buf + 100, 4 } };
	sc(SYS_lseek, f, 0, SEEK_SET, 0, 0, 0);
	sc(SYS_readv, f, L(rv), 2, 0, 0, 0);
	sc(SYS_readv, 999, L(rv), 2, 0, 0, 0);
	struct iovec pwv[2] = { { "XY", 2 }, { "Z", 1 } };
	sc(SYS_pwritev, f, L(pwv), 2, 200, 0, 0);
	sc(SYS_pwritev, 999, L(pwv), 2, 200, 0, 0);
	struct iovec prv[1] = { { buf, 3 } };
	sc(SYS_preadv, f, L(prv), 1, 200, 0, 0);
	sc(SYS_preadv, 999, L(prv), 1, 200, 0, 0);
	char st[256];
	sc(SYS_fstat, f, L(st), 0, 0, 0, 0);
	sc(SYS_fstat, 999, L(st), 0, 0, 0, 0);

	/* the dup family, fcntl, flock, close */
	long d = sc(SYS_dup, f, 0, 0, 0, 0, 0);
	sc(SYS_dup, 999, 0, 0, 0, 0, 0);
	sc(SYS_dup2, f, 20, 0, 0, 0, 0);
	sc(SYS_dup2, 999, 21, 0, 0, 0, 0);
	sc(SYS_dup3, f, 21, O_CLOEXEC, 0, 0, 0);
	sc(SYS_dup3, f, f, 0, 0, 0, 0); /* EINVAL */
	sc(SYS_fcntl, f, F_DUPFD_CLOEXEC, 30, 0, 0, 0);
	sc(SYS_fcntl, 999, F_GETFL, 0, 0, 0, 0);
	sc(SYS_flock, f, LOCK_EX | LOCK_NB, 0, 0, 0, 0);
	sc(SYS_flock, 999, LOCK_UN, 0, 0, 0, 0);
	sc(SYS_close, 21, 0, 0, 0, 0, 0);
	sc(SYS_close, 999, 0, 0, 0, 0, 0);
	printf("dup=%ld\n", d);

	/* fd-creating syscalls */
	int p[2], p2[2];
	sc(SYS_pipe, L(p), 0, 0, 0, 0, 0);
	sc(SYS_pipe, BAD_PTR, 0, 0, 0, 0, 0);
	sc(SYS_pipe2, L(p2), O_CLOEXEC | O_NONBLOCK, 0, 0, 0, 0);
	sc(SYS_pipe2, L(p2), 0x7fff0000, 0, 0, 0, 0); /* EINVAL */
	long ev = sc(SYS_eventfd, 5, 0, 0, 0, 0, 0);
	long ev2 = sc(SYS_eventfd2, 7, O_CLOEXEC, 0, 0, 0, 0);
	sc(SYS_eventfd2, 0, 0x7fff0000, 0, 0, 0, 0);
	uint64_t mask = 1ull << (SIGUSR1 - 1);
	long sfd = sc(SYS_signalfd, -1, L(&mask), 8, 0, 0, 0);
	long sfd4 = sc(SYS_signalfd4, -1, L(&mask), 8, O_CLOEXEC, 0, 0);
	sc(SYS_signalfd4, f, L(&mask), 8, 0, 0, 0); /* EINVAL: not a signalfd */
	long tfd = sc(SYS_timerfd_create, CLOCK_MONOTONIC, O_CLOEXEC, 0, 0, 0, 0);
	sc(SYS_timerfd_create, 12345, 0, 0, 0, 0, 0);
	long ifd = sc(SYS_inotify_init, 0, 0, 0, 0, 0, 0);
	long ifd1 = sc(SYS_inotify_init1, O_CLOEXEC, 0, 0, 0, 0, 0);
	sc(SYS_inotify_init1, 0x7fff0000, 0, 0, 0, 0, 0);
	printf("pipe=%d,%d\npipe2=%d,%d\nev=%ld\nev2=%ld\nsfd=%ld\nsfd4=%ld\ntfd=%ld\nifd=%ld\nifd1=%ld\n",
	       p[0], p[1], p2[0], p2[1], ev, ev2, sfd, sfd4, tfd, ifd, ifd1);

	/* data moved between fds */
	int64_t off = 0, offo = 400;
	sc(SYS_sendfile, p[1], f, L(&off), 16, 0, 0);
	sc(SYS_sendfile, p[1], 999, L(&off), 16, 0, 0);
	sc(SYS_splice, p[0], 0, f, L(&offo), 16, 1 /* SPLICE_F_MOVE */);
	sc(SYS_splice, 999, 0, f, 0, 16, 0);
	int64_t cin = 0, cout = 500;
	sc(SYS_copy_file_range, f, L(&cin), f, L(&cout), 10, 0);
	sc(SYS_copy_file_range, 999, L(&cin), f, L(&cout), 10, 0);
	printf("cin=%ld\ncout=%ld\n", L(&cin), L(&cout));

	/* ioctl: FIONREAD works on a regular file, TCGETS does not */
	int n;
	struct termios t;
	sc(SYS_ioctl, f, FIONREAD, L(&n), 0, 0, 0);
	sc(SYS_ioctl, f, TCGETS, L(&t), 0, 0, 0);
	printf("nread=%lX\ntcgets=%lX\n", L(&n), L(&t));
	fflush(stdout);
	return 0;
}
