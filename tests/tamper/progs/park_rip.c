/* A forked child is handed to another tracer thread at its first stop
 * (pdig --threads N, docs/scale.md): it is parked in pause() on the way.
 * It must never fetch an instruction while it has no tracer: a sibling can
 * rewrite the `syscall` it returns from (here a shared RWX page) between
 * pdig's check of those bytes and the fetch. The toggler thread flips
 * them between `syscall` and two nops; a child that ran the nops returns
 * __NR_pause (34) from the stub and then opens /etc/hostname with a raw
 * syscall: ENOSYS means the filter found no tracer, i.e. it ran untraced.
 * Prints "forks F ran_nops N untraced U"; the test wants U == 0. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct shared {
	volatile long ran_nops, untraced;
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

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 300;
	code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (code == MAP_FAILED || sh == MAP_FAILED)
		return 1;
	/* mov eax, 57 (fork); syscall; ret */
	static const unsigned char stub[] = { 0xb8, 57, 0, 0, 0, 0x0f, 0x05, 0xc3 };
	memcpy(code, stub, sizeof stub);
	long (*f)(void) = (long (*)(void))(void *)code;
	pthread_t t;
	if (pthread_create(&t, NULL, toggler, NULL) != 0)
		return 1;
	time_t end = time(NULL) + 30;
	int forks = 0;
	while (forks < rounds && time(NULL) < end) {
		long r = f();
		if (r == 57)
			continue; /* this thread's own fetch saw the nops */
		if (r == 0)
			_exit(0); /* the child, run as it should */
		if (r == 34) {
			/* a child that ran the nops at rip-2 and fell through */
			__atomic_fetch_add(&sh->ran_nops, 1, __ATOMIC_RELAXED);
			static const char path[] = "/etc/hostname";
			long ret;
			__asm__ volatile("syscall"
			                 : "=a"(ret)
			                 : "0"(257L), "D"(-100L), "S"(path), "d"(0L)
			                 : "rcx", "r11", "memory");
			if (ret == -38)
				__atomic_fetch_add(&sh->untraced, 1, __ATOMIC_RELAXED);
			_exit(0);
		}
		if (r > 0) {
			forks++;
			int st;
			waitpid((pid_t)r, &st, 0);
		}
	}
	sh->stop = 1;
	pthread_join(t, NULL);
	printf("forks %d ran_nops %ld untraced %ld\n", forks, sh->ran_nops, sh->untraced);
	return 0;
}
