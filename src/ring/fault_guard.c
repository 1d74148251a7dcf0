/* The SIGBUS guard (ring/fault_guard.h). */
#include <string.h>
#include <stdbool.h>
#include <ucontext.h>

#include "ring/fault_guard.h"

sigjmp_buf fault_guard_jmp;
volatile sig_atomic_t fault_guard_armed;
static bool installed;
static sigset_t kept_out; /* held off while the handler runs */

static void on_sigbus(int sig, siginfo_t *si, void *ucv)
{
	(void)si;
	if (fault_guard_armed) {
		fault_guard_armed = 0;
		/* what sigreturn would have restored: the jump saves no mask,
		 * and the kept-out signals must not stay blocked after it. A
		 * request held off meanwhile runs here, after this, so what
		 * its handler blocks stays blocked through the jump */
		const ucontext_t *uc = ucv;
		sigprocmask(SIG_SETMASK, &uc->uc_sigmask, NULL);
		siglongjmp(fault_guard_jmp, 1);
	}
	/* not a guarded access: die of it as without us */
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sa.sa_mask = kept_out;
	if (sigaction(SIGBUS, &sa, NULL) == 0)
		installed = true;
}

void fault_guard_keep_out(const sigset_t *set)
{
	kept_out = *set;
	if (installed)
		install();
}

void fault_guard_install(void)
{
	if (!installed)
		install();
}
