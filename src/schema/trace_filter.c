/* Parser for -e trace=LIST (see trace_filter.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "schema/schema.h"
#include "schema/trace_filter.h"

/* Every number the driver reports can be traced: with its own events or
 * as generic ones. */
static bool used(int nr)
{
	return nr >= 0 && pdig_syscall_reported((uint64_t)nr);
}

/* Marks one item of a list in picked; 0, or -1 with err filled. */
static int add_item(const char *item, uint8_t *picked, char *err, size_t errlen)
{
	bool optional = item[0] == '?';
	if (optional)
		item++;
	if (!*item) {
		if (optional)
			return 0;
		snprintf(err, errlen, "-e trace: empty syscall name");
		return -1;
	}
	if (!strcmp(item, "all")) {
		for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
			if (used(nr))
				picked[nr] = 1;
		return 0;
	}
	if (!strcmp(item, "none"))
		return 0;
	if (item[0] == '%') {
		const char *const *m = trace_filter_class(item + 1);
		if (!m) {
			if (optional)
				return 0;
			snprintf(err, errlen, "-e trace: unknown syscall class '%s' (known: %%file %%network "
				 "%%process %%desc %%memory %%signal %%ipc %%creds)", item);
			return -1;
		}
		for (; *m; m++) {
			int nr = pdig_syscall_by_name(*m);
			if (used(nr))
				picked[nr] = 1;
		}
		return 0;
	}
	int nr = pdig_syscall_by_name(item);
	if (used(nr)) {
		picked[nr] = 1;
		return 0;
	}
	if (optional)
		return 0;
	snprintf(err, errlen, "-e trace: unknown syscall '%s'", item);
	return -1;
}

int trace_filter_apply(const char *expr, struct syscall_set *set, int *first,
		       char *err, size_t errlen)
{
	if (!strncmp(expr, "trace=", 6))
		expr += 6;
	else if (strchr(expr, '=')) {
		/* other strace qualifiers (signal=, read=, ...) have no meaning here */
		snprintf(err, errlen, "-e: only trace=LIST is supported, not '%.*s'",
			 (int)(strchr(expr, '=') - expr + 1), expr);
		return -1;
	}
	bool negate = expr[0] == '!';
	if (negate)
		expr++;
	if (!*expr) {
		snprintf(err, errlen, "-e trace: empty list (use trace=none to trace nothing)");
		return -1;
	}

	uint8_t picked[PDIG_SYSCALL_MAX];
	memset(picked, 0, sizeof picked);
	char item[128];
	for (const char *p = expr;;) {
		const char *end = strchrnul(p, ',');
		size_t n = (size_t)(end - p);
		if (n >= sizeof item) {
			snprintf(err, errlen, "-e trace: name too long: '%.20s...'", p);
			return -1;
		}
		memcpy(item, p, n);
		item[n] = '\0';
		if (add_item(item, picked, err, errlen) < 0)
			return -1;
		if (!*end)
			break;
		p = end + 1;
	}

	if (*first) {
		memset(set->on, 0, sizeof set->on);
		*first = 0;
	}
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		bool on = negate ? used(nr) && !picked[nr] : picked[nr];
		if (on)
			set->on[nr] = 1;
	}
	return 0;
}
