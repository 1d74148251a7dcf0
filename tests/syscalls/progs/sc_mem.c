/* Memory family: mmap, munmap, mprotect, brk, each once with success and
 * once with a known failure, through syscall(2). Usage: sc_mem DIR.
 * Prints the addresses the kernel chose (hex, as sysdig shows them). */
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define L(x) ((long)(x))

static long sc(long nr, long a, long b, long c, long d, long e, long f)
{
	return syscall(nr, a, b, c, d, e, f);
}

int main(int argc, char **argv)
{
	char path[1100], page[8192] = { 0 };
	if (argc < 2)
		return 2;
	snprintf(path, sizeof(path), "%s/map", argv[1]);
	long f = sc(SYS_open, L(path), O_RDWR | O_CREAT | O_TRUNC, 0600, 0, 0, 0);
	sc(SYS_write, f, L(page), sizeof(page), 0, 0, 0);

	long anon = sc(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long file = sc(SYS_mmap, 0, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, f, 4096);
	sc(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE, 999, 0);  /* EBADF */
	sc(SYS_mprotect, anon, 4096, PROT_READ, 0, 0, 0);
	sc(SYS_mprotect, anon + 1, 4096, PROT_NONE, 0, 0, 0);  /* EINVAL */
	sc(SYS_munmap, anon, 8192, 0, 0, 0, 0);
	sc(SYS_munmap, anon + 1, 10, 0, 0, 0, 0);              /* EINVAL */
	long cur = sc(SYS_brk, 0, 0, 0, 0, 0, 0);
	long grown = sc(SYS_brk, cur + 16384, 0, 0, 0, 0, 0);
	/* brk never fails with an errno: a refused request returns the
	 * unchanged break */
	long refused = sc(SYS_brk, 4096, 0, 0, 0, 0, 0);
	printf("f=%ld\nanon=%lX\nfile=%lX\nanon1=%lX\ncur=%lX\ngrown=%lX\nwant=%lX\nrefused=%lX\n",
	       f, anon, file, anon + 1, cur, grown, cur + 16384, refused);
	return 0;
}
