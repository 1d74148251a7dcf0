/* A sandboxed process (Chromium/Firefox style): a forked child installs
 * its own seccomp filter that refuses clone() with flags no libc uses
 * (here any clone carrying CLONE_VFORK) with TRAP (a SIGSYS it handles),
 * KILL_PROCESS or ERRNO(EPERM), then forks N children (each _exit(0)) and
 * makes N threads. Under pdig --threads N>1 its new threads and children
 * must fare as with one tracer thread: the park's own clone must not meet
 * that filter. Usage: park_sandbox trap|kill|errno N
 * Prints one line: how the sandboxed child's children ended, SIGSYS it
 * saw, its threads made, its own end. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct result { volatile int ok, bad, badsig, sigsys, threads; };
static struct result *res;
static void on_sigsys(int s) { (void)s; res->sigsys++; }
static void *thr(void *a) { (void)a; getppid(); return NULL; }
static int hold[2];
static void *holder(void *a) { (void)a; char b; return read(hold[0], &b, 1) < 0 ? a : NULL; }

static int sandboxed(const char *mode, int n)
{
	struct sigaction sa = { .sa_handler = on_sigsys };
	sigaction(SIGSYS, &sa, NULL);
	unsigned action = !strcmp(mode, "kill")    ? SECCOMP_RET_KILL_PROCESS
	                  : !strcmp(mode, "errno") ? (SECCOMP_RET_ERRNO | 1)
	                                           : SECCOMP_RET_TRAP;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_VFORK, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		return 2;
	}
	/* three threads that wait to the end: its tracer thread is the
	 * busiest, so each new task of this process is one pdig would move */
	pthread_t held[3];
	if (pipe(hold))
		return 2;
	for (int i = 0; i < 3; i++)
		pthread_create(&held[i], NULL, holder, NULL);
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		int st;
		waitpid(p, &st, 0);
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			res->ok++;
		else
			res->bad++, res->badsig = WIFSIGNALED(st) ? WTERMSIG(st) : -1;
		pthread_t t;
		if (pthread_create(&t, NULL, thr, NULL) == 0 && pthread_join(t, NULL) == 0)
			res->threads++;
	}
	close(hold[1]);
	for (int i = 0; i < 3; i++)
		pthread_join(held[i], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "trap";
	int n = argc > 2 ? atoi(argv[2]) : 30;
	res = mmap(NULL, sizeof *res, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (res == MAP_FAILED)
		return 2;
	/* a sleeper first: with two tracer threads it takes the second, so
	 * the sandboxed child stays on the first and its new tasks are the
	 * ones the least-busy rule would move */
	int pfd[2];
	if (pipe(pfd))
		return 2;
	pid_t sleeper = fork();
	if (sleeper == 0) {
		char b;
		close(pfd[1]);
		_exit(read(pfd[0], &b, 1) < 0);
	}
	close(pfd[0]);
	pid_t c = fork();
	if (c == 0)
		_exit(sandboxed(mode, n));
	int st;
	waitpid(c, &st, 0);
	close(pfd[1]);
	waitpid(sleeper, NULL, 0);
	printf("children ok %d killed %d (signal %d) sigsys %d threads %d sandboxed %s %d\n", res->ok, res->bad,
	       res->badsig, res->sigsys, res->threads, WIFEXITED(st) ? "exit" : "signal",
	       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	return 0;
}
