/* Prints every syscall the schema marks UF_USED (what `pdig -a` traces),
 * one native name a line, for coverage.sh. */
#include <stdio.h>

#include "schema/schema.h"

int main(void)
{
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (pdig_syscall_info(nr) && pdig_native_names[nr])
			printf("%s\n", pdig_native_names[nr]);
	return 0;
}
