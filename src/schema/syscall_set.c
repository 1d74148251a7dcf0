/* Which syscalls pdig traces by default, and name lookups. */
#include <string.h>

#include "schema/schema.h"
#include "schema/syscall_set.h"

/* Syscalls that Falco's rulesets test with evt.type. Together with every
 * syscall whose events modify state, they form the default traced set.
 * Those without UF_USED (init_module, finit_module: "Linux Kernel Module
 * Injection") are reported as generic events, as the driver does. */
static const char *const falco_rule_syscalls[] = {
	"accept", "accept4", "bpf", "chmod", "connect", "creat", "dup", "dup2",
	"dup3", "execve", "execveat", "fchmod", "fchmodat", "finit_module",
	"init_module", "link", "linkat", "listen", "mkdir", "mkdirat", "open",
	"openat", "openat2", "ptrace", "recvfrom", "recvmsg", "rename",
	"renameat", "renameat2", "rmdir", "sendmsg", "sendto", "setns", "setuid",
	"socket", "symlink", "symlinkat", "unlink", "unlinkat", "unshare",
	"userfaultfd",
};

static bool modifies_state(const struct pdig_syscall *sc)
{
	return (pdig_events[sc->enter].flags | pdig_events[sc->exit].flags) & EVF_MODIFIES_STATE;
}

bool pdig_syscall_default(uint64_t nr)
{
	if (!pdig_syscall_reported(nr))
		return false;
	const struct pdig_syscall *sc = pdig_syscall_info(nr);
	if (sc && modifies_state(sc))
		return true;
	const char *name = pdig_native_names[nr];
	for (size_t i = 0; name && i < sizeof falco_rule_syscalls / sizeof *falco_rule_syscalls; i++)
		if (!strcmp(name, falco_rule_syscalls[i]))
			return true;
	return false;
}

void syscall_set_init(struct syscall_set *set, bool all)
{
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		set->on[nr] = all ? pdig_syscall_reported(nr) : pdig_syscall_default(nr);
}

int pdig_syscall_by_name(const char *name)
{
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (pdig_native_names[nr] && !strcmp(pdig_native_names[nr], name))
			return nr;
	return -1;
}

const char *pdig_syscall_name(uint64_t nr)
{
	return nr < PDIG_SYSCALL_MAX ? pdig_native_names[nr] : 0;
}
