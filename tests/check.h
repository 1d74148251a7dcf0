/* The one assertion header of the C unit tests. Every CHECK_* counts
 * itself; a failed one prints file:line, the expression and both values
 * and counts a failure, then the test goes on, so one run shows every
 * broken check. main() ends with `return check_done("name");`.
 *
 * The checks are functions behind thin macros so each operand is
 * evaluated once, and a test helper can pass its caller's line on
 * (check_str_at(__FILE__, line, ...)). Each returns whether it held, for
 * a test that must not go on after a failed check. */
#ifndef PDIG_TESTS_CHECK_H
#define PDIG_TESTS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#define CHECK(cond) check_at(__FILE__, __LINE__, (cond), #cond)
/* CHECK with a printf-style explanation of what went wrong. */
#define CHECK_MSG(cond, ...) check_msg_at(__FILE__, __LINE__, (cond), #cond, __VA_ARGS__)
/* Integers, compared as long long (a uint64_t above 2^63 still compares
 * exactly; it is only printed negative). */
#define CHECK_EQ_INT(a, b) check_int_at(__FILE__, __LINE__, #a, #b, (long long)(a), (long long)(b))
/* Strings; NULL on either side is a failure. */
#define CHECK_EQ_STR(a, b) check_str_at(__FILE__, __LINE__, #a, #b, (a), (b))
/* n bytes; a failure names the first differing offset. */
#define CHECK_EQ_MEM(a, b, n) check_mem_at(__FILE__, __LINE__, #a, #b, (a), (b), (n))
/* A failure found by the test's own logic (printf-style message). */
#define CHECK_FAIL(...) check_fail_at(__FILE__, __LINE__, __VA_ARGS__)
/* A part of the test that cannot run here: prints "SKIP: part: reason". */
#define CHECK_SKIP(part, ...) check_skip(part, __VA_ARGS__)

bool check_at(const char *file, int line, bool ok, const char *expr);
bool check_msg_at(const char *file, int line, bool ok, const char *expr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
bool check_int_at(const char *file, int line, const char *ea, const char *eb, long long a, long long b);
bool check_str_at(const char *file, int line, const char *ea, const char *eb, const char *a, const char *b);
bool check_mem_at(const char *file, int line, const char *ea, const char *eb, const void *a, const void *b,
		  size_t n);
void check_fail_at(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void check_skip(const char *part, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Checks run and failed so far. */
extern int check_count, check_failures;

/* Prints "name: N checks ok" or the failure count; returns main()'s exit
 * status (0 when no check failed). */
int check_done(const char *name);

#endif
