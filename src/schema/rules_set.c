/* Syscall sets from Falco rules, and libsinsp's repair of a set.
 *
 * The files are read as Falco's loader reads them (rules_db.c) and each
 * enabled rule's condition gives the event types it can match
 * (rules_cond.c), as libsinsp computes them. What libsinsp
 * needs beside the rules' syscalls is its sinsp_repair_state_sc_set()
 * (falcosecurity/libs, userspace/libsinsp/events/sinsp_events_ppm_sc.cpp),
 * which Falco applies with `base_syscalls.repair: true`; Falco's default
 * instead adds every state-changing syscall, which is pdig's default set. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rules_db.h"
#include "schema/rules_set.h"

#define RULES_MAX_BYTES (8u << 20)

/* Base categories of the event table (the low byte of a category). */
enum { CAT_FILE = 2, CAT_NET = 3, CAT_IO_READ = 32, CAT_IO_WRITE = 33, CAT_IO_OTHER = 34 };

static char *read_all(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "--rules: %s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "--rules: %s: not a regular file", path);
		fclose(f);
		return NULL;
	}
	/* one byte more than allowed: a longer file is refused, not cut */
	char *buf = malloc(RULES_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, RULES_MAX_BYTES + 1, f) : 0;
	bool failed = buf && ferror(f);
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "--rules: out of memory");
		return NULL;
	}
	if (failed || n > RULES_MAX_BYTES) {
		snprintf(err, errlen, failed ? "--rules: %s: cannot be read" : "--rules: %s: larger than 8 MiB", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		snprintf(err, errlen, "--rules: %s: holds a NUL byte: not a rules file", path);
		free(buf);
		return NULL;
	}
	return buf;
}

int rules_set_from_files(const char *const *paths, int n, struct syscall_set *set, FILE *warn, char *err,
			 size_t errlen)
{
	struct rules_db *db = rules_db_new();
	if (!db) {
		snprintf(err, errlen, "--rules: out of memory");
		return -1;
	}
	int rc = 0;
	char why[512];
	for (int i = 0; i < n && rc == 0; i++) {
		char *text = read_all(paths[i], err, errlen);
		if (!text) {
			rc = -1;
			break;
		}
		if (rules_db_load_text(db, paths[i], text, why, sizeof why) < 0) {
			snprintf(err, errlen, "--rules: %s", why);
			rc = -1;
		}
		free(text);
	}
	if (rc == 0 && (rc = rules_db_select(db, set, warn, why, sizeof why)) < 0)
		snprintf(err, errlen, "--rules: %s", why);
	rules_db_free(db);
	return rc;
}

/* Falco's selection drops these unless run with -A (falco::app
 * ignored_sc_set: read, write and their vector and positional forms,
 * sendfile; recv and send, which x86-64 does not have, too). */
static const char *const high_volume_io[] = {
	"pread64", "preadv", "pwrite64", "pwritev", "read", "readv", "sendfile", "write", "writev",
};

int syscall_set_drop_io(struct syscall_set *set, char *names, size_t len)
{
	int dropped = 0;
	size_t used = 0;
	if (len)
		names[0] = '\0';
	for (size_t i = 0; i < sizeof high_volume_io / sizeof *high_volume_io; i++) {
		int nr = pdig_syscall_by_name(high_volume_io[i]);
		if (nr < 0 || !set->on[nr])
			continue;
		set->on[nr] = 0;
		dropped++;
		int w = snprintf(names + used, len - used, "%s%s", used ? "," : "", high_volume_io[i]);
		if (w > 0 && (size_t)w < len - used)
			used += (size_t)w;
	}
	return dropped;
}

static int base_category(uint64_t nr)
{
	const struct pdig_schema *s = pdig_schema_get(SCHEMA_COUNT - 1);
	const struct pdig_syscall *sc = pdig_schema_syscall(s, nr);
	const struct pdig_event *e = sc && (sc->flags & SCF_USED) ? pdig_schema_event(s, sc->exit) : NULL;
	return e ? e->category & 0xff : -1;
}

static void add(struct syscall_set *set, const char *name)
{
	int nr = pdig_syscall_by_name(name);
	if (nr >= 0)
		set->on[nr] = 1;
}

void syscall_set_repair(struct syscall_set *set)
{
	bool net = false, fds = false, binds = false;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (!set->on[nr])
			continue;
		int cat = base_category(nr);
		net |= cat == CAT_NET;
		fds |= cat == CAT_NET || cat == CAT_FILE || cat == CAT_IO_READ || cat == CAT_IO_WRITE ||
		       cat == CAT_IO_OTHER;
		const char *n = pdig_native_names[nr];
		binds |= n && (!strcmp(n, "accept") || !strcmp(n, "accept4") || !strcmp(n, "listen"));
	}
	static const char *const always[] = {
		"clone", "clone3", "fork", "vfork", "execve", "execveat", "fchdir", "chdir", "chroot", "capset",
		"setgid", "setpgid", "setresgid", "setresuid", "setsid", "setuid", "prctl",
	};
	for (size_t i = 0; i < sizeof always / sizeof *always; i++)
		add(set, always[i]);
	if (net) {
		add(set, "socket");
		add(set, "getsockopt");
	}
	if (binds)
		add(set, "bind");
	if (fds) {
		add(set, "close");
		add(set, "dup2");
		add(set, "dup3");
		add(set, "close_range");
		add(set, "io_uring_setup");
	}
}

void syscall_set_names(const struct syscall_set *set, char *buf, size_t len)
{
	size_t used = 0;
	if (len)
		buf[0] = '\0';
	for (int nr = 0; nr < PDIG_SYSCALL_MAX && len; nr++) {
		if (!set->on[nr] || !pdig_native_names[nr])
			continue;
		int w = snprintf(buf + used, len - used, "%s%s", used ? "," : "", pdig_native_names[nr]);
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}
