/* Falco's rule loading, as far as the syscall selection depends on it
 * (rules_db.h). Facts from Falco 0.44's loader, checked against its own
 * report (`falco --dry-run -o log_level=debug`: "syscalls in rules"):
 * - a later list, macro or rule of the same name replaces the earlier one,
 *   also across files; `append: true` or `override: {KEY: append}` adds
 *   to it (list items; a macro's or rule's condition, joined by a space);
 * - a rule with only `enabled:` turns an earlier rule on or off, as does
 *   `override: {enabled: replace}`; a disabled rule needs nothing;
 * - a rule of another source (`source: k8s_audit`) needs no syscall;
 * - macros and lists are resolved when the rules are compiled, after
 *   every file is loaded, so a macro may be defined after its use;
 * - exceptions add `and not ((F1 C1 V1 and F2 C2 V2) or ...)` to the
 *   condition (single-field form: `and not F C (V1, V2)`; a scalar value
 *   of `in` is a list's name: `F in (V)`); they narrow the set only when
 *   every field is evt.type (any other comparison under the `not` is
 *   every type), so only those are kept, as condition text per term; an
 *   exception pdig does not read is left out, which never narrows. */
#include <stdlib.h>
#include <string.h>

#include "rules_cond.h"
#include "rules_db.h"
#include "rules_yaml.h"

#define HASH_SLOTS (2 * RULES_DB_MAX_ENTRIES)

/* An exception of a rule whose fields are all evt.type: what later
 * `exceptions: append` items need to turn their values into a term. */
#define EXC_MAX_FIELDS 8
struct exception {
	char *name;
	bool usable; /* all fields evt.type, comparisons pdig reads */
	bool single; /* `fields: evt.type` (not a list) */
	unsigned nfields;
	char comps[EXC_MAX_FIELDS][12];
};

struct entry {
	char *name;
	const char *file; /* owned by the db's files[] */
	unsigned line;
	char *cond;   /* macros, rules */
	char **items; /* lists */
	unsigned nitems, capitems;
	bool enabled, syscall_source; /* rules */
	/* rules: the exceptions' terms pdig reads, as records "NAME\0TERM\0"
	 * (TERM: what the exception's `and not (...)` negates) */
	char *exc;
	size_t exc_len;
	struct exception *excs;
	unsigned nexcs;
	/* macros: the set under each negation, once computed */
	unsigned char state[2]; /* 0 not yet, 1 being computed, 2 done */
	int status[2];
	struct evset memo[2];
	char *why[2];
	/* lists: the event types of the list and those it names, for a set
	 * kept or complemented (evset_add_name) */
	bool list_done[2];
	int list_status[2];
	struct evset list_set[2];
	char *list_why[2];
	unsigned mark;
};

struct table {
	struct entry *e;
	unsigned n, cap;
	int slot[HASH_SLOTS]; /* entry index + 1, 0 free */
};

struct rules_db {
	struct table lists, macros, rules;
	char **files;
	unsigned nfiles;
	unsigned items; /* list items held */
	unsigned gen;   /* list walks, for entry.mark */
	unsigned *stack;
};

static unsigned hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct entry *find(struct table *t, const char *name, size_t n)
{
	for (unsigned i = hash(name, n) % HASH_SLOTS;; i = (i + 1) % HASH_SLOTS) {
		int k = t->slot[i];
		if (!k)
			return NULL;
		struct entry *e = &t->e[k - 1];
		if (!strncmp(e->name, name, n) && !e->name[n])
			return e;
	}
}

/* A new entry named name (the caller has checked there is none). */
static struct entry *add(struct table *t, const char *name)
{
	if (t->n == RULES_DB_MAX_ENTRIES)
		return NULL;
	if (t->n == t->cap) {
		unsigned cap = t->cap ? t->cap * 2 : 64;
		struct entry *e = realloc(t->e, cap * sizeof *e);
		if (!e)
			return NULL;
		t->e = e;
		t->cap = cap;
	}
	struct entry *e = &t->e[t->n];
	memset(e, 0, sizeof *e);
	e->name = strdup(name);
	if (!e->name)
		return NULL;
	size_t n = strlen(name);
	unsigned i = hash(name, n) % HASH_SLOTS;
	while (t->slot[i])
		i = (i + 1) % HASH_SLOTS;
	t->slot[i] = (int)++t->n;
	return e;
}

static void clear_exceptions(struct entry *e);

static void clear_entry(struct entry *e)
{
	free(e->cond);
	e->cond = NULL;
	clear_exceptions(e);
	for (unsigned i = 0; i < e->nitems; i++)
		free(e->items[i]);
	free(e->items);
	e->items = NULL;
	e->nitems = e->capitems = 0;
	for (int i = 0; i < 2; i++) {
		free(e->why[i]);
		e->why[i] = NULL;
		free(e->list_why[i]);
		e->list_why[i] = NULL;
	}
}

static void free_table(struct table *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		clear_entry(&t->e[i]);
		free(t->e[i].name);
	}
	free(t->e);
}

struct rules_db *rules_db_new(void)
{
	return calloc(1, sizeof(struct rules_db));
}

void rules_db_free(struct rules_db *db)
{
	if (!db)
		return;
	free_table(&db->lists);
	free_table(&db->macros);
	free_table(&db->rules);
	for (unsigned i = 0; i < db->nfiles; i++)
		free(db->files[i]);
	free(db->files);
	free(db->stack);
	free(db);
}

/* The load of one file: where errors are. */
struct load {
	struct rules_db *db;
	const char *file;
	char *err;
	size_t errlen;
};

static int bad(struct load *l, unsigned line, const char *fmt, const char *a, const char *b)
{
	int w = snprintf(l->err, l->errlen, "%s:%u: ", l->file, line);
	if (w >= 0 && (size_t)w < l->errlen)
		snprintf(l->err + w, l->errlen - (size_t)w, fmt, a, b ? b : "");
	return -1;
}

static const char *scalar(const struct ynode *n) { return n && n->kind == YN_SCALAR ? n->text : NULL; }

/* A YAML boolean as yaml-cpp reads one (Falco 0.44.1 takes y and n too):
 * -1 when it is none. */
static int boolean(const char *s)
{
	static const char *const yes[] = { "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y" };
	static const char *const no[] = { "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N" };
	for (size_t i = 0; s && i < sizeof yes / sizeof *yes; i++) {
		if (!strcmp(s, yes[i]))
			return 1;
		if (!strcmp(s, no[i]))
			return 0;
	}
	return -1;
}

/* How item changes key of an earlier definition: 'a' append, 'r'
 * replace, 0 not named; -1 on a bad value. */
static int how(struct load *l, const struct ynode *item, const char *key)
{
	const struct ynode *ap = yaml_get(item, "append"), *ov = yaml_get(item, "override");
	if (ap) {
		int b = boolean(scalar(ap));
		if (b < 0)
			return bad(l, ap->line, "append: not a boolean: '%s'%s", scalar(ap) ? scalar(ap) : "?", NULL);
		if (b)
			return 'a';
	}
	if (!ov)
		return 0;
	if (ov->kind != YN_MAP)
		return bad(l, ov->line, "override: not a mapping%s%s", "", NULL);
	const char *v = scalar(yaml_get(ov, key));
	if (!v)
		return 0;
	if (!strcmp(v, "append"))
		return 'a';
	if (!strcmp(v, "replace"))
		return 'r';
	return bad(l, ov->line, "override: %s: neither append nor replace: '%s'", key, v);
}

/* cond + " " + more, bounded. */
static int append_cond(struct load *l, struct entry *e, const char *more, unsigned line)
{
	size_t a = e->cond ? strlen(e->cond) : 0, b = strlen(more);
	if (a + b + 2 > RULES_DB_MAX_COND)
		return bad(l, line, "'%s': condition longer than 1 MiB%s", e->name, a ? " after appends" : "");
	char *c = realloc(e->cond, a + b + 2);
	if (!c)
		return bad(l, line, "out of memory%s%s", "", NULL);
	c[a] = ' ';
	memcpy(c + (a ? a + 1 : 0), more, b + 1);
	e->cond = c;
	return 0;
}

static int set_cond(struct load *l, struct entry *e, const char *cond, unsigned line)
{
	free(e->cond);
	e->cond = NULL;
	return append_cond(l, e, cond, line);
}

/* A fresh definition of name in t (replacing any earlier one). */
static struct entry *define(struct load *l, struct table *t, const char *name, unsigned line)
{
	struct entry *e = find(t, name, strlen(name));
	if (e)
		clear_entry(e);
	else if (!(e = add(t, name))) {
		bad(l, line, "'%s': more definitions than pdig takes (%s)", name, "16384 of a kind");
		return NULL;
	}
	e->file = l->file;
	e->line = line;
	return e;
}

static int list_item(struct load *l, const struct ynode *item)
{
	const char *name = scalar(yaml_get(item, "list"));
	const struct ynode *items = yaml_get(item, "items");
	if (!name)
		return bad(l, item->line, "list: no name%s%s", "", NULL);
	int mode = how(l, item, "items");
	if (mode < 0)
		return -1;
	if (!items)
		return bad(l, item->line, "list '%s': no items%s", name, NULL);
	if (items->kind == YN_SCALAR && !*items->text)
		items = NULL; /* `items:` with nothing: an empty list */
	else if (items->kind != YN_SEQ)
		return bad(l, items->line, "list '%s': items is not a list%s", name, NULL);
	struct entry *e = find(&l->db->lists, name, strlen(name));
	if (mode == 'a' && !e)
		return bad(l, item->line, "list '%s': appends to no earlier list of that name%s", name, NULL);
	if (mode != 'a' && !(e = define(l, &l->db->lists, name, item->line)))
		return -1;
	for (unsigned i = 0; items && i < items->n; i++) {
		const char *v = scalar(items->kids[i]);
		if (!v)
			return bad(l, items->kids[i]->line, "list '%s': an item is not a string%s", name, NULL);
		if (++l->db->items > RULES_DB_MAX_ITEMS)
			return bad(l, items->kids[i]->line, "more list items than pdig takes%s%s", "", NULL);
		if (e->nitems == e->capitems) {
			unsigned cap = e->capitems ? e->capitems * 2 : 8;
			char **it = realloc(e->items, cap * sizeof *it);
			if (!it)
				return bad(l, item->line, "out of memory%s%s", "", NULL);
			e->items = it;
			e->capitems = cap;
		}
		if (!(e->items[e->nitems] = strdup(v)))
			return bad(l, item->line, "out of memory%s%s", "", NULL);
		e->nitems++;
	}
	return 0;
}

static int macro_item(struct load *l, const struct ynode *item)
{
	const char *name = scalar(yaml_get(item, "macro"));
	const struct ynode *cn = yaml_get(item, "condition");
	if (!name)
		return bad(l, item->line, "macro: no name%s%s", "", NULL);
	if (!scalar(cn))
		return bad(l, item->line, "macro '%s': no condition%s", name, NULL);
	int mode = how(l, item, "condition");
	if (mode < 0)
		return -1;
	struct entry *e = find(&l->db->macros, name, strlen(name));
	if (mode == 'a') {
		if (!e)
			return bad(l, item->line, "macro '%s': appends to no earlier macro of that name%s", name, NULL);
		return append_cond(l, e, scalar(cn), cn->line);
	}
	if (!(e = define(l, &l->db->macros, name, cn->line)))
		return -1;
	return set_cond(l, e, scalar(cn), cn->line);
}

/* A growing NUL-terminated text. */
struct buf {
	char *s;
	size_t n, cap;
};

static bool bputs(struct buf *b, const char *t)
{
	size_t n = strlen(t);
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return false;
		b->s = s;
		b->cap = cap;
	}
	memcpy(b->s + b->n, t, n + 1);
	b->n += n;
	return true;
}

/* t and its NUL: one field of a record */
static bool bput0(struct buf *b, const char *t)
{
	if (!bputs(b, t) || !bputs(b, " "))
		return false;
	b->s[b->n - 1] = '\0';
	return true;
}

static void btrunc(struct buf *b, size_t n)
{
	b->n = n;
	if (b->s)
		b->s[n] = '\0';
}

static void clear_exceptions(struct entry *e)
{
	free(e->exc);
	e->exc = NULL;
	e->exc_len = 0;
	for (unsigned i = 0; i < e->nexcs; i++)
		free(e->excs[i].name);
	free(e->excs);
	e->excs = NULL;
	e->nexcs = 0;
}

/* A value pdig puts into an exception term: an event or syscall name. */
static bool plain_name(const char *v)
{
	size_t n = 0;
	for (; v && v[n]; n++)
		if (!((v[n] >= 'a' && v[n] <= 'z') || (v[n] >= 'A' && v[n] <= 'Z') || (v[n] >= '0' && v[n] <= '9') ||
		      v[n] == '_' || v[n] == '-' || v[n] == '.'))
			return false;
	return n > 0 && n < 64;
}

static bool known_comp(const char *c)
{
	static const char *const ok[] = { "=", "==", "!=", "in", "intersects", "pmatch", "<", "<=", ">", ">=",
					   "contains", "icontains", "startswith", "endswith", "glob", "bcontains" };
	for (size_t i = 0; c && i < sizeof ok / sizeof *ok; i++)
		if (!strcmp(c, ok[i]))
			return true;
	return false;
}

/* "evt.type COMP VALUE" for one field of a tuple; false when pdig does
 * not read the value (then the tuple is left out). A scalar after a list
 * operator is a list's name, as in Falco: `evt.type in (VALUE)`. */
static bool exc_leaf(struct buf *b, const char *comp, const struct ynode *v)
{
	bool list_op = !strcmp(comp, "in") || !strcmp(comp, "intersects") || !strcmp(comp, "pmatch");
	if (v->kind == YN_SCALAR) {
		if (!plain_name(v->text))
			return false;
		if (list_op)
			return bputs(b, "evt.type ") && bputs(b, comp) && bputs(b, " (") && bputs(b, v->text) && bputs(b, ")");
		return bputs(b, "evt.type ") && bputs(b, comp) && bputs(b, " \"") && bputs(b, v->text) && bputs(b, "\"");
	}
	if (v->kind != YN_SEQ || !bputs(b, "evt.type ") || !bputs(b, comp) || !bputs(b, " ("))
		return false;
	for (unsigned i = 0; i < v->n; i++) {
		const char *t = scalar(v->kids[i]);
		if (!plain_name(t) || !bputs(b, i ? ", \"" : "\"") || !bputs(b, t) || !bputs(b, "\""))
			return false;
	}
	return bputs(b, ")");
}

/* The terms of values (one exception's) into b: a record "NAME\0T\0"
 * each, T what the term's `and not (T)` negates. */
static void exc_terms(struct buf *b, const struct exception *x, const struct ynode *values)
{
	if (!x->usable || !values || values->kind != YN_SEQ)
		return;
	if (x->single) { /* evt.type COMP (V1, V2, ...) */
		size_t mark = b->n;
		if (!bput0(b, x->name) || !exc_leaf(b, x->comps[0], values) || !bput0(b, ""))
			btrunc(b, mark);
		return;
	}
	for (unsigned t = 0; t < values->n; t++) {
		const struct ynode *tuple = values->kids[t];
		size_t mark = b->n;
		bool ok = tuple->kind == YN_SEQ && tuple->n == x->nfields && bput0(b, x->name);
		for (unsigned i = 0; ok && i < x->nfields; i++)
			ok = (!i || bputs(b, " and ")) && exc_leaf(b, x->comps[i], tuple->kids[i]);
		if (!ok || !bput0(b, ""))
			btrunc(b, mark);
	}
}

/* The exceptions of a rule item: new ones described and their terms
 * added, values of earlier ones (by name) turned into terms too. */
static int exceptions(struct load *l, struct entry *e, const struct ynode *list)
{
	if (!list)
		return 0;
	if (list->kind != YN_SEQ)
		return bad(l, list->line, "rule '%s': exceptions is not a list%s", e->name, NULL);
	struct buf b = { e->exc, e->exc_len, e->exc ? e->exc_len + 1 : 0 };
	for (unsigned i = 0; i < list->n; i++) {
		const struct ynode *it = list->kids[i];
		const char *name = scalar(yaml_get(it, "name"));
		const struct ynode *fields = yaml_get(it, "fields"), *comps = yaml_get(it, "comps");
		if (!name)
			continue; /* Falco refuses it; nothing pdig narrows by */
		struct exception *x = NULL;
		for (unsigned k = 0; k < e->nexcs; k++)
			if (!strcmp(e->excs[k].name, name))
				x = &e->excs[k];
		if (!x) {
			struct exception *xs = realloc(e->excs, (e->nexcs + 1) * sizeof *xs);
			if (!xs || !(name = strdup(name))) {
				free(b.s);
				e->exc = NULL;
				return bad(l, it->line, "out of memory%s%s", "", NULL);
			}
			e->excs = xs;
			x = &xs[e->nexcs++];
			memset(x, 0, sizeof *x);
			x->name = (char *)name;
			x->single = fields && fields->kind == YN_SCALAR;
			x->nfields = x->single ? 1 : fields && fields->kind == YN_SEQ ? fields->n : 0;
			x->usable = x->nfields > 0 && x->nfields <= EXC_MAX_FIELDS;
			for (unsigned f = 0; x->usable && f < x->nfields; f++) {
				const char *fn = x->single ? fields->text : scalar(fields->kids[f]);
				const char *c = comps ? (comps->kind == YN_SCALAR ? comps->text
							: f < comps->n ? scalar(comps->kids[f]) : NULL)
						      : (x->single ? "in" : "=");
				x->usable = fn && !strcmp(fn, "evt.type") && known_comp(c) && strlen(c) < sizeof x->comps[f];
				if (x->usable)
					strcpy(x->comps[f], c);
			}
		}
		exc_terms(&b, x, yaml_get(it, "values"));
	}
	if (b.n > RULES_DB_MAX_COND) {
		free(b.s);
		e->exc = NULL;
		return bad(l, list->line, "rule '%s': exceptions longer than 1 MiB%s", e->name, NULL);
	}
	e->exc = b.s;
	e->exc_len = b.n;
	return 0;
}

static int rule_item(struct load *l, const struct ynode *item)
{
	const char *name = scalar(yaml_get(item, "rule"));
	const struct ynode *cn = yaml_get(item, "condition"), *en = yaml_get(item, "enabled");
	const char *src = scalar(yaml_get(item, "source"));
	if (!name)
		return bad(l, item->line, "rule: no name%s%s", "", NULL);
	if (cn && !scalar(cn))
		return bad(l, cn->line, "rule '%s': the condition is not a string%s", name, NULL);
	int enabled = en ? boolean(scalar(en)) : 1;
	if (enabled < 0)
		return bad(l, en->line, "rule '%s': enabled: not a boolean%s", name, NULL);
	int mode = how(l, item, "condition");
	int en_mode = how(l, item, "enabled");
	if (mode < 0 || en_mode < 0)
		return -1;
	bool changes = mode || yaml_get(item, "override") || (!cn && en);
	struct entry *e = find(&l->db->rules, name, strlen(name));
	if (changes) {
		/* an earlier rule, changed: appended to, replaced in, or
		 * turned on or off */
		if (!e)
			return bad(l, item->line, "rule '%s': changes no earlier rule of that name%s", name, NULL);
		if (cn && mode == 'a' && append_cond(l, e, scalar(cn), cn->line) < 0)
			return -1;
		if (cn && mode == 'r' && set_cond(l, e, scalar(cn), cn->line) < 0)
			return -1;
		if (en && (en_mode || !mode || mode == 'a'))
			e->enabled = enabled;
		int ex_mode = how(l, item, "exceptions");
		if (ex_mode == 'r')
			clear_exceptions(e);
		return ex_mode < 0 ? -1 : exceptions(l, e, yaml_get(item, "exceptions"));
	}
	if (!cn)
		return bad(l, item->line, "rule '%s': no condition%s", name, NULL);
	if (!(e = define(l, &l->db->rules, name, cn->line)))
		return -1;
	e->enabled = enabled;
	e->syscall_source = !src || !strcmp(src, "syscall");
	if (set_cond(l, e, scalar(cn), cn->line) < 0)
		return -1;
	return exceptions(l, e, yaml_get(item, "exceptions"));
}

int rules_db_load_text(struct rules_db *db, const char *name, const char *text, char *err, size_t errlen)
{
	char **files = realloc(db->files, (db->nfiles + 1) * sizeof *files);
	if (!files || !(files[db->nfiles] = strdup(name))) {
		if (files)
			db->files = files;
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	db->files = files;
	struct load l = { db, files[db->nfiles++], err, errlen };
	char yerr[200];
	struct yaml_doc *doc = yaml_parse(text, yerr, sizeof yerr);
	if (!doc) {
		snprintf(err, errlen, "%s:%s", name, yerr);
		return -1;
	}
	const struct ynode *root = yaml_root(doc);
	int rc = 0;
	if (root && root->kind != YN_SEQ)
		rc = bad(&l, root->line, "not a list of rules, macros and lists%s%s", "", NULL);
	for (unsigned i = 0; root && !rc && i < root->n; i++) {
		const struct ynode *item = root->kids[i];
		if (item->kind != YN_MAP)
			rc = bad(&l, item->line, "an item that is no mapping%s%s", "", NULL);
		else if (yaml_get(item, "rule"))
			rc = rule_item(&l, item);
		else if (yaml_get(item, "macro"))
			rc = macro_item(&l, item);
		else if (yaml_get(item, "list"))
			rc = list_item(&l, item);
		/* required_engine_version, required_plugin_versions, ...:
		 * nothing that selects syscalls */
	}
	yaml_free(doc);
	return rc;
}

/* Walks list e and the lists it names (each once: lists may name each
 * other in a cycle) without recursion: list chains can be long. An item
 * naming a list is that list, even when it is an event type's name too
 * (Falco expands list names first). */
static int walk_list(struct rules_db *db, struct entry *root, bool comp, struct evset *out, char **why)
{
	if (!db->stack && !(db->stack = malloc(RULES_DB_MAX_ENTRIES * sizeof *db->stack)))
		return COND_ERROR;
	unsigned top = 0;
	db->gen++;
	root->mark = db->gen;
	db->stack[top++] = (unsigned)(root - db->lists.e);
	while (top) {
		struct entry *e = &db->lists.e[db->stack[--top]];
		for (unsigned i = 0; i < e->nitems; i++) {
			const char *it = e->items[i];
			size_t n = strlen(it);
			struct entry *sub = find(&db->lists, it, n);
			if (!sub && evset_add_name(out, it, n, comp))
				continue;
			if (!sub) {
				char buf[200];
				snprintf(buf, sizeof buf, "list '%.64s' (%s:%u): '%.64s' is no event type pdig knows", e->name,
					 e->file, e->line, it);
				*why = strdup(buf);
				return COND_UNDECIDED;
			}
			if (sub->mark != db->gen) {
				sub->mark = db->gen;
				db->stack[top++] = (unsigned)(sub - db->lists.e);
			}
		}
	}
	return COND_OK;
}

static int list_cb(void *ctx, const char *name, size_t len, bool comp, struct evset *out, char *err, size_t errlen)
{
	struct rules_db *db = ctx;
	struct entry *e = find(&db->lists, name, len);
	if (!e)
		return 2;
	int k = comp;
	if (!e->list_done[k]) {
		evset_clear(&e->list_set[k]);
		e->list_status[k] = walk_list(db, e, comp, &e->list_set[k], &e->list_why[k]);
		e->list_done[k] = true;
	}
	if (e->list_status[k] != COND_OK) {
		snprintf(err, errlen, "%s", e->list_why[k] ? e->list_why[k] : "out of memory");
		return e->list_status[k];
	}
	for (size_t i = 0; i < sizeof out->w / sizeof *out->w; i++)
		out->w[i] |= e->list_set[k].w[i];
	return COND_OK;
}

static int macro_cb(void *ctx, const char *name, size_t len, bool neg, struct evset *out, unsigned depth, char *err,
		    size_t errlen);

static const struct cond_env *env_of(struct rules_db *db)
{
	static struct cond_env env;
	env = (struct cond_env){ db, macro_cb, list_cb };
	return &env;
}

static int macro_cb(void *ctx, const char *name, size_t len, bool neg, struct evset *out, unsigned depth, char *err,
		    size_t errlen)
{
	struct rules_db *db = ctx;
	struct entry *e = find(&db->macros, name, len);
	if (!e)
		return 2;
	int k = neg;
	if (e->state[k] == 1) {
		snprintf(err, errlen, "macro '%.64s' (%s:%u) uses itself", e->name, e->file, e->line);
		return COND_ERROR;
	}
	if (e->state[k] == 0) {
		e->state[k] = 1;
		char why[400];
		why[0] = '\0';
		e->status[k] = cond_eval(e->cond, neg, env_of(db), depth, &e->memo[k], why, sizeof why);
		if (e->status[k] != COND_OK) {
			/* a message from deeper down already names its macro */
			char buf[600];
			if (!strncmp(why, "macro '", 7) || !strncmp(why, "list '", 6))
				snprintf(buf, sizeof buf, "%s", why);
			else
				snprintf(buf, sizeof buf, "macro '%.64s' (%s:%u): %s", e->name, e->file, e->line, why);
			e->why[k] = strdup(buf);
		}
		e->state[k] = 2;
	}
	if (e->status[k] != COND_OK) {
		snprintf(err, errlen, "%s", e->why[k] ? e->why[k] : "out of memory");
		return e->status[k];
	}
	*out = e->memo[k];
	return COND_OK;
}

int rules_db_select(struct rules_db *db, struct syscall_set *set, FILE *warn, char *err, size_t errlen)
{
	struct evset all = { { 0 } }, sel = { { 0 } };
	evset_fill(&all);
	for (unsigned i = 0; i < db->rules.n; i++) {
		struct entry *r = &db->rules.e[i];
		if (!r->enabled || !r->syscall_source)
			continue;
		struct evset s;
		char why[700], xwhy[600];
		why[0] = '\0';
		int st = cond_eval(r->cond, false, env_of(db), 0, &s, why, sizeof why);
		/* (condition) and not (T1) and not (T2) ...: each term's set
		 * intersected, its message naming its exception */
		for (size_t k = 0; st != COND_ERROR && k < r->exc_len;) {
			const char *xname = r->exc + k, *term = xname + strlen(xname) + 1;
			k = (size_t)(term - r->exc) + strlen(term) + 1;
			struct evset t;
			xwhy[0] = '\0';
			int xst = cond_eval(term, true, env_of(db), 0, &t, xwhy, sizeof xwhy);
			if (xst == COND_ERROR || (xst == COND_UNDECIDED && st == COND_OK)) {
				snprintf(why, sizeof why, "exception '%.64s': %s", xname, xwhy);
				st = xst;
			}
			for (size_t w = 0; w < sizeof s.w / sizeof *s.w; w++)
				s.w[w] &= t.w[w];
		}
		if (st == COND_ERROR) {
			snprintf(err, errlen, "%s:%u: rule '%.64s': %s", r->file, r->line, r->name, why);
			return -1;
		}
		if (st == COND_UNDECIDED) {
			if (warn)
				fprintf(warn, "pdig: --rules: %s:%u: rule '%.64s': %s: tracing every syscall for it\n",
					r->file, r->line, r->name, why);
			s = all;
		} else if (!memcmp(&s, &all, sizeof s) && warn) {
			fprintf(warn,
				"pdig: --rules: %s:%u: rule '%.64s' matches every event type (as in Falco, which warns "
				"too): tracing every syscall for it\n",
				r->file, r->line, r->name);
		}
		for (size_t w = 0; w < sizeof sel.w / sizeof *sel.w; w++)
			sel.w[w] |= s.w[w];
	}
	int n = 0;
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (evset_has(&sel, nr)) {
			set->on[nr] = 1;
			n++;
		}
	return n;
}
