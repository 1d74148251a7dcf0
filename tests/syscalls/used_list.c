/* Prints every syscall the schema marks UF_USED (those with events of
 * their own), or with --generic every other named one (which `pdig -a`
 * traces as generic events), or with --unknown those of them the table
 * routes to no PPM_SC code (sysdig names them "<unknown>"), one native
 * name a line, for coverage.sh and the strace diff. */
#include <stdio.h>
#include <string.h>

#include "schema/schema.h"

int main(int argc, char **argv)
{
	int unknown = argc > 1 && !strcmp(argv[1], "--unknown");
	int generic = unknown || (argc > 1 && !strcmp(argv[1], "--generic"));
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if ((pdig_syscall_info(nr) == NULL) == generic && pdig_native_names[nr] &&
		    (!unknown || !pdig_syscalls[nr].ppm_sc))
			printf("%s\n", pdig_native_names[nr]);
	return 0;
}
