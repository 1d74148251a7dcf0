/* Containment shared by the hostile tracees (hostile.c, stream_fuzz.c):
 * the namespaces they run in and how their init reaps a unit of work. */
#ifndef PDIG_TEST_CONTAIN_H
#define PDIG_TEST_CONTAIN_H

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

/* Enters new PID, IPC, mount and UTS namespaces (plus extra CLONE_NEW*
 * flags) and forks their init. Returns 0 in init, which is then in a
 * session of its own (no process group reaches back out) with private
 * mounts; init's pid in the caller; -1 if unshare failed (errno: root is
 * needed), -2 if fork did. */
static inline pid_t contain_enter(int extra)
{
	if (unshare(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWNS | CLONE_NEWUTS | extra) < 0)
		return -1;
	pid_t a = fork();
	if (a < 0)
		return -2;
	if (a == 0) {
		setsid();
		mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
	}
	return a;
}

/* The caller's side: init's exit status (100 if a signal ended it). */
static inline int contain_wait_init(pid_t a)
{
	int st;
	if (waitpid(a, &st, 0) < 0)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

enum contain_end { CONTAIN_OK, CONTAIN_DIED, CONTAIN_HUNG };

/* In init: waits up to ticks × 5 ms for child p, kills it if it hangs,
 * then kills and reaps whatever it left in the namespace (CLONE_PARENT
 * and the like). Says how p ended. */
static inline enum contain_end contain_reap(pid_t p, int ticks)
{
	int st = 0, done = 0;
	enum contain_end end = CONTAIN_OK;
	for (int t = 0; t < ticks && !done; t++) {
		pid_t w = waitpid(p, &st, WNOHANG | __WALL);
		if (w == p)
			done = 1;
		else if (w < 0 && errno != EINTR)
			break;
		else
			usleep(5000);
	}
	if (!done) {
		end = CONTAIN_HUNG;
		kill(p, SIGKILL);
		waitpid(p, &st, __WALL);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		end = CONTAIN_DIED;
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, &st, WNOHANG | __WALL) > 0)
		;
	return end;
}

#endif
