/* Compiled and linked by the strace_diff test: the compiler driver starts
 * cc1, as, collect2 and ld through vfork-style spawns, and they open
 * headers, temporary files and libraries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char line[64];
	snprintf(line, sizeof line, "%d argument(s), first %s", argc, argc > 0 ? argv[0] : "none");
	puts(line);
	return strlen(line) > 60 ? EXIT_FAILURE : EXIT_SUCCESS;
}
