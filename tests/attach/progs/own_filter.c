/* A process with a seccomp filter of its own (allow-all, as a container
 * runtime's profile would be): every 100 ms a forked child opens
 * /etc/passwd, a new thread opens /etc/hostname, the main thread opens
 * /etc/group. Runs about 3 s.
 * openat(AT_FDCWD, ...) rather than open(): glibc's open() makes the
 * openat syscall the tests expect, musl's the open syscall. */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *thread_open(void *arg)
{
	(void)arg;
	close(openat(AT_FDCWD, "/etc/hostname", O_RDONLY));
	return NULL;
}

int main(void)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, allow };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog))
		return 1;
	for (int i = 0; i < 30; i++) {
		usleep(100000);
		pid_t c = fork();
		if (c == 0) {
			close(openat(AT_FDCWD, "/etc/passwd", O_RDONLY));
			_exit(0);
		}
		waitpid(c, NULL, 0);
		pthread_t t;
		pthread_create(&t, NULL, thread_open, NULL);
		pthread_join(t, NULL);
		close(openat(AT_FDCWD, "/etc/group", O_RDONLY));
	}
	return 0;
}
