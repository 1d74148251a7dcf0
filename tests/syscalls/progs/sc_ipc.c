/* System V semaphores (semget, semop, semctl) and process_vm_readv/writev
 * on ourselves, each in a success and a failure case. Prints "key value". */
#ifndef _GNU_SOURCE /* CMake may already define it */
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	int id = syscall(SYS_semget, IPC_PRIVATE, 2, IPC_CREAT | 0600);
	printf("semid %d\n", id);
	syscall(SYS_semget, 0x5c5c5c5c, 1, 0);                   /* ENOENT: no such key */
	struct sembuf ops[2] = { { 0, 3, SEM_UNDO }, { 1, 1, IPC_NOWAIT } };
	syscall(SYS_semop, id, ops, 2);
	struct sembuf take = { 1, -2, IPC_NOWAIT };
	syscall(SYS_semop, id, &take, 1);                        /* EAGAIN: value is 1 */
	syscall(SYS_semctl, id, 0, SETVAL, 5);
	syscall(SYS_semctl, id, 0, 12345, 0);                    /* EINVAL */
	syscall(SYS_semctl, id, 0, IPC_RMID, 0);
	syscall(SYS_semop, id, ops, 1);                          /* EINVAL: removed */

	char src[16] = "vm-read-data", dst[16] = { 0 };
	struct iovec l = { dst, 12 }, r = { src, 12 };
	pid_t me = getpid();
	printf("pid %d\n", me);
	syscall(SYS_process_vm_readv, me, &l, 1, &r, 1, 0);
	syscall(SYS_process_vm_readv, me, &l, 1, &r, 1, 1);     /* EINVAL: flags */
	struct iovec w = { "vm-write", 8 }, wr = { dst, 8 };
	syscall(SYS_process_vm_writev, me, &w, 1, &wr, 1, 0);
	syscall(SYS_process_vm_writev, 999999, &w, 1, &wr, 1, 0); /* ESRCH */
	printf("dst %s\n", dst);
	return 0;
}
