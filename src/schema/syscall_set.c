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

/* Do syscall nr's events modify the consumer's state in schema s? */
static bool modifies_state(const struct pdig_schema *s, uint64_t nr)
{
	const struct pdig_syscall *sc = pdig_schema_syscall(s, nr);
	if (!sc)
		return false;
	const struct pdig_event *e = pdig_schema_event(s, sc->enter), *x = pdig_schema_event(s, sc->exit);
	return ((e ? e->flags : 0) | (x ? x->flags : 0)) & EVF_MODIFIES_STATE;
}

/* The state-modifying syscalls of every schema pdig writes: which one a
 * consumer wants is known only when it attaches (the Falco plugin names
 * its own), and the set is fixed before the program starts. Later schemas
 * add setreuid, capset, prctl, memfd_create, pidfd_getfd... (docs/schema.md
 * section 5). */
bool pdig_syscall_default(uint64_t nr)
{
	if (!pdig_syscall_reported(nr))
		return false;
	for (int id = 0; id < SCHEMA_COUNT; id++)
		if (modifies_state(pdig_schema_get((enum pdig_schema_id)id), nr))
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
