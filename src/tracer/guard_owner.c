/* A file's signal owner named by a tracee (fcntl F_SETOWN/F_SETOWN_EX,
 * ioctl FIOSETOWN/SIOCSPGRP): with O_ASYNC (and F_SETSIG) I/O on the file
 * makes the kernel signal the owner, SIGKILL included, with no kill call.
 * An owner that names pdig's process, one of its threads, or a process
 * group pdig (or its -S front) is in is refused with EPERM (guard.c checks
 * it as a kill's target).
 *
 * F_SETOWN passes the owner in a register, which nobody can change while
 * the caller is stopped. F_SETOWN_EX and the ioctls pass a pointer: the
 * kernel reads the owner from the program's memory after pdig's check, and
 * a sibling thread (or any process sharing that memory) could rewrite it in
 * between to name pdig. So the value pdig checked is the one the kernel
 * gets:
 * - F_OWNER_PID and F_OWNER_PGRP, and FIOSETOWN/SIOCSPGRP on a socket: the
 *   call is turned into fcntl(fd, F_SETOWN, owner) (-owner for a group),
 *   the checked value in a register. The kernel does the same with either
 *   (f_setown_ex, and sock_ioctl's get_user + f_setown, make the owner
 *   change F_SETOWN makes, with the caller's credentials). Where F_SETOWN
 *   would read the value otherwise (a negative pid would be a group), pdig
 *   fails the call as the kernel would: ESRCH for a pid that names no
 *   process, EINVAL for an unknown owner type.
 * - F_OWNER_TID (one thread): F_SETOWN cannot name a thread, and no other
 *   call takes one in a register. The call is pointed at a copy of the
 *   checked struct below the thread's red zone (as clone3's args,
 *   untraced.c), so rewriting the struct the program passed changes
 *   nothing; a sibling that finds the copy (the stack pointer is its to
 *   guess) can still race it: left open (README). So is FIOSETOWN on a
 *   file that is not a socket (only sockets answer it in the kernel;
 *   turned into F_SETOWN it would succeed where it fails): the ioctl runs,
 *   pointed at a copy.
 * The call is followed to its exit, where the program's registers are put
 * back (the program may count on rsi/rdx after a syscall). Not pinned: a
 * call through a 32-bit ABI. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <unistd.h>

#include "tracer_internal.h"

#define PINNED_MAX 64
#define RED_ZONE 128

static struct {
	pid_t tid;
	uint64_t rsi, rdx; /* the program's, put back at the exit */
} pinned[PINNED_MAX];
static int n_pinned; /* under the core lock */

static int find(pid_t tid)
{
	for (int i = 0; i < n_pinned; i++)
		if (pinned[i].tid == tid)
			return i;
	return -1;
}

/* Is fd of tid a socket (its /proc link says socket:[inode])? */
static bool is_socket(pid_t tid, int fd)
{
	char p[64], link[32];
	snprintf(p, sizeof p, "/proc/%d/fd/%d", (int)tid, fd);
	ssize_t n = readlink(p, link, sizeof link - 1);
	return n > 7 && memcmp(link, "socket:", 7) == 0;
}

/* The owner call of tid, checked: its registers now pass the owner to the
 * kernel in a way its siblings cannot change in between (the header):
 * with in_register, as fcntl(fd, F_SETOWN, who); else pointed at a copy
 * of the len bytes at value below the red zone. false: it could not be
 * pinned (a 32-bit call, registers unreadable), it runs as it came. */
static bool pin(pid_t tid, uint64_t nr, const uint64_t *args, bool in_register, long who, const void *value,
                size_t len)
{
	int stale = find(tid); /* a call whose exit pdig never saw */
	if (stale >= 0)
		pinned[stale] = pinned[--n_pinned];
	if (n_pinned == PINNED_MAX)
		return false;
	struct user_regs_struct r;
	if (ptrace(PTRACE_GETREGS, tid, 0, &r) < 0)
		return false;
	/* the native ABI only: a 32-bit call has another number here */
	if (r.orig_rax != nr || r.rdi != args[0] || r.rsi != args[1] || r.rdx != args[2])
		return false;
	uint64_t rsi = r.rsi, rdx = r.rdx;
	if (in_register) {
		r.orig_rax = SYS_fcntl;
		r.rsi = F_SETOWN;
		r.rdx = (uint64_t)(int64_t)who;
	} else {
		uint64_t copy = (r.rsp - RED_ZONE - 16) & ~15ull;
		char buf[16] = { 0 };
		memcpy(buf, value, len);
		if (mem_write(tid, copy, buf, sizeof buf) < 0)
			return false;
		r.rdx = copy;
	}
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) < 0)
		return false;
	pinned[n_pinned++] = (typeof(pinned[0])){ tid, rsi, rdx };
	return true;
}

int guard_owner_check(const struct thread *t, uint64_t nr, const uint64_t *args,
                      bool (*reaches_pdig)(int type, long who))
{
	unsigned cmd = (unsigned)args[1];
	bool ex = nr == SYS_fcntl && cmd == F_SETOWN_EX;
	bool io = nr == SYS_ioctl && (cmd == 0x8901 /* FIOSETOWN */ || cmd == 0x8902 /* SIOCSPGRP */);
	if (nr == SYS_fcntl && cmd == F_SETOWN) {
		/* in a register: a negative owner is a process group */
		long who = (int)args[2];
		return who < 0 ? (reaches_pdig(F_OWNER_PGRP, -who) ? EPERM : 0)
		               : (reaches_pdig(F_OWNER_PID, who) ? EPERM : 0);
	}
	if (!ex && !io)
		return 0;
	struct mem_reader r;
	const struct tracee_mem *m = mem_reader_init(&r, NULL, t->tid, MEM_PLAIN);
	struct f_owner_ex o = { F_OWNER_PID, 0 };
	if (io) {
		/* FIOSETOWN and SIOCSPGRP: an int, read as F_SETOWN's */
		int pid;
		/* unreadable: failed as the kernel fails it, not let run (a
		 * sibling could map the page before the kernel reads it) */
		if (mem_read_exact(m, args[2], &pid, sizeof pid) < 0)
			return EFAULT;
		if (pid == INT_MIN) { /* f_setown cannot negate it: EINVAL */
			if (is_socket(t->tid, (int)args[0]))
				return EINVAL;
			pin(t->tid, nr, args, false, 0, &pid, sizeof pid);
			return 0;
		}
		o.type = pid < 0 ? F_OWNER_PGRP : F_OWNER_PID;
		o.pid = pid < 0 ? -pid : pid;
	} else if (mem_read_exact(m, args[2], &o, sizeof o) < 0) {
		return EFAULT;
	}
	if (o.type != F_OWNER_TID && o.type != F_OWNER_PID && o.type != F_OWNER_PGRP)
		return EINVAL; /* f_setown_ex's answer to an unknown type */
	if (o.pid < 0)
		return ESRCH; /* f_setown_ex: find_vpid finds no such pid */
	if (reaches_pdig(o.type, o.pid))
		return EPERM;
	if (io) {
		int pid = o.type == F_OWNER_PGRP ? -o.pid : o.pid;
		pin(t->tid, nr, args, is_socket(t->tid, (int)args[0]), pid, &pid, sizeof pid);
	} else {
		pin(t->tid, nr, args, o.type != F_OWNER_TID, o.type == F_OWNER_PGRP ? -o.pid : o.pid, &o, sizeof o);
	}
	return 0;
}

bool guard_owner_follows(pid_t tid)
{
	return n_pinned && find(tid) >= 0;
}

void guard_owner_done(pid_t tid, bool alive)
{
	int i = n_pinned ? find(tid) : -1;
	if (i < 0)
		return;
	if (alive) {
		ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, rsi), (void *)pinned[i].rsi);
		ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, rdx), (void *)pinned[i].rdx);
	}
	pinned[i] = pinned[--n_pinned];
}
