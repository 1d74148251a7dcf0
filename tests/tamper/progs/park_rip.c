/* A forked child is handed to another tracer thread at its first stop
 * (pdig --threads N, docs/scale.md "The park"). It must never fetch an
 * instruction while it has no tracer, whatever a sibling does to the
 * bytes it returns from: the toggler thread flips the `syscall` of the
 * fork stub (a shared RWX page) to two nops and back, all the time. pdig
 * makes the child run its park's clone from those very bytes, and its
 * helper thread's exit too. After every return from the stub but the
 * parent's own nops (57), the thread opens /etc/hostname with a raw
 * syscall: ENOSYS means the filter found no tracer, i.e. it ran untraced.
 * With "stopcont" the parent stops and continues each new child at once
 * (a stopped-then-continued sleep must not restart through those bytes).
 * The program has a SIGSEGV handler, which each child checks is still
 * there: a fault of the park's making (the changed bytes) raised while
 * SIGSEGV was blocked made the kernel reset it to SIG_DFL process-wide.
 * Prints "forks F ran_nops N untraced U lost_segv_handler L"; the test
 * wants U == 0 and L == 0. */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	volatile long ran_nops, untraced, lost_handler;
	volatile int stop;
};
static unsigned char *code;
static struct shared *sh;

static void *toggler(void *arg)
{
	(void)arg;
	volatile uint16_t *p = (volatile uint16_t *)(code + 5);
	while (!sh->stop) {
		*p = 0x050f; /* syscall */
		for (volatile int k = 0; k < 300; k++)
			;
		*p = 0x9090; /* nop nop */
		for (volatile int k = 0; k < 300; k++)
			;
	}
	*p = 0x050f;
	return NULL;
}

/* openat(AT_FDCWD, "/etc/hostname", O_RDONLY) without libc: -ENOSYS if
 * the filter found no tracer */
static long raw_open(void)
{
	static const char path[] = "/etc/hostname";
	long ret;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "0"(257L), "D"(-100L), "S"(path), "d"(0L)
	                 : "rcx", "r11", "memory");
	return ret;
}

/* The toggler rewrites code another CPU may be fetching, without the
 * serialization cross-modifying code needs: now and then a fetch sees a
 * torn mix (90 05: an add that swallows the bytes after the stub) and
 * faults, with no tracer at all (1 run in 30 untraced on an EPYC VM). In
 * the parent that is the CPU's doing, not pdig's: it goes back to its loop
 * (counted). Anywhere else the handler ends the process with 99. */
static sigjmp_buf parent_retry;
static volatile sig_atomic_t in_stub;
static pid_t parent;
static long parent_faults;

static void on_segv(int s)
{
	(void)s;
	if (in_stub && getpid() == parent) {
		parent_faults++;
		siglongjmp(parent_retry, 1);
	}
	_exit(99);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv };
	sigaction(SIGSEGV, &sa, NULL);
	int rounds = argc > 1 ? atoi(argv[1]) : 300;
	int stopcont = argc > 2 && strcmp(argv[2], "stopcont") == 0;
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED || sh == MAP_FAILED)
		return 1;
	/* mov eax, 57 (fork); syscall; ret */
	static const unsigned char stub[] = { 0xb8, 57, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	memcpy(code, stub, sizeof stub);
	long (*f)(void) = (long (*)(void))(void *)code;
	parent = getpid();
	pthread_t t;
	if (pthread_create(&t, NULL, toggler, NULL) != 0)
		return 1;
	time_t end = time(NULL) + 30;
	volatile int forks = 0; /* kept across a siglongjmp */
	while (forks < rounds && time(NULL) < end) {
		/* (SIGSEGV is unblocked again by siglongjmp: savemask) */
		if (sigsetjmp(parent_retry, 1))
			continue;
		in_stub = 1;
		long r = f();
		in_stub = 0;
		if (r == 57)
			continue; /* the parent's own fetch saw the nops */
		long fd = raw_open();
		if (fd == -38)
			__atomic_fetch_add(&sh->untraced, 1, __ATOMIC_RELAXED);
		else if (fd >= 0)
			close((int)fd);
		if (getpid() != parent) {
			struct sigaction cur;
			sigaction(SIGSEGV, NULL, &cur);
			if (cur.sa_handler != on_segv)
				__atomic_fetch_add(&sh->lost_handler, 1, __ATOMIC_RELAXED);
			/* a child: 0, or whatever the changed bytes left it */
			if (r != 0)
				__atomic_fetch_add(&sh->ran_nops, 1, __ATOMIC_RELAXED);
			_exit(0);
		}
		if (r > 0) {
			if (stopcont) {
				kill((pid_t)r, SIGSTOP);
				kill((pid_t)r, SIGCONT);
			}
			forks++;
			int st;
			waitpid((pid_t)r, &st, 0);
		}
	}
	sh->stop = 1;
	pthread_join(t, NULL);
	fprintf(stderr, "park_rip: the parent's own torn fetches: %ld\n", parent_faults);
	printf("forks %d ran_nops %ld untraced %ld lost_segv_handler %ld\n", forks, sh->ran_nops, sh->untraced, sh->lost_handler);
	return 0;
}
