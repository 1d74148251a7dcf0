/* A ring pdig does not see made closes an fd with no close syscall, then
 * the program closes the fd itself: the kernel says EBADF, and so must
 * pdig (its table of clean fds must not be trusted). elide_uring FILE MODE:
 * the ring is made, kept across an exec (its fd made inheritable) and used
 * after the exec. MODE enter: submitted by io_uring_enter; sqpoll: taken
 * by the ring's kernel thread, no syscall at all; getfd: the ring is made
 * by a forked child and taken from it with pidfd_getfd, then io_uring_enter. Exits 77 when the
 * kernel refuses rings (io_uring_disabled, seccomp, an old kernel). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <linux/io_uring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int run(const char *file, int rfd, const struct io_uring_params *p, int sqpoll)
{
	int fd = open(file, O_RDONLY);
	size_t sqsz = p->sq_off.array + p->sq_entries * 4;
	size_t cqsz = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	char *sq = mmap(0, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, IORING_OFF_SQ_RING);
	char *cq = mmap(0, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, IORING_OFF_CQ_RING);
	struct io_uring_sqe *sqes = mmap(0, p->sq_entries * sizeof *sqes, PROT_READ | PROT_WRITE, MAP_SHARED, rfd,
	                                 IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return perror("mmap"), 1;
	unsigned *tail = (unsigned *)(sq + p->sq_off.tail), *mask = (unsigned *)(sq + p->sq_off.ring_mask);
	unsigned *arr = (unsigned *)(sq + p->sq_off.array);
	unsigned t = *tail, i = t & *mask;
	memset(&sqes[i], 0, sizeof sqes[i]);
	sqes[i].opcode = IORING_OP_CLOSE;
	sqes[i].fd = fd;
	arr[i] = i;
	__atomic_store_n(tail, t + 1, __ATOMIC_RELEASE);
	unsigned *cqtail = (unsigned *)(cq + p->cq_off.tail);
	if (!sqpoll) {
		syscall(SYS_io_uring_enter, rfd, 1, 1, IORING_ENTER_GETEVENTS, 0, 0);
	} else {
		/* the kernel thread takes it; wait for its answer (3 s) */
		struct timespec ms = { 0, 1000000 };
		for (int k = 0; k < 3000 && !__atomic_load_n(cqtail, __ATOMIC_ACQUIRE); k++)
			nanosleep(&ms, NULL);
	}
	if (!__atomic_load_n(cqtail, __ATOMIC_ACQUIRE) && sqpoll) {
		/* this kernel ends a ring's poller at the exec: nothing can
		 * close an fd behind pdig's back this way */
		printf("the SQPOLL thread did not outlive the exec\n");
		return 77;
	}
	if (!__atomic_load_n(cqtail, __ATOMIC_ACQUIRE))
		return fprintf(stderr, "the ring did not answer\n"), 1;
	errno = 0;
	int r = close(fd);
	printf("close(%d) = %d errno %d\n", fd, r, r ? errno : 0);
	return 0;
}

/* The ring made by a forked child, taken with pidfd_getfd. */
static int from_child(const char *file)
{
	int pp[2];
	if (pipe(pp) < 0)
		return 1;
	pid_t child = fork();
	if (child == 0) {
		struct io_uring_params p;
		memset(&p, 0, sizeof p);
		int rfd = (int)syscall(SYS_io_uring_setup, 4, &p);
		if (write(pp[1], &rfd, sizeof rfd) != sizeof rfd || write(pp[1], &p, sizeof p) != sizeof p)
			_exit(1);
		pause();
		_exit(0);
	}
	struct io_uring_params p;
	int rfd = -1, r = 77;
	if (read(pp[0], &rfd, sizeof rfd) != sizeof rfd || read(pp[0], &p, sizeof p) != sizeof p || rfd < 0) {
		printf("io_uring_setup failed in the child\n");
		goto out;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	int mine = pidfd < 0 ? -1 : (int)syscall(SYS_pidfd_getfd, pidfd, rfd, 0);
	if (mine < 0) {
		printf("pidfd_getfd: %s\n", strerror(errno));
		goto out;
	}
	r = run(file, mine, &p, 0);
out:
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return r;
}

int main(int argc, char **argv)
{
	if (argc == 5) { /* after the exec: the ring's fd and its params */
		struct io_uring_params p;
		for (size_t k = 0; k < sizeof p; k++) {
			unsigned x;
			sscanf(argv[4] + 2 * k, "%2x", &x);
			((unsigned char *)&p)[k] = (unsigned char)x;
		}
		return run(argv[1], atoi(argv[3]), &p, !strcmp(argv[2], "sqpoll"));
	}
	if (argc != 3)
		return 2;
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	if (!strcmp(argv[2], "getfd"))
		return from_child(argv[1]);
	if (!strcmp(argv[2], "sqpoll")) {
		p.flags = IORING_SETUP_SQPOLL;
		p.sq_thread_idle = 20000; /* awake across the exec: no wakeup call */
	}
	int rfd = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (rfd < 0) {
		printf("io_uring_setup: %s\n", strerror(errno));
		return 77;
	}
	fcntl(rfd, F_SETFD, 0);
	char fdbuf[16], hex[2 * sizeof p + 1];
	snprintf(fdbuf, sizeof fdbuf, "%d", rfd);
	for (size_t k = 0; k < sizeof p; k++)
		sprintf(hex + 2 * k, "%02x", ((unsigned char *)&p)[k]);
	execl("/proc/self/exe", argv[0], argv[1], argv[2], fdbuf, hex, (char *)0);
	return 1;
}
