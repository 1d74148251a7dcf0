/* Test subject for attach mode on several tracer threads
 * (test_attach_workers.sh): NPROCS processes (the first forks the others)
 * of NTHREADS threads each.
 *   spread DIR NTHREADS NPROCS COUNT [idle|exec]
 * Every thread appends "pid tid\n" to DIR/tids once running. Then:
 *   (count)  waits for DIR/go1, makes COUNT openat of DIR/f (each closed),
 *            appends "pid tid ok=N\n" to DIR/done1; waits for DIR/go2, makes
 *            COUNT more, appends "pid tid ok=N enosys=E other=O\n" to
 *            DIR/done2. The first process exits 0 once every thread and
 *            process made all its calls without a failure, else 1.
 *   idle     every thread sleeps in pause() until killed (the others die
 *            with the first process: PR_SET_PDEATHSIG).
 *   exec     the thread whose tid is written to DIR/execby execs
 *            `spread --after DIR`, which opens DIR/after and exits 7.
 * The opens are raw openat calls: glibc's open() makes openat, musl's
 * open. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *dir;
static int count;
static const char *mode = "count";
static char self_exe[4096];
static atomic_int failures;

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void append(const char *name, const char *line)
{
	char p[4096];
	path_of(p, sizeof p, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	ssize_t r = write(fd, line, strlen(line)); /* one write: lines never mix */
	(void)r;
	close(fd);
}

static void wait_for(const char *name)
{
	char p[4096];
	path_of(p, sizeof p, name);
	while (access(p, F_OK) != 0)
		nap_ms(5);
}

/* COUNT openat+close; counts the results by kind */
static void opens(int *ok, int *enosys, int *other)
{
	char p[4096];
	path_of(p, sizeof p, "f");
	*ok = *enosys = *other = 0;
	for (int i = 0; i < count; i++) {
		long fd = syscall(SYS_openat, AT_FDCWD, p, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			(*ok)++;
			close((int)fd);
		} else if (errno == ENOSYS) {
			(*enosys)++;
		} else {
			(*other)++;
		}
	}
}

static void exec_if_asked(pid_t me)
{
	char p[4096], buf[32] = "";
	path_of(p, sizeof p, "execby");
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0 || atoi(buf) != me)
		return;
	char *argv[] = { "spread", "--after", (char *)dir, NULL };
	execv(self_exe, argv);
	_exit(99);
}

static void *thread_main(void *unused)
{
	(void)unused;
	pid_t me = (pid_t)syscall(SYS_gettid);
	char line[160];
	snprintf(line, sizeof line, "%d %d\n", getpid(), me);
	append("tids", line);
	if (!strcmp(mode, "idle")) {
		for (;;)
			pause();
	}
	if (!strcmp(mode, "exec")) {
		for (;;) {
			exec_if_asked(me);
			nap_ms(5);
		}
	}
	int ok, enosys, other;
	wait_for("go1");
	opens(&ok, &enosys, &other);
	snprintf(line, sizeof line, "%d %d ok=%d\n", getpid(), me, ok);
	append("done1", line);
	if (ok != count)
		atomic_fetch_add(&failures, 1);
	wait_for("go2");
	opens(&ok, &enosys, &other);
	snprintf(line, sizeof line, "%d %d ok=%d enosys=%d other=%d\n", getpid(), me, ok, enosys, other);
	append("done2", line);
	if (ok != count)
		atomic_fetch_add(&failures, 1);
	return NULL;
}

/* One process: NTHREADS threads, the calling one included. */
static int run_process(int nthreads)
{
	pthread_t th[64];
	int made = 0;
	for (int i = 1; i < nthreads && i < 64; i++)
		if (pthread_create(&th[made], NULL, thread_main, NULL) == 0)
			made++;
	thread_main(NULL);
	for (int i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	return atomic_load(&failures) ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--after")) {
		dir = argv[2];
		char p[4096];
		path_of(p, sizeof p, "after");
		long fd = syscall(SYS_openat, AT_FDCWD, p, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
		return fd >= 0 ? 7 : 8;
	}
	if (argc < 5) {
		fprintf(stderr, "usage: spread DIR NTHREADS NPROCS COUNT [idle|exec]\n");
		return 2;
	}
	dir = argv[1];
	int nthreads = atoi(argv[2]), nprocs = atoi(argv[3]);
	count = atoi(argv[4]);
	if (argc > 5)
		mode = argv[5];
	ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
	self_exe[n > 0 ? n : 0] = '\0';
	char p[4096];
	path_of(p, sizeof p, "f");
	close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	pid_t kids[64];
	int nkids = 0;
	for (int i = 1; i < nprocs && i < 64; i++) {
		pid_t k = fork();
		if (k == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			_exit(run_process(nthreads));
		}
		if (k > 0)
			kids[nkids++] = k;
	}
	int rc = run_process(nthreads);
	for (int i = 0; i < nkids; i++) {
		int st;
		if (waitpid(kids[i], &st, 0) != kids[i] || !WIFEXITED(st) || WEXITSTATUS(st))
			rc = 1;
	}
	return rc;
}
