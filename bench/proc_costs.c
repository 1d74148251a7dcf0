/* proc_costs [N]: what pdig's per-process and per-event reads cost, each
 * timed alone, on a program stopped just after its exec under ptrace (the
 * state pdig finds it in at an execve exit). Means over N fresh programs
 * (default 300), in ns. Benchmark only: see bench/README.md. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

enum { OPEN_STAT, PREAD_FIRST, PREAD_AGAIN, READLINK_EXE, PIDFD_OPEN, GETFD_STATX_CLOSE,
       PROC_FD_STATX, VM_READV_64, PEEKDATA_8, CLOSE_BOTH, NCOST };
static const char *const names[NCOST] = {
	"open /proc/PID/stat", "pread stat (first)", "pread stat (again)", "readlink /proc/PID/exe",
	"pidfd_open", "pidfd_getfd + statx + close (fd 0)", "statx /proc/PID/fd/0",
	"process_vm_readv 64 B", "PTRACE_PEEKDATA 8 B", "close stat fd + pidfd",
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static double total[NCOST];
static uint64_t t0;
#define TIME(which, stmt) do { t0 = now_ns(); stmt; total[which] += (double)(now_ns() - t0); } while (0)

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 300;
	if (n <= 0) {
		fprintf(stderr, "usage: proc_costs [N]\n");
		return 2;
	}
	static char buf[4096];
	for (int i = 0; i < n; i++) {
		pid_t c = fork();
		if (c == 0) {
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		int st;
		if (c < 0 || waitpid(c, &st, 0) != c || !WIFSTOPPED(st)) {
			fprintf(stderr, "proc_costs: no stopped child\n");
			return 1;
		}
		char path[64];
		struct statx sx;
		int fd, pfd, dup;
		ssize_t got;
		snprintf(path, sizeof path, "/proc/%d/stat", c);
		TIME(OPEN_STAT, fd = open(path, O_RDONLY));
		TIME(PREAD_FIRST, got = pread(fd, buf, sizeof buf, 0));
		TIME(PREAD_AGAIN, got = pread(fd, buf, sizeof buf, 0));
		snprintf(path, sizeof path, "/proc/%d/exe", c);
		TIME(READLINK_EXE, got = readlink(path, buf, sizeof buf));
		TIME(PIDFD_OPEN, pfd = (int)syscall(SYS_pidfd_open, c, 0));
		TIME(GETFD_STATX_CLOSE, {
			dup = (int)syscall(SYS_pidfd_getfd, pfd, 0, 0);
			statx(dup, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &sx);
			close(dup);
		});
		snprintf(path, sizeof path, "/proc/%d/fd/0", c);
		TIME(PROC_FD_STATX, statx(AT_FDCWD, path, 0, STATX_INO | STATX_MNT_ID, &sx));
		/* the child's copy of buf: same address after fork */
		struct iovec local = { buf, 64 }, remote = { buf, 64 };
		TIME(VM_READV_64, got = process_vm_readv(c, &local, 1, &remote, 1, 0));
		long word;
		TIME(PEEKDATA_8, word = ptrace(PTRACE_PEEKDATA, c, buf, 0));
		(void)got;
		(void)word;
		TIME(CLOSE_BOTH, { close(fd); close(pfd); });
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	printf("proc_costs: %d programs stopped after exec, mean ns per call\n", n);
	for (int k = 0; k < NCOST; k++)
		printf("%-36s %8.0f\n", names[k], total[k] / n);
	return 0;
}
