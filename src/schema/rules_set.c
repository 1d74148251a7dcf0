/* Syscall sets from Falco rules, and libsinsp's repair of a set.
 *
 * The rules are scanned, not parsed: every `evt.type` comparison in the
 * file counts, in a rule or in a macro, used or not, which can only select
 * more than Falco does (a macro no rule uses), never less. What libsinsp
 * needs beside the rules' syscalls is its sinsp_repair_state_sc_set()
 * (falcosecurity/libs, userspace/libsinsp/events/sinsp_events_ppm_sc.cpp),
 * which Falco applies with `base_syscalls.repair: true`; Falco's default
 * instead adds every state-changing syscall, which is pdig's default set. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	return buf;
}

static bool name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '/'; }

/* The text of list NAME's items ("[a, b]" or "- a" lines) in rules, or
 * NULL; *len set. */
static const char *list_items(const char *rules, const char *name, size_t nlen, size_t *len)
{
	for (const char *p = rules; (p = strstr(p, "- list:")) != NULL; p++) {
		if (p != rules && p[-1] != '\n')
			continue;
		const char *q = p + 7;
		while (*q == ' ' || *q == '\t' || *q == '"' || *q == '\'')
			q++;
		if (strncmp(q, name, nlen) || name_char(q[nlen]))
			continue;
		const char *items = strstr(q, "items:");
		const char *next = strstr(q, "\n- ");
		if (!items || (next && items > next))
			return NULL;
		items += 6;
		*len = next ? (size_t)(next - items) : strlen(items);
		return items;
	}
	return NULL;
}

/* One file's scan: its text and the lists expanded so far (each list is
 * expanded once: a list naming itself, or lists naming each other, would
 * otherwise multiply the work by their length at every level). */
struct scan {
	const char *rules;
	const char *expanded[4096]; /* items of the lists expanded */
	unsigned nexpanded;
	bool too_many; /* more lists named than expanded[] holds */
};

static int add_name(struct scan *sc, const char *name, size_t nlen, struct syscall_set *set);

/* Each name in text[0..len) (separated by anything not a name character). */
static int add_names(struct scan *sc, const char *text, size_t len, struct syscall_set *set)
{
	int added = 0;
	for (size_t i = 0; i < len;) {
		if (!name_char(text[i])) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < len && name_char(text[j]))
			j++;
		added += add_name(sc, text + i, j - i, set);
		i = j;
	}
	return added;
}

/* Selects the syscalls event or syscall name selects (a list: its items). */
static int add_name(struct scan *sc, const char *name, size_t nlen, struct syscall_set *set)
{
	char n[64];
	if (nlen >= sizeof n)
		return 0;
	memcpy(n, name, nlen);
	n[nlen] = '\0';
	int added = 0;
	const struct pdig_schema *s = pdig_schema_get(SCHEMA_COUNT - 1);
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		if (!pdig_syscall_reported(nr))
			continue;
		const struct pdig_syscall *sys = pdig_schema_syscall(s, nr);
		const struct pdig_event *e = sys && (sys->flags & SCF_USED) ? pdig_schema_event(s, sys->enter) : NULL;
		bool by_event = e && !strcmp(e->name, n);
		bool by_name = !e && pdig_native_names[nr] && !strcmp(pdig_native_names[nr], n);
		if (by_event || by_name) {
			added += !set->on[nr];
			set->on[nr] = 1;
		}
	}
	size_t ilen;
	const char *items = list_items(sc->rules, n, nlen, &ilen);
	if (!items)
		return added;
	for (unsigned i = 0; i < sc->nexpanded; i++)
		if (sc->expanded[i] == items)
			return added;
	if (sc->nexpanded == sizeof sc->expanded / sizeof *sc->expanded) {
		sc->too_many = true;
		return added;
	}
	sc->expanded[sc->nexpanded++] = items;
	return added + add_names(sc, items, ilen, set);
}

/* Is the comparison at p (just past "evt.type") negated: `!=`, or `not`
 * right before it? */
static bool negated(const char *rules, const char *at, const char *op)
{
	if (op[0] == '!')
		return true;
	const char *b = at;
	while (b > rules && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '(' || b[-1] == '\n'))
		b--;
	return b - rules >= 3 && !strncmp(b - 3, "not", 3) && (b - 3 == rules || !name_char(b[-4]));
}

int rules_set_add_file(const char *path, struct syscall_set *set, char *err, size_t errlen)
{
	char *rules = read_all(path, err, errlen);
	if (!rules)
		return -1;
	static struct scan sc; /* (32 KiB: not on the stack) */
	sc.rules = rules;
	sc.nexpanded = 0;
	sc.too_many = false;
	int added = 0;
	for (const char *p = rules; (p = strstr(p, "evt.type")) != NULL;) {
		const char *at = p;
		p += 8;
		if (name_char(*p))
			continue; /* evt.type.is, ... */
		while (*p == ' ' || *p == '\t')
			p++;
		const char *op = p;
		if (*p == '=') {
			p++;
		} else if (!strncmp(p, "in", 2) && !name_char(p[2])) {
			p += 2;
		} else {
			continue; /* !=, contains, ... */
		}
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len;
		if (*p == '(') {
			const char *close = strchr(p, ')');
			if (!close)
				continue;
			p++;
			len = (size_t)(close - p);
		} else {
			len = 0;
			while (name_char(p[len]))
				len++;
		}
		if (!negated(rules, at, op))
			added += add_names(&sc, p, len, set);
		p += len;
	}
	free(rules);
	if (sc.too_many) {
		snprintf(err, errlen, "--rules: %s: more than %zu lists named", path,
		         sizeof sc.expanded / sizeof *sc.expanded);
		return -1;
	}
	return added;
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
