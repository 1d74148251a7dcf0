/* Syscalls the driver reports only as generic events (no UF_USED in the
 * schema 1.0.0 table): kernel module loads, which Falco's "Linux Kernel
 * Module Injection" rule tests, memfd_create (no table entry at all: ID
 * 0), prctl and getpid. The module loads are made to fail (no privilege,
 * or an image that is no ELF file, or a bad fd), so nothing is loaded;
 * the driver reports failed calls all the same. */
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *name, long r)
{
	printf("%s=%ld errno=%d\n", name, r, r < 0 ? errno : 0);
}

int main(void)
{
	static const char image[] = "not an ELF module";
	show("init_module", syscall(SYS_init_module, image, sizeof image, ""));
	show("finit_module", syscall(SYS_finit_module, -1, "", 0));
	long fd = syscall(SYS_memfd_create, "pdig-generic", 1u /* MFD_CLOEXEC */);
	show("memfd_create", fd);
	show("prctl", prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	show("getpid", syscall(SYS_getpid));
	if (fd >= 0)
		close((int)fd);
	return 0;
}
