/* See check.h. Failures go to stderr, the summary to stdout. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"

int check_count, check_failures;

/* Counts one check; on failure prints "file:line: FAIL: " and returns
 * false, leaving the rest of the line to the caller. */
static bool counted(const char *file, int line, bool ok)
{
	check_count++;
	if (ok)
		return true;
	check_failures++;
	fprintf(stderr, "%s:%d: FAIL: ", file, line);
	return false;
}

bool check_at(const char *file, int line, bool ok, const char *expr)
{
	if (!counted(file, line, ok))
		fprintf(stderr, "CHECK(%s)\n", expr);
	return ok;
}

bool check_msg_at(const char *file, int line, bool ok, const char *expr, const char *fmt, ...)
{
	if (counted(file, line, ok))
		return true;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " [CHECK(%s)]\n", expr);
	return false;
}

bool check_int_at(const char *file, int line, const char *ea, const char *eb, long long a, long long b)
{
	if (!counted(file, line, a == b))
		fprintf(stderr, "%s == %s: %lld (%#llx) != %lld (%#llx)\n", ea, eb, a,
			(unsigned long long)a, b, (unsigned long long)b);
	return a == b;
}

bool check_str_at(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b)
{
	bool ok = a && b && !strcmp(a, b);
	if (!counted(file, line, ok))
		fprintf(stderr, "%s == %s: got \"%s\", want \"%s\"\n", ea, eb, a ? a : "(null)",
			b ? b : "(null)");
	return ok;
}

bool check_mem_at(const char *file, int line, const char *ea, const char *eb, const void *a, const void *b,
		  size_t n)
{
	const unsigned char *x = a, *y = b;
	size_t i = 0;
	while (i < n && x[i] == y[i])
		i++;
	if (!counted(file, line, i == n))
		fprintf(stderr, "%s == %s (%zu bytes): byte %zu is 0x%02x, want 0x%02x\n", ea, eb, n, i,
			x[i], y[i]);
	return i == n;
}

void check_fail_at(const char *file, int line, const char *fmt, ...)
{
	counted(file, line, false);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void check_skip(const char *part, const char *fmt, ...)
{
	printf("SKIP: %s: ", part);
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

int check_done(const char *name)
{
	if (check_failures) {
		fprintf(stderr, "%s: %d of %d checks failed\n", name, check_failures, check_count);
		return 1;
	}
	if (check_count)
		printf("%s: all %d checks ok\n", name, check_count);
	else
		printf("%s: ok\n", name);
	return 0;
}
