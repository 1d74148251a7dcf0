/* Child for the procfs tests: sets a known comm, reports its own page-fault
 * counts on stdout, then waits to be inspected (and killed). */
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void)
{
	struct rusage ru;
	char line[64];
	prctl(PR_SET_NAME, "pdigcomm", 0, 0, 0);
	getrusage(RUSAGE_SELF, &ru);
	int n = snprintf(line, sizeof(line), "%ld %ld\n", ru.ru_minflt, ru.ru_majflt);
	if (write(1, line, (size_t)n) != n)
		return 1;
	for (;;)
		pause();
}
