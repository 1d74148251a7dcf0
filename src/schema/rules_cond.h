/* The event types a Falco condition can be true for (rules_cond.c), as
 * libsinsp decides them for a rule: a comparison of plain `evt.type` with
 * `=`, `==`, `!=` or `in` gives its names' set; every other comparison
 * (any other field, operator or transformer) gives every type; `not`
 * complements (pushed down to the comparisons, so `not (A or B)` is
 * `not A and not B`), `and` intersects, `or` unites. Sets are of native
 * syscalls: a name selects the syscalls reported with that event (or,
 * reported as generic events, by that syscall name). */
#ifndef PDIG_RULES_COND_H
#define PDIG_RULES_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schema/schema.h"

struct evset {
	uint64_t w[PDIG_SYSCALL_MAX / 64];
};

/* Bounds on one condition: nesting of parentheses, `not` and macros. */
#define COND_MAX_DEPTH 100
#define COND_MAX_MACRO_DEPTH 32

enum cond_status {
	COND_OK = 0,
	COND_UNDECIDED = 1, /* valid, but pdig cannot tell its types: why in err */
	COND_ERROR = -1,    /* malformed: what in err */
};

/* What a condition refers to by name, supplied by the caller. */
struct cond_env {
	void *ctx;
	/* The set of macro name (len bytes) under negation neg. Returns
	 * COND_OK, COND_UNDECIDED or COND_ERROR (err filled), or 2 when no
	 * such macro exists. */
	int (*macro)(void *ctx, const char *name, size_t len, bool neg, struct evset *out, unsigned depth,
		     char *err, size_t errlen);
	/* Adds list name's event types to out (comp: for a set that will be
	 * complemented, see evset_add_name): COND_OK, COND_UNDECIDED (an item
	 * is no event type pdig knows; err says which), or 2 when no such
	 * list exists. */
	int (*list)(void *ctx, const char *name, size_t len, bool comp, struct evset *out, char *err, size_t errlen);
};

/* The set of cond (under negation neg) into out. depth: the macro nesting
 * the condition is evaluated at (0 for a rule's). */
enum cond_status cond_eval(const char *cond, bool neg, const struct cond_env *env, unsigned depth, struct evset *out,
			   char *err, size_t errlen);

/* Adds the syscalls event type name (len bytes) selects to out; false when
 * pdig knows no event or syscall of that name. comp: out will be
 * complemented (`not evt.type=X`, `evt.type!=X`), which for a few names
 * removes fewer syscalls than the name selects (Falco 0.44: `accept4`
 * selects accept and accept4, `not evt.type=accept4` removes accept4 only). */
bool evset_add_name(struct evset *out, const char *name, size_t len, bool comp);

void evset_fill(struct evset *s);
static inline void evset_clear(struct evset *s) { *s = (struct evset){ { 0 } }; }
static inline bool evset_has(const struct evset *s, unsigned nr) { return s->w[nr / 64] >> (nr % 64) & 1; }

#endif
