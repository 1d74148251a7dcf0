/* Credential and namespace syscalls. As root, a child switches to
 * 65534 (setgid, setresgid, setuid, setresuid), then everything that
 * needs privilege fails with EPERM. Prints "key value..." lines. */
#ifndef _GNU_SOURCE /* CMake may already define it */
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void ids(const char *tag)
{
	unsigned r, e, s, gr, ge, gs;
	syscall(SYS_getresuid, &r, &e, &s);
	syscall(SYS_getresgid, &gr, &ge, &gs);
	printf("%s uid %ld euid %ld gid %ld egid %ld res %u %u %u %u %u %u\n", tag,
	       syscall(SYS_getuid), syscall(SYS_geteuid), syscall(SYS_getgid),
	       syscall(SYS_getegid), r, e, s, gr, ge, gs);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ids("parent");
	/* namespaces, with privilege */
	int ns = open("/proc/self/ns/uts", O_RDONLY);
	printf("nsfd %d\n", ns);
	syscall(SYS_setns, ns, CLONE_NEWUTS);             /* rejoin our own */
	syscall(SYS_setns, ns, CLONE_NEWNET);             /* EINVAL: not a net ns */
	syscall(SYS_setns, -1, 0);                        /* EBADF */
	pid_t p = fork();
	if (p == 0) {
		syscall(SYS_unshare, CLONE_NEWUTS);
		syscall(SYS_unshare, CLONE_PARENT);           /* EINVAL: not unshareable */
		syscall(SYS_setgid, 65534);
		syscall(SYS_setresgid, 65534, 65534, 65534);
		syscall(SYS_setuid, 65534);
		syscall(SYS_setresuid, 65534, 65534, 65534);
		ids("child");
		/* without privilege */
		syscall(SYS_setuid, 0);                       /* EPERM */
		syscall(SYS_setgid, 0);                       /* EPERM */
		syscall(SYS_setresuid, 0, 0, 0);              /* EPERM */
		syscall(SYS_setresgid, 0, -1, -1);            /* EPERM */
		syscall(SYS_unshare, CLONE_NEWUTS);           /* EPERM */
		syscall(SYS_setns, ns, CLONE_NEWUTS);         /* EPERM */
		_exit(0);
	}
	int st;
	waitpid(p, &st, 0);
	printf("child %d status %d\n", p, st);
	return 0;
}
