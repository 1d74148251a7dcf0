/* floor: the cheapest ptrace tracer with pdig's seccomp set.
 *
 * Spawns CMD with exactly pdig's default seccomp filter (taken from
 * pdigcore: syscall_set_init + seccomp_install) and follows fork, clone
 * and exec like pdig. At each stop it does one PTRACE_GET_SYSCALL_INFO and
 * the resume pdig does (seccomp stop -> PTRACE_SYSCALL, exit stop ->
 * PTRACE_CONT). No encoding, no output: the time left is the cost of
 * ptrace itself, the floor under any ptrace-based tracer.
 *
 *   floor [-a] [-v] [-c] [-s USEC] [--] CMD [ARGS...]
 *   floor [-a] --print-set     syscall names of the set, comma-separated
 *
 *   -a        every syscall the schema knows (pdig -a), not the default set
 *   -v        print stop counts to stderr at exit
 *   -c        cont-only: resume seccomp stops with PTRACE_CONT and read no
 *             registers (what pdig does when no consumer is attached)
 *   -s USEC   spin up to USEC microseconds with waitpid(WNOHANG) before
 *             blocking in waitpid (experiment: does spinning beat the
 *             wakeup?)
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "schema/schema.h"
#include "abi/kernel_abi.h"
#include "tracer/seccomp.h"

static const unsigned long seize_opts =
	PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACESECCOMP | PTRACE_O_TRACECLONE |
	PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC |
	PTRACE_O_EXITKILL;

struct counts {
	unsigned long long stops, seccomp, sysexit, clone, exec, other, spins_hit, spins_miss;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void print_set(const struct syscall_set *set)
{
	const char *sep = "";
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (!set->on[nr])
			continue;
		const char *name = pdig_syscall_name((uint64_t)nr);
		if (!name)
			continue;
		printf("%s%s", sep, name);
		sep = ",";
	}
	printf("\n");
}

static pid_t wait_any(int *status, long spin_us, struct counts *c)
{
	if (spin_us > 0) {
		uint64_t end = mono_ns() + (uint64_t)spin_us * 1000u;
		do {
			pid_t t = waitpid(-1, status, __WALL | WNOHANG);
			if (t != 0) {
				c->spins_hit++;
				return t;
			}
		} while (mono_ns() < end);
		c->spins_miss++;
	}
	return waitpid(-1, status, __WALL);
}

int main(int argc, char **argv)
{
	bool all = false, verbose = false, cont_only = false, print = false;
	long spin_us = 0;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "-a")) {
			all = true;
		} else if (!strcmp(a, "-v")) {
			verbose = true;
		} else if (!strcmp(a, "-c")) {
			cont_only = true;
		} else if (!strcmp(a, "-s") && i + 1 < argc) {
			spin_us = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(a, "--print-set")) {
			print = true;
		} else {
			fprintf(stderr, "floor: unknown option %s\n", a);
			return 2;
		}
	}
	struct syscall_set set;
	syscall_set_init(&set, all);
	if (print) {
		print_set(&set);
		return 0;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: floor [-a] [-v] [-c] [-s USEC] [--] CMD [ARGS...] | floor [-a] --print-set\n");
		return 2;
	}

	pid_t pid = fork();
	if (pid < 0) {
		perror("floor: fork");
		return 1;
	}
	if (pid == 0) {
		raise(SIGSTOP);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(&set) < 0) {
			perror("floor: seccomp");
			_exit(126);
		}
		execvp(argv[i], &argv[i]);
		perror(argv[i]);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, WSTOPPED) < 0 || !WIFSTOPPED(status) ||
	    ptrace(PTRACE_SEIZE, pid, 0, (void *)seize_opts) < 0) {
		perror("floor: seize");
		kill(pid, SIGKILL);
		return 1;
	}
	kill(pid, SIGCONT);

	struct counts c;
	memset(&c, 0, sizeof c);
	int main_status = 0;
	for (;;) {
		pid_t tid = wait_any(&status, spin_us, &c);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!WIFSTOPPED(status)) {
			if (tid == pid)
				main_status = status;
			continue;
		}
		c.stops++;
		int sig = WSTOPSIG(status), event = status >> 16;
		struct pdig_syscall_info info;
		if (sig == (SIGTRAP | 0x80)) {
			c.sysexit++;
			ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
			ptrace(PTRACE_CONT, tid, 0, 0);
			continue;
		}
		switch (event) {
		case PTRACE_EVENT_SECCOMP:
			c.seccomp++;
			if (cont_only) {
				ptrace(PTRACE_CONT, tid, 0, 0);
			} else {
				ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info);
				ptrace(PTRACE_SYSCALL, tid, 0, 0);
			}
			break;
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			c.clone++;
			ptrace(PTRACE_CONT, tid, 0, 0); /* like pdig: the exit stop is skipped */
			break;
		case PTRACE_EVENT_EXEC:
			c.exec++;
			ptrace(PTRACE_CONT, tid, 0, 0);
			break;
		case PTRACE_EVENT_STOP:
			c.other++;
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
				ptrace(PTRACE_LISTEN, tid, 0, 0);
			else
				ptrace(PTRACE_CONT, tid, 0, 0);
			break;
		case 0:
			c.other++;
			ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
			break;
		default:
			c.other++;
			ptrace(PTRACE_CONT, tid, 0, 0);
			break;
		}
	}
	if (verbose)
		fprintf(stderr, "floor: stops=%llu seccomp=%llu sysexit=%llu clone=%llu exec=%llu other=%llu"
		        " spin_hit=%llu spin_miss=%llu\n",
		        c.stops, c.seccomp, c.sysexit, c.clone, c.exec, c.other, c.spins_hit, c.spins_miss);
	if (WIFSIGNALED(main_status))
		return 128 + WTERMSIG(main_status);
	return WEXITSTATUS(main_status);
}
