/* What --max-cpu must keep, made while another thread floods open+close
 * of /dev/null (so pdig sheds at its lowest level): opens of sensitive
 * files spelled with // , /./ and .., symlinks to them, a sendto naming
 * a destination (unconnected UDP), a recvfrom, dup2 onto fd 0, setuid and
 * setgid mode changes; a close or fcntl(F_DUPFD) shed would leave the
 * consumer's fd table stale (fd 100 still named keep_A after it was
 * closed and keep_B took its number). Then a recvmmsg that
 * blocks while 50 signals the program ignores interrupt it: one call
 * (restarted by the kernel each time), shed once. After a quiet pause
 * (full tracing again) an fchmod and a close of fd 100. Prints what it made on stdout.
 * Usage: avail_keep DIR (a fresh directory for its files) */
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int stop;
static unsigned long floods;
static int sv[2];
static pid_t main_tid;

static void *flood(void *a)
{
	(void)a;
	while (!stop) {
		int fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
		syscall(SYS_close, fd);
		floods++;
	}
	return NULL;
}

/* 50 ignored signals into the main thread's blocked recvmmsg, then the
 * datagram that ends it */
static void *interrupt(void *a)
{
	(void)a;
	usleep(200000);
	for (int i = 0; i < 50; i++) {
		syscall(SYS_tgkill, getpid(), main_tid, SIGUSR1);
		usleep(4000);
	}
	syscall(SYS_sendto, sv[1], "x", 1, 0, NULL, 0);
	return NULL;
}

static void opened(const char *path, int flags)
{
	long r = syscall(SYS_openat, AT_FDCWD, path, flags);
	printf("openat %s -> %s\n", path, r >= 0 ? "ok" : "fail");
	if (r >= 0)
		syscall(SYS_close, r);
}

int main(int argc, char **argv)
{
	if (argc != 2 || chdir(argv[1]))
		return 2;
	char dir[512], a_path[600], b_path[600], lnk[600], lnk2[600], suid[600];
	snprintf(dir, sizeof dir, "%s", argv[1]);
	snprintf(a_path, sizeof a_path, "%s/keep_A", dir);
	snprintf(b_path, sizeof b_path, "%s/keep_B", dir);
	snprintf(lnk, sizeof lnk, "%s/keep_lnk", dir);
	snprintf(lnk2, sizeof lnk2, "%s/keep_lnk2", dir);
	snprintf(suid, sizeof suid, "%s/keep_suid", dir);
	signal(SIGUSR1, SIG_IGN);
	main_tid = (pid_t)syscall(SYS_gettid);
	/* fd 100: not a number the flood's opens take */
	int a0 = (int)syscall(SYS_openat, AT_FDCWD, a_path, O_CREAT | O_RDONLY, 0644);
	int a = (int)syscall(SYS_fcntl, a0, F_DUPFD, 100);
	syscall(SYS_close, a0);
	pthread_t th, ti;
	pthread_create(&th, NULL, flood, NULL);
	usleep(600000); /* pdig at its lowest level */

	opened("//etc//hostname", O_RDONLY);
	opened("/tmp/../etc/hostname", O_RDONLY);
	opened("/usr/lib/../../etc/passwd", O_RDONLY);
	opened("/./etc/hostname", O_RDONLY);
	syscall(SYS_symlink, "/etc/shadow", lnk);
	syscall(SYS_symlinkat, "/etc/passwd", AT_FDCWD, lnk2);
	int u = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
	syscall(SYS_sendto, u, "exfil", 5, 0, &to, sizeof to);
	socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
	syscall(SYS_sendto, sv[1], "y", 1, 0, NULL, 0);
	char c;
	syscall(SYS_recvfrom, sv[0], &c, 1, 0, NULL, NULL);
	int s0 = dup(0);
	syscall(SYS_dup2, sv[0], 0);
	syscall(SYS_dup2, s0, 0);
	int f = (int)syscall(SYS_openat, AT_FDCWD, suid, O_CREAT | O_WRONLY, 0644);
	syscall(SYS_fchmod, f, 04755);
	syscall(SYS_chmod, suid, 02755);
	syscall(SYS_close, a);
	int b0 = (int)syscall(SYS_openat, AT_FDCWD, b_path, O_CREAT | O_RDONLY, 0644);
	int b = (int)syscall(SYS_fcntl, b0, F_DUPFD, 100); /* a's number */
	syscall(SYS_close, b0);

	/* one recvmmsg, interrupted 50 times by a signal the kernel discards */
	pthread_create(&ti, NULL, interrupt, NULL);
	struct mmsghdr m;
	struct iovec iov = { &c, 1 };
	memset(&m, 0, sizeof m);
	m.msg_hdr.msg_iov = &iov;
	m.msg_hdr.msg_iovlen = 1;
	long r = syscall(SYS_recvmmsg, sv[0], &m, 1, 0, NULL);
	pthread_join(ti, NULL);
	stop = 1;
	pthread_join(th, NULL);

	sleep(2); /* quiet: full tracing again */
	syscall(SYS_fchmod, b, 0600);
	syscall(SYS_close, b);
	printf("a=%d b=%d recvmmsg=%ld floods=%lu\n", a, b, r, floods);
	unlink(lnk), unlink(lnk2), unlink(suid), unlink(a_path), unlink(b_path);
	return 0;
}
