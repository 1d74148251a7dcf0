/* The suspect races pdig's owner check: F_SETOWN_EX and FIOSETOWN pass
 * the owner in memory, which a sibling thread rewrites between pdig's
 * check and the kernel's read.
 *   setown_race HOW ROUNDS
 * HOW: ex (F_SETOWN_EX, F_OWNER_PID: its own pid <-> pdig's), tid
 * (F_SETOWN_EX: F_OWNER_TID of itself <-> F_OWNER_PID of pdig), ioctl
 * (FIOSETOWN on a socket: its own pid <-> pdig's). pdig is its parent
 * (spawn mode). A sibling flips the owner between the two as fast as it
 * can; each round makes a new file, sets its owner, and reads back with
 * F_GETOWN_EX what the kernel set. No O_ASYNC: pdig gets no signal even
 * when the race is won. Each call is made with the syscall instruction
 * directly, to see that rsi and rdx come back as they went in.
 * Prints "rounds=N ok=O refused=R won=W regs=B": O calls succeeded, R
 * failed with EPERM, W left pdig the owner (must be 0), B came back with
 * other rsi/rdx (must be 0). */
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FIOSETOWN_CMD 0x8901

static volatile int stop;
static volatile uint64_t owner; /* the struct f_owner_ex, or the int */
static uint64_t benign, evil;

static void *flipper(void *arg)
{
	(void)arg;
	while (!stop) {
		__atomic_store_n(&owner, evil, __ATOMIC_RELAXED);
		__atomic_store_n(&owner, benign, __ATOMIC_RELAXED);
	}
	return NULL;
}

static uint64_t pack(int type, int pid)
{
	struct f_owner_ex o = { type, pid };
	uint64_t v;
	memcpy(&v, &o, sizeof v);
	return v;
}

/* syscall(nr, a, b, c), reporting whether rsi and rdx came back unchanged */
static long raw3(long nr, long a, long b, long c, int *regs_ok)
{
	long ret;
	register long rsi __asm__("rsi") = b;
	register long rdx __asm__("rdx") = c;
	__asm__ volatile("syscall" : "=a"(ret), "+r"(rsi), "+r"(rdx) : "a"(nr), "D"(a) : "rcx", "r11", "memory");
	*regs_ok = rsi == b && rdx == c;
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	const char *how = argv[1];
	int rounds = atoi(argv[2]);
	pid_t me = getpid(), pdig = getppid(), tid = (pid_t)syscall(SYS_gettid);
	bool io = !strcmp(how, "ioctl");
	if (io) {
		benign = (uint32_t)me;
		evil = (uint32_t)pdig;
	} else {
		benign = !strcmp(how, "tid") ? pack(F_OWNER_TID, tid) : pack(F_OWNER_PID, me);
		evil = pack(F_OWNER_PID, pdig);
	}
	owner = benign;
	pthread_t th;
	if (pthread_create(&th, NULL, flipper, NULL) != 0)
		return 1;
	int ok = 0, refused = 0, won = 0, regs = 0;
	for (int i = 0; i < rounds; i++) {
		int p[2];
		if (io ? socketpair(AF_UNIX, SOCK_STREAM, 0, p) : pipe(p))
			return 2;
		int regs_ok;
		long rc = io ? raw3(SYS_ioctl, p[0], FIOSETOWN_CMD, (long)&owner, &regs_ok)
		             : raw3(SYS_fcntl, p[0], F_SETOWN_EX, (long)&owner, &regs_ok);
		regs += !regs_ok;
		if (rc == 0) {
			ok++;
			struct f_owner_ex got = { 0, 0 };
			if (fcntl(p[0], F_GETOWN_EX, &got) == 0 && got.pid == pdig && got.type != F_OWNER_PGRP)
				won++;
		} else if (rc == -1 /* -EPERM */) {
			refused++;
		}
		close(p[0]);
		close(p[1]);
	}
	stop = 1;
	pthread_join(th, NULL);
	printf("rounds=%d ok=%d refused=%d won=%d regs=%d\n", rounds, ok, refused, won, regs);
	return 0;
}
