/* workloads: fixed-size syscall workloads for benchmarking pdig.
 *
 *   workloads NAME [ITERS]     run NAME ITERS times, print one line:
 *       NAME iters=N total_ns=T ns_per_iter=X
 *   workloads --list           names, default iteration counts, and the
 *                              syscalls each iteration makes
 *
 * The clock runs only around the loop (CLOCK_MONOTONIC), so tracer
 * start-up and the exec of this program are not counted. Files go to
 * $BENCH_TMP (default /dev/shm), which should be a tmpfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "workloads: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char tmp_path[4096];
static char buf4k[4096];

static void w_file(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open(tmp_path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0)
			die("open");
		if (write(fd, buf4k, 128) != 128)
			die("write");
		close(fd);
		if (unlink(tmp_path) < 0)
			die("unlink");
	}
}

static void *thread_fn(void *arg)
{
	return arg;
}

static void w_thread(long n)
{
	for (long i = 0; i < n; i++) {
		pthread_t t;
		if ((errno = pthread_create(&t, NULL, thread_fn, NULL)) != 0)
			die("pthread_create");
		pthread_join(t, NULL);
	}
}

static void w_fork(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t p = fork();
		if (p < 0)
			die("fork");
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
}

static const char *exec_target(void)
{
	const char *t = getenv("BENCH_EXEC");
	return t && *t ? t : "/bin/true";
}

/* fork, exec argv (through PATH with search), wait; exits if it fails */
static void run_program(char *const argv[], int search)
{
	pid_t p = fork();
	if (p < 0)
		die("fork");
	if (p == 0) {
		if (search)
			execvp(argv[0], argv);
		else
			execv(argv[0], argv);
		_exit(127);
	}
	int st;
	waitpid(p, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "workloads: %s failed (status %d)\n", argv[0], st);
		exit(1);
	}
}

static void w_exec(long n)
{
	char *const argv[] = { (char *)exec_target(), NULL };
	for (long i = 0; i < n; i++)
		run_program(argv, 0);
}

/* A real program: the C compiler driver compiles and links a small file
 * (cc spawns cc1, as, collect2 and ld; headers, temporary files and
 * libraries are opened). Needs cc on PATH. */
static const char cc_source[] =
	"#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n"
	"int main(int argc, char **argv)\n{\n\tchar b[64];\n"
	"\tsnprintf(b, sizeof b, \"%d %s\", argc, argv[0]);\n"
	"\tputs(b);\n\treturn strlen(b) > 60 ? EXIT_FAILURE : EXIT_SUCCESS;\n}\n";

static void w_cc(long n)
{
	char src[4200], out[4200];
	snprintf(src, sizeof src, "%s.c", tmp_path);
	snprintf(out, sizeof out, "%s.out", tmp_path);
	int fd = open(src, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		die("open");
	if (write(fd, cc_source, sizeof cc_source - 1) != (ssize_t)(sizeof cc_source - 1))
		die("write");
	close(fd);
	char *const argv[] = { "cc", "-O2", "-o", out, src, NULL };
	for (long i = 0; i < n; i++)
		run_program(argv, 1);
	unlink(src);
	unlink(out);
}

static volatile uintptr_t sink;

static void w_malloc(long n)
{
	for (long i = 0; i < n; i++) {
		size_t sz = 16 + (size_t)(i * 37 % 4000);
		char *p = malloc(sz);
		p[0] = (char)i;
		sink += (uintptr_t)p;
		free(p);
	}
}

static void w_openclose(long n)
{
	for (long i = 0; i < n; i++) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open");
		close(fd);
	}
}

static void w_stat(long n)
{
	struct stat st;
	for (long i = 0; i < n; i++)
		if (stat("/dev/null", &st) < 0)
			die("stat");
}

static void w_devnull(long n)
{
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open");
	for (long i = 0; i < n; i++)
		if (write(fd, buf4k, sizeof buf4k) != (ssize_t)sizeof buf4k)
			die("write");
	close(fd);
}

struct workload {
	const char *name;
	void (*fn)(long);
	long iters; /* default: ~0.5 s under pdig on a small VM */
	const char *what;
};

static const struct workload workloads[] = {
	{ "file", w_file, 5000, "openat(O_CREAT)+write(128 B)+close+unlink on tmpfs" },
	{ "thread", w_thread, 2000, "pthread_create+join (clone3, mmap, mprotect, munmap, ...)" },
	{ "fork", w_fork, 1000, "fork+_exit+wait4" },
	{ "exec", w_exec, 200, "fork+execve(/bin/true)+wait4 (dynamic loader included)" },
	{ "cc", w_cc, 10, "fork+exec of cc -O2 compiling and linking a 10-line C file" },
	{ "malloc", w_malloc, 2000000, "malloc+free 16..4016 B (mostly no syscalls)" },
	{ "openclose", w_openclose, 10000, "openat(/dev/null)+close" },
	{ "stat", w_stat, 200000, "stat(/dev/null) (not traced by default)" },
	{ "devnull", w_devnull, 200000, "write 4 KiB to /dev/null" },
};

#define NWORK (sizeof workloads / sizeof *workloads)

/* `workloads scale threads|procs T SECS [GOFILE]` (bench/scale.sh): T
 * threads or processes, made at once and started together, each looping
 * open+close on /dev/null for SECS seconds; prints the pairs made per
 * second, all of them together. With GOFILE they start once it exists
 * (bench/attach_scale.sh: pdig -p attaches to the threads first). */
static volatile int scale_go;
static uint64_t scale_ns;

static long scale_loop(void)
{
	while (!scale_go)
		__asm__ volatile("pause");
	uint64_t end = mono_ns() + scale_ns;
	long pairs = 0;
	do {
		for (int k = 0; k < 64; k++) {
			int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("open");
			close(fd);
		}
		pairs += 64;
	} while (mono_ns() < end);
	return pairs;
}

static void *scale_thread(void *arg)
{
	*(long *)arg = scale_loop();
	return NULL;
}

static int scale_main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: workloads scale threads|procs T SECS [GOFILE]\n");
		return 2;
	}
	int procs = !strcmp(argv[2], "procs");
	int t = atoi(argv[3]);
	double secs = atof(argv[4]);
	if (t < 1 || t > 256 || !(secs > 0)) {
		fprintf(stderr, "workloads: scale: bad T or SECS\n");
		return 2;
	}
	scale_ns = (uint64_t)(secs * 1e9);
	long total = 0;
	uint64_t t0;
	if (procs) {
		/* the start flag and the counts, shared with the children */
		long *counts = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (counts == MAP_FAILED)
			die("mmap");
		volatile int *go = (volatile int *)&counts[300];
		for (int i = 0; i < t; i++) {
			pid_t c = fork();
			if (c < 0)
				die("fork");
			if (c == 0) {
				while (!*go)
					__asm__ volatile("pause");
				scale_go = 1;
				counts[i] = scale_loop();
				_exit(0);
			}
		}
		t0 = mono_ns();
		*go = 1;
		while (wait(NULL) > 0)
			;
		for (int i = 0; i < t; i++)
			total += counts[i];
	} else {
		pthread_t th[256];
		long counts[256];
		for (int i = 0; i < t; i++)
			if (pthread_create(&th[i], NULL, scale_thread, &counts[i]) != 0)
				die("pthread_create");
		if (argc > 5)
			while (access(argv[5], F_OK) != 0)
				nanosleep(&(struct timespec){ 0, 1000000 }, NULL);
		t0 = mono_ns();
		scale_go = 1;
		for (int i = 0; i < t; i++) {
			pthread_join(th[i], NULL);
			total += counts[i];
		}
	}
	double took = (double)(mono_ns() - t0) / 1e9;
	printf("scale mode=%s t=%d pairs=%ld secs=%.3f pairs_per_s=%.0f\n", procs ? "procs" : "threads", t, total,
	       took, (double)total / took);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h")) {
		fprintf(stderr, "usage: workloads NAME [ITERS] | workloads --list\n");
		return 2;
	}
	if (!strcmp(argv[1], "scale"))
		return scale_main(argc, argv);
	if (!strcmp(argv[1], "--list")) {
		for (size_t i = 0; i < NWORK; i++)
			printf("%s %ld %s\n", workloads[i].name, workloads[i].iters, workloads[i].what);
		return 0;
	}
	const struct workload *w = NULL;
	for (size_t i = 0; i < NWORK; i++)
		if (!strcmp(argv[1], workloads[i].name))
			w = &workloads[i];
	if (!w) {
		fprintf(stderr, "workloads: unknown workload %s\n", argv[1]);
		return 2;
	}
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : w->iters;
	if (n <= 0) {
		fprintf(stderr, "workloads: bad iteration count\n");
		return 2;
	}
	const char *dir = getenv("BENCH_TMP");
	snprintf(tmp_path, sizeof tmp_path, "%s/pdig-bench-%d", dir && *dir ? dir : "/dev/shm", (int)getpid());
	memset(buf4k, 'x', sizeof buf4k);

	uint64_t t0 = mono_ns();
	w->fn(n);
	uint64_t t = mono_ns() - t0;
	printf("%s iters=%ld total_ns=%llu ns_per_iter=%.1f\n", w->name, n, (unsigned long long)t, (double)t / (double)n);
	return 0;
}
