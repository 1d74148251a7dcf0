/* Syscalls through the 32-bit ABI (int 0x80) from a 64-bit process: an
 * open with an x86-64 twin (must be recorded) and a socketcall (has none:
 * pdig must say it was not recorded). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	/* int 0x80 takes 32-bit pointers: the path must live below 4 GiB */
	char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (low == MAP_FAILED)
		return 3;
	snprintf(low, 4096, "%s", argv[1]);
	long fd = int80(5 /* i386 open */, (long)low, O_RDONLY, 0);
	long sc = int80(102 /* i386 socketcall */, 1 /* SYS_SOCKET */, 0, 0);
	printf("fd %ld socketcall %ld\n", fd, sc);
	if (fd >= 0)
		close((int)fd);
	return fd >= 0 ? 0 : 1;
}
