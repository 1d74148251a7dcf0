/* Look like a park's helper (the first park knew it by its registers): a thread of the program
 * makes clone(CLONE_VM|CLONE_VFORK|CLONE_THREAD|CLONE_SIGHAND, 0x1000)
 * from the same `syscall` its sibling forks from, so its child C has the
 * registers pdig takes to mean "an H of a park in flight". Page 0x1000 is
 * mapped (mmap_min_addr is 4096 here) with a return address to an exit, so
 * a C pdig does not take for an H just exits and the attempt repeats.
 * Usage: park_spoof SECONDS. Prints how many spoof clones never returned
 * (their C held by pdig forever) and exits with exit_group(0). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef NF
#define NF 6
#endif
#ifndef NS
#define NS 6
#endif
static long (*stub)(long nr, long a, long b);
static volatile long spoofs_started, spoofs_done;
static volatile long since[64];
static int nsp;
static long now_ms(void){struct timespec ts;clock_gettime(CLOCK_MONOTONIC,&ts);return ts.tv_sec*1000+ts.tv_nsec/1000000;}

__attribute__((naked)) static void c_exit(void)
{
	__asm__ volatile("mov $60, %eax\n xor %edi, %edi\n syscall\n hlt");
}

static void *forker(void *arg)
{
	(void)arg;
	for (;;) {
		long r = stub(57, 0, 0);
		if (r == 0)
			syscall(SYS_exit_group, 0);
		if (r > 0)
			waitpid((pid_t)r, NULL, 0);
	}
	return NULL;
}

static void *spoofer(void *arg)
{
	int me = __atomic_fetch_add(&nsp, 1, __ATOMIC_RELAXED);
	(void)arg;
	for (;;) {
		since[me] = now_ms();
		__atomic_fetch_add(&spoofs_started, 1, __ATOMIC_RELAXED);
		stub(SYS_clone, CLONE_VM | CLONE_VFORK | CLONE_THREAD | CLONE_SIGHAND, 0x1000);
		__atomic_fetch_add(&spoofs_done, 1, __ATOMIC_RELAXED);
		since[me] = 0;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 5;
	void *low = mmap((void *)0x1000, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (low == MAP_FAILED) {
		perror("mmap 0x1000");
		return 2;
	}
	*(uint64_t *)0x1000 = (uint64_t)(uintptr_t)c_exit;
	/* mov eax,edi; mov rdi,rsi; mov rsi,rdx; syscall; ret */
	static const unsigned char code[] = { 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6, 0x0f, 0x05, 0xc3 };
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy(p, code, sizeof code);
	stub = (long (*)(long, long, long))p;
	pthread_t t;
	for (int i = 0; i < NF; i++)
		pthread_create(&t, NULL, forker, NULL);
	for (int i = 0; i < NS; i++)
		pthread_create(&t, NULL, spoofer, NULL);
	sleep(secs);
	long st = spoofs_started, dn = spoofs_done;
	int held = 0;
	long n = now_ms();
	for (int i = 0; i < nsp; i++)
		held += since[i] && n - since[i] > 2000;
	printf("spoof clones started %ld returned %ld; in a clone for over 2 s: %d\n", st, dn, held);
	fflush(stdout);
	syscall(SYS_exit_group, 0);
}
