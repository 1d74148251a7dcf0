/* Falco rule files as Falco's loader sees them (rules_db.c): the lists,
 * macros and rules of every file, in load order, with `append: true` and
 * `override:` applied and redefinitions replacing, then the syscalls the
 * enabled rules of the syscall source need. */
#ifndef PDIG_RULES_DB_H
#define PDIG_RULES_DB_H

#include <stdio.h>

#include "schema/syscall_set.h"

/* Bounds on what the files may define, together. */
#define RULES_DB_MAX_ENTRIES 16384     /* of each kind: lists, macros, rules */
#define RULES_DB_MAX_ITEMS (1u << 20)  /* list items, all lists together */
#define RULES_DB_MAX_COND (1u << 20)   /* bytes of one condition after appends */

struct rules_db;

struct rules_db *rules_db_new(void);
void rules_db_free(struct rules_db *db);

/* Loads one file's text (name for messages; text NUL-terminated) after
 * those loaded before. Returns 0, or -1 with "name:LINE: what" in err. */
int rules_db_load_text(struct rules_db *db, const char *name, const char *text, char *err, size_t errlen);

/* Adds to set the syscalls the enabled syscall-source rules can match
 * (Falco's "syscalls in rules"). A rule whose event types pdig cannot
 * decide, or that matches every type, selects every syscall, and warn
 * (when not NULL) gets one line naming it. Returns the number of syscalls
 * selected, or -1 with "FILE:LINE: rule 'R': what" in err when a
 * condition a rule uses is malformed. */
int rules_db_select(struct rules_db *db, struct syscall_set *set, FILE *warn, char *err, size_t errlen);

#endif
