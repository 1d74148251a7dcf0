/* -e trace=LIST parsing: names, classes, negation, errors. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "check.h"
#include "schema/schema.h"
#include "schema/trace_filter.h"


static int count(const struct syscall_set *s)
{
	int n = 0;
	for (int i = 0; i < PDIG_SYSCALL_MAX; i++)
		n += s->on[i] != 0;
	return n;
}

/* Applies the expressions to a default set; returns the last result. */
static int run(struct syscall_set *s, char *err, const char *e1, const char *e2)
{
	int first = 1;
	syscall_set_init(s, false);
	err[0] = 0;
	int rc = trace_filter_apply(e1, s, &first, err, 256);
	if (rc == 0 && e2)
		rc = trace_filter_apply(e2, s, &first, err, 256);
	return rc;
}

int main(void)
{
	struct syscall_set s;
	char err[256];
	/* every number the driver reports: UF_USED ones and generic ones */
	int nused = 0;
	for (int i = 0; i < PDIG_SYSCALL_MAX; i++)
		nused += pdig_syscall_reported(i);
	CHECK_MSG(nused == PDIG_SYSCALL_MAX, "the driver reports all %d numbers of its table", PDIG_SYSCALL_MAX);

	CHECK_MSG(run(&s, err, "trace=openat,close", NULL) == 0, "%s", err);
	CHECK_MSG(count(&s) == 2 && s.on[SYS_openat] && s.on[SYS_close], "exactly openat,close: %d", count(&s));

	CHECK_MSG(run(&s, err, "openat", NULL) == 0, "bare list: %s", err);
	CHECK_MSG(count(&s) == 1 && s.on[SYS_openat], "bare list gives openat");

	/* strace accumulates repeated -e trace */
	CHECK_MSG(run(&s, err, "trace=openat", "trace=read") == 0, "%s", err);
	CHECK_MSG(count(&s) == 2 && s.on[SYS_openat] && s.on[SYS_read], "two -e add up");

	CHECK_MSG(run(&s, err, "trace=%network", NULL) == 0, "%s", err);
	CHECK_MSG(s.on[SYS_socket] && s.on[SYS_connect] && s.on[SYS_accept4] && s.on[SYS_sendto] &&
	      s.on[SYS_recvfrom] && s.on[SYS_bind] && s.on[SYS_listen], "%%network has the socket calls");
	CHECK_MSG(!s.on[SYS_openat] && !s.on[SYS_close] && !s.on[SYS_read], "%%network has no file calls");

	CHECK_MSG(run(&s, err, "trace=%file", NULL) == 0, "%s", err);
	CHECK_MSG(s.on[SYS_openat] && s.on[SYS_open] && s.on[SYS_execve] && s.on[SYS_unlinkat] &&
	      !s.on[SYS_close] && !s.on[SYS_read], "%%file: path-taking calls only");

	CHECK_MSG(run(&s, err, "trace=%process", NULL) == 0, "%s", err);
	CHECK_MSG(s.on[SYS_clone] && s.on[SYS_execve] && s.on[SYS_fork] && s.on[SYS_vfork] &&
	      !s.on[SYS_openat], "%%process");

	CHECK_MSG(run(&s, err, "trace=%desc", NULL) == 0, "%s", err);
	CHECK_MSG(s.on[SYS_read] && s.on[SYS_close] && s.on[SYS_openat] && !s.on[SYS_socket], "%%desc");

	CHECK_MSG(run(&s, err, "trace=%net,%memory", NULL) == 0, "%s", err);
	CHECK_MSG(s.on[SYS_socket] && s.on[SYS_mmap] && s.on[SYS_brk], "%%net alias plus %%memory");

	CHECK_MSG(run(&s, err, "trace=all", NULL) == 0, "%s", err);
	CHECK_MSG(count(&s) == nused, "all = every syscall the driver reports (%d vs %d)", count(&s), nused);

	CHECK_MSG(run(&s, err, "trace=none", NULL) == 0 && count(&s) == 0, "none");

	CHECK_MSG(run(&s, err, "trace=!openat,close", NULL) == 0, "%s", err);
	CHECK_MSG(count(&s) == nused - 2 && !s.on[SYS_openat] && !s.on[SYS_close], "negation");

	/* only syscalls with events: a set never holds an unusable number */
	CHECK_MSG(run(&s, err, "trace=%signal,%ipc,%creds", NULL) == 0, "%s", err);
	for (int i = 0; i < PDIG_SYSCALL_MAX; i++)
		CHECK_MSG(!s.on[i] || pdig_syscall_reported(i), "syscall %d outside the schema", i);
	/* classes hold their generic members (strace's membership) */
	CHECK_MSG(s.on[SYS_rt_sigaction] && s.on[SYS_msgget] && s.on[SYS_capset] && s.on[SYS_setgroups],
	          "%%signal,%%ipc,%%creds hold rt_sigaction, msgget, capset, setgroups (generic)");
	CHECK_MSG(run(&s, err, "trace=%file", NULL) == 0 && s.on[SYS_chown] && s.on[SYS_mknod] &&
	          s.on[SYS_pivot_root] && s.on[SYS_newfstatat], "%%file holds chown, mknod, pivot_root, newfstatat");

	CHECK_MSG(run(&s, err, "trace=?nosuchcall,openat", NULL) == 0 && count(&s) == 1, "'?' skips unknown");

	/* errors: one line, naming the culprit */
	CHECK_MSG(run(&s, err, "trace=openat,nosuchcall", NULL) < 0 && strstr(err, "nosuchcall") &&
	      !strchr(err, '\n'), "unknown name: '%s'", err);
	CHECK_MSG(run(&s, err, "trace=%nosuchclass", NULL) < 0 && strstr(err, "%nosuchclass"), "bad class: '%s'", err);
	CHECK_MSG(run(&s, err, "trace=", NULL) < 0, "empty list");
	CHECK_MSG(run(&s, err, "trace=openat,,close", NULL) < 0, "empty item");
	CHECK_MSG(run(&s, err, "signal=all", NULL) < 0 && strstr(err, "signal="), "other qualifiers: '%s'", err);
	/* a real syscall with no event of its own: traced, as generic events */
	int missing = -1;
	for (int i = 0; i < PDIG_SYSCALL_MAX && missing < 0; i++)
		if (pdig_native_names[i] && !pdig_syscall_info(i))
			missing = i;
	CHECK_MSG(missing >= 0, "the table has syscalls without UF_USED");
	if (missing >= 0) {
		char e[64];
		snprintf(e, sizeof e, "trace=%s", pdig_native_names[missing]);
		CHECK_MSG(run(&s, err, e, NULL) == 0 && count(&s) == 1 && s.on[missing], "%s: '%s'", e, err);
	}
	CHECK_MSG(run(&s, err, "trace=init_module,finit_module,memfd_create", NULL) == 0 && count(&s) == 3 &&
	          s.on[SYS_init_module] && s.on[SYS_finit_module] && s.on[SYS_memfd_create],
	          "generic names: '%s'", err);

	/* every class member is a real x86-64 syscall name (catches typos) */
	const char *classes[] = { "file", "network", "process", "desc", "memory", "signal", "ipc", "creds" };
	/* newer than pdig's name table (kernel 6.5+) */
	const char *later[] = { "fchmodat2", "cachestat", "map_shadow_stack", "mseal", NULL };
	for (size_t c = 0; c < sizeof classes / sizeof *classes; c++)
		for (const char *const *m = trace_filter_class(classes[c]); m && *m; m++) {
			int known = pdig_syscall_by_name(*m) >= 0;
			for (const char *const *l = later; !known && *l; l++)
				known = !strcmp(*l, *m);
			CHECK_MSG(known, "%%%s member '%s' is no syscall name", classes[c], *m);
		}

	return check_done("trace_filter");
}
