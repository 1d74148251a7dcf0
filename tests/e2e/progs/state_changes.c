/* Creates threads and children between changes of cwd and credentials, so
 * any reuse of a stale cached value shows. Every new thread or child
 * prints the truth as it sees it, one line each:
 *   new|TID|CWD|EUID|EGID|PTID
 * and the parent, after each creation, what its own side should say:
 *   parent|CHILD_TID|CWD|EUID|EGID|PTID
 * PTID is the id of the thread that created the process (the driver's
 * real_parent->pid): for a child, the thread that forked it.
 * Usage: state_changes DIR_A DIR_B [ROUNDS]. Credentials change only when
 * run as root (uid 65534 then). */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

/* Credentials per thread: the raw syscalls, not glibc's wrappers, which
 * would change every thread of the process. */
static long tid(void) { return syscall(SYS_gettid); }
static long euid(void)
{
	uid_t r, e, s;
	syscall(SYS_getresuid, &r, &e, &s);
	return (long)e;
}
static long egid(void)
{
	gid_t r, e, s;
	syscall(SYS_getresgid, &r, &e, &s);
	return (long)e;
}

static void say(const char *who, long id, long ptid)
{
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		strcpy(cwd, "?");
	pthread_mutex_lock(&out_lock);
	printf("%s|%ld|%s|%ld|%ld|%ld\n", who, id, cwd, euid(), egid(), ptid);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void *thread_says(void *arg)
{
	(void)arg;
	/* this process was started by pdig's only thread */
	say("new", tid(), (long)getppid());
	return NULL;
}

static void new_thread(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, thread_says, NULL) == 0)
		pthread_join(t, NULL);
}

static void new_child(void)
{
	fflush(stdout);
	long forker = tid();
	pid_t p = fork();
	if (p == 0) {
		say("new", tid(), forker);
		_exit(0);
	}
	if (p > 0) {
		say("parent", p, (long)getppid());
		waitpid(p, NULL, 0);
	}
}

static void both(void)
{
	new_thread();
	new_child();
}

/* A thread that drops its own euid and egid, then creates a thread and a
 * child: both inherit its credentials, not the main thread's. */
static void *dropper(void *arg)
{
	(void)arg;
	syscall(SYS_setresgid, -1, 65534, -1);
	syscall(SYS_setresuid, -1, 65534, -1);
	both();
	/* and back, so the main thread's creations stay root */
	syscall(SYS_setresuid, -1, 0, -1);
	syscall(SYS_setresgid, -1, 0, -1);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int rounds = argc > 3 ? atoi(argv[3]) : 10;
	int fd_a = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (fd_a < 0 || chdir(argv[1]))
		return 2;
	both();
	if (chdir(argv[2]))
		return 2;
	both();
	if (fchdir(fd_a))
		return 2;
	both();
	for (int i = 0; i < rounds; i++) {
		if (chdir(argv[i % 2 ? 1 : 2]))
			return 2;
		both();
	}
	if (getuid() == 0) {
		pthread_t t;
		if (pthread_create(&t, NULL, dropper, NULL) == 0)
			pthread_join(t, NULL);
		both();
		/* the whole process, through glibc's wrappers */
		if (setresgid(-1, 65534, -1) || setresuid(-1, 65534, -1))
			return 2;
		both();
	}
	return 0;
}
