/* A thread that is not the main one, named "forker", forks a child that
 * execs /bin/true. The child's real parent is that thread, so the driver's
 * ptid for the child (real_parent->pid) is the thread's id, not the
 * process's. Then a second "forker" forks a child that waits until that
 * thread has exited before it execs: by then the kernel has handed it to
 * the main thread. Last, a "forker" forks a child in which a second thread
 * execs (the exec keeps the process's real parent). Prints
 * "forker|...", "orphan|..." and "thexec|<thread id>|<child pid>|<process
 * id>". */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int gate[2] = { -1, -1 }, started[2] = { -1, -1 };
static pid_t orphan;

static void *exec_true(void *arg)
{
	(void)arg;
	execl("/bin/true", "true", (char *)NULL);
	_exit(127);
}

/* the child's second thread execs; the main thread waits for it forever */
static void *thexec_forker(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, "forker");
	pid_t c = fork();
	if (c == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, exec_true, NULL) == 0)
			pthread_join(t, NULL);
		_exit(126);
	}
	printf("thexec|%d|%d|%d\n", (int)syscall(SYS_gettid), (int)c, (int)getpid());
	fflush(stdout);
	waitpid(c, NULL, 0);
	return NULL;
}

static void *forker(void *arg)
{
	int wait_for_gate = arg != NULL;
	prctl(PR_SET_NAME, "forker");
	pid_t c = fork();
	if (c == 0) {
		char b;
		/* running, so its clone exit came while its parent thread lived */
		if (wait_for_gate && (write(started[1], "s", 1) != 1 || read(gate[0], &b, 1) != 1))
			_exit(126);
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	printf("%s|%d|%d|%d\n", wait_for_gate ? "orphan" : "forker", (int)syscall(SYS_gettid), (int)c, (int)getpid());
	fflush(stdout);
	char b;
	if (!wait_for_gate)
		waitpid(c, NULL, 0);
	else if (read(started[0], &b, 1) == 1)
		orphan = c;
	else
		kill(c, SIGKILL);
	return NULL;
}

int main(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, forker, NULL) || pthread_join(t, NULL))
		return 1;
	if (pipe(gate) || pipe(started) || pthread_create(&t, NULL, forker, &gate) || pthread_join(t, NULL))
		return 1;
	/* the forking thread is gone (join returns when it leaves its mm,
	 * a moment before the kernel hands its children on and tells the
	 * tracer): give that moment, then let its child exec */
	usleep(100000);
	if (write(gate[1], "x", 1) != 1)
		return 1;
	int st = 0;
	waitpid(orphan, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return 1;
	if (pthread_create(&t, NULL, thexec_forker, NULL) || pthread_join(t, NULL))
		return 1;
	return 0;
}
