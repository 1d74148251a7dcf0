/* The SIGBUS guard (ring/fault_guard.h). */
#include <string.h>
#include <stdbool.h>

#include "ring/fault_guard.h"

sigjmp_buf fault_guard_jmp;
volatile sig_atomic_t fault_guard_armed;
static bool installed;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (fault_guard_armed) {
		fault_guard_armed = 0;
		siglongjmp(fault_guard_jmp, 1);
	}
	/* not a guarded access: die of it as without us */
	signal(sig, SIG_DFL);
	raise(sig);
}

void fault_guard_install(void)
{
	if (installed)
		return;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		installed = true;
}
