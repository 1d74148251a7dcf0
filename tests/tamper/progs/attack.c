/* The suspect: attacks its tracer the ways issue 17 lists and prints the
 * outcome of each as NAME=OK or NAME=<errno name>, one per line.
 *   attack ptrace|vmread|vmwrite|mem|getfd PID
 *   attack kill PID SIG
 *   attack lock | capturing        (through /dev/shm/udig_descs)
 *   attack race FILE DIR           (open a symlink in DIR for writing
 *                                  while a thread swaps it between FILE
 *                                  and a decoy: the guard's race)
 *   attack openw|openr|trunc FILE  (open for writing with O_TRUNC, open
 *                                  read-only, truncate(2))
 *   attack nodump                  (prctl(PR_SET_DUMPABLE, 0): its memory
 *                                  unreadable to its tracer)
 * Then it opens /etc/hostname once, so the test can see that events made
 * after the attack still reach the consumer. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "report.h"

static long poke_descs(size_t off, uint64_t v, size_t width)
{
	int fd = open("/dev/shm/udig_descs", O_RDWR);
	if (fd < 0)
		return -1;
	uint8_t *d = mmap(NULL, 128, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (d == MAP_FAILED)
		return -1;
	memcpy(d + off, &v, width);
	return 0;
}

static volatile int racing = 1;
static char decoy[] = "decoy";

/* Swaps lnk between the decoy and the target as fast as it can. */
static void *swapper(void *target)
{
	while (racing) {
		unlink("lnk.tmp");
		symlink(decoy, "lnk.tmp");
		rename("lnk.tmp", "lnk");
		unlink("lnk.tmp");
		symlink((const char *)target, "lnk.tmp");
		rename("lnk.tmp", "lnk");
	}
	return NULL;
}

/* Opens that got the target: each one a win against the guard. */
static void race(const char *target, const char *dir)
{
	struct stat want, got;
	if (chdir(dir) < 0 || stat(target, &want) < 0)
		return;
	close(open(decoy, O_WRONLY | O_CREAT, 0600));
	pthread_t th;
	pthread_create(&th, NULL, swapper, (void *)target);
	int wins = 0, refused = 0;
	for (int i = 0; i < 3000; i++) {
		int fd = open("lnk", O_WRONLY);
		if (fd < 0) {
			refused += errno == EACCES;
			continue;
		}
		if (fstat(fd, &got) == 0 && got.st_ino == want.st_ino && got.st_dev == want.st_dev)
			wins++;
		close(fd);
	}
	racing = 0;
	pthread_join(th, NULL);
	printf("race wins=%d refused=%d\n", wins, refused);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	const char *op = argv[1];
	pid_t pid = argc < 3 ? 0 : !strcmp(argv[2], "ppid") ? getppid() : (pid_t)atoi(argv[2]);
	/* never mapped: a permitted access fails with EFAULT, a refused one
	 * with EPERM, and pdig's memory is never touched */
	char buf[8] = {0};
	struct iovec local = { buf, sizeof buf }, remote = { (void *)0x1000, sizeof buf };
	if (!strcmp(op, "ptrace")) {
		report(op, ptrace(PTRACE_SEIZE, pid, 0, 0));
	} else if (!strcmp(op, "vmread")) {
		report(op, process_vm_readv(pid, &local, 1, &remote, 1, 0));
	} else if (!strcmp(op, "vmwrite")) {
		report(op, process_vm_writev(pid, &local, 1, &remote, 1, 0));
	} else if (!strcmp(op, "mem")) {
		char p[64];
		snprintf(p, sizeof p, "/proc/%d/mem", pid);
		report(op, open(p, O_RDWR));
	} else if (!strcmp(op, "getfd")) {
		long pfd = syscall(SYS_pidfd_open, pid, 0);
		if (pfd < 0)
			report("pidfd_open", pfd);
		else
			report(op, syscall(SYS_pidfd_getfd, (int)pfd, 0, 0));
	} else if (!strcmp(op, "kill")) {
		report(op, kill(pid, atoi(argv[3])));
	} else if (!strcmp(op, "lock")) {
		/* a live pid: ours */
		report(op, poke_descs(48, (uint64_t)getpid(), 8));
		usleep(500000); /* hold it past pdig's give-up time */
	} else if (!strcmp(op, "capturing")) {
		report(op, poke_descs(60, 0, 4));
	} else if (!strcmp(op, "openw")) {
		report(op, open(argv[2], O_WRONLY | O_TRUNC));
	} else if (!strcmp(op, "race")) {
		race(argv[2], argv[3]);
	} else if (!strcmp(op, "openr")) {
		report(op, open(argv[2], O_RDONLY));
	} else if (!strcmp(op, "trunc")) {
		report(op, truncate(argv[2], 0));
	} else if (!strcmp(op, "nodump")) {
		report(op, prctl(PR_SET_DUMPABLE, 0, 0, 0, 0));
	} else {
		return 2;
	}
	return open_after();
}
