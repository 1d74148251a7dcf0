/* Falco condition syntax, read only far enough to know the event types a
 * condition can match (rules_cond.h). A recursive descent over the text
 * that computes the set as it goes: no tree is built. The negation is
 * carried down, as libsinsp does, so that `not` of a condition that does
 * not test evt.type still means every type, while `not evt.type=X` means
 * every type but X. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules_cond.h"
#include "schema/schema.h"

enum { NAME_LEN_MAX = 128 };

void evset_fill(struct evset *s)
{
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (pdig_syscall_reported(nr))
			s->w[nr / 64] |= 1ull << (nr % 64);
}

static void complement(struct evset *s)
{
	struct evset all = { { 0 } };
	evset_fill(&all);
	for (size_t i = 0; i < sizeof s->w / sizeof *s->w; i++)
		s->w[i] = all.w[i] & ~s->w[i];
}

static void unite(struct evset *a, const struct evset *b)
{
	for (size_t i = 0; i < sizeof a->w / sizeof *a->w; i++)
		a->w[i] |= b->w[i];
}

static void intersect(struct evset *a, const struct evset *b)
{
	for (size_t i = 0; i < sizeof a->w / sizeof *a->w; i++)
		a->w[i] &= b->w[i];
}

/* Does syscall nr have evt.type name n? Its events' names in the newest
 * schema (today's Falco's; enter or exit: the enter events of exit-only
 * syscalls are named "NA"), or its own name when it is reported as a
 * generic event. *own_event: it has events of its own. */
static bool has_type_name(unsigned nr, const char *n, bool *own_event)
{
	const struct pdig_schema *s = pdig_schema_get(SCHEMA_COUNT - 1);
	const struct pdig_syscall *sys = pdig_schema_syscall(s, nr);
	const struct pdig_event *e = sys ? pdig_schema_event(s, sys->enter) : NULL;
	const struct pdig_event *x = sys ? pdig_schema_event(s, sys->exit) : NULL;
	*own_event = sys != NULL;
	if (sys)
		return (e && !strcmp(e->name, n)) || (x && !strcmp(x->name, n));
	return pdig_native_names[nr] && !strcmp(pdig_native_names[nr], n);
}

/* Names Falco 0.44 maps to more syscalls than their events say, seen in
 * its "syscalls in rules" report: either name selects both; complemented,
 * the first removes both, the second only itself (its events are
 * accept4's alone, while accept's events stand for both syscalls). */
static const char *const same_type[][2] = { { "accept", "accept4" } };

bool evset_add_name(struct evset *out, const char *name, size_t len, bool comp)
{
	char n[NAME_LEN_MAX];
	if (len == 0 || len >= sizeof n)
		return false;
	memcpy(n, name, len);
	n[len] = '\0';
	bool known = false;
	for (size_t i = 0; i < sizeof same_type / sizeof *same_type; i++)
		if (!strcmp(n, same_type[i][0]) || !strcmp(n, same_type[i][1])) {
			for (int k = comp && !strcmp(n, same_type[i][1]); k < 2; k++) {
				int nr = pdig_syscall_by_name(same_type[i][k]);
				if (nr >= 0)
					out->w[nr / 64] |= 1ull << (nr % 64);
			}
			return true;
		}
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		bool own = false;
		if (!pdig_syscall_reported(nr))
			continue;
		if (has_type_name(nr, n, &own)) {
			out->w[nr / 64] |= 1ull << (nr % 64);
			known = true;
		} else if (own && pdig_native_names[nr] && !strcmp(pdig_native_names[nr], n)) {
			/* a syscall with an event of another name (pread64 is
			 * "pread"): Falco takes the name and selects nothing */
			known = true;
		}
	}
	/* events that are no syscall's (procexit, switch, ...): valid, no syscall */
	const struct pdig_schema *s = pdig_schema_get(SCHEMA_COUNT - 1);
	for (uint32_t id = 0; !known && id < s->event_max; id++) {
		const struct pdig_event *e = pdig_schema_event(s, id);
		known = e && !strcmp(e->name, n);
	}
	return known;
}

struct cp {
	const char *text, *p;
	const struct cond_env *env;
	unsigned depth;  /* parentheses and `not` */
	unsigned mdepth; /* macros */
	enum cond_status status;
	char *err;
	size_t errlen;
};

static void fail(struct cp *c, enum cond_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(struct cp *c, enum cond_status st, const char *fmt, ...)
{
	if (c->status == COND_ERROR || (c->status == COND_UNDECIDED && st == COND_UNDECIDED))
		return;
	c->status = st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

static bool ws(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }
static bool ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.';
}
/* Ends a bare value: Falco's bare strings stop at these. */
static bool bare_end(char ch) { return ws(ch) || !ch || ch == '(' || ch == ')' || ch == ',' || ch == '"' || ch == '\''; }

static void skip_ws(struct cp *c)
{
	while (ws(*c->p))
		c->p++;
}

/* Is the word at p exactly w (not the start of a longer name)? */
static bool word(const char *p, const char *w)
{
	size_t n = strlen(w);
	return !strncmp(p, w, n) && !ident(p[n]);
}

/* what, where, and the text there on one line (the message is one line) */
static void snippet(struct cp *c, const char *what)
{
	char at[25];
	size_t n = 0;
	for (; n < sizeof at - 1 && c->p[n]; n++)
		at[n] = (unsigned char)c->p[n] < ' ' ? ' ' : c->p[n];
	at[n] = '\0';
	fail(c, COND_ERROR, "%s at offset %zu: '%s'", what, (size_t)(c->p - c->text), at);
}

/* A quoted string at p ('...' or "...", backslash escapes): its content
 * into buf (cut at bufsz), p past it. */
static bool quoted(struct cp *c, char *buf, size_t bufsz, size_t *len)
{
	char q = *c->p++;
	size_t n = 0;
	for (;;) {
		char ch = *c->p;
		if (!ch) {
			snippet(c, "a string that does not end");
			return false;
		}
		c->p++;
		if (ch == q)
			break;
		if (ch == '\\' && *c->p)
			ch = *c->p++;
		if (n + 1 < bufsz)
			buf[n] = ch;
		n++;
	}
	*len = n < bufsz ? n : bufsz;
	return true;
}

/* One evt.type value: a name, or (bare) a list's names. Falco expands a
 * bare list name wherever a value stands, also after `=` and `!=`, and a
 * list of an event type's name hides that event type. comp: s will be
 * complemented. */
static void add_value(struct cp *c, struct evset *s, const char *v, size_t len, bool bare, bool comp)
{
	if (bare) {
		char why[160] = "";
		int r = c->env->list(c->env->ctx, v, len, comp, s, why, sizeof why);
		if (r == COND_OK)
			return;
		if (r == COND_UNDECIDED) {
			fail(c, COND_UNDECIDED, "%s", why);
			return;
		}
	}
	if (evset_add_name(s, v, len, comp))
		return;
	fail(c, COND_UNDECIDED, "'%.*s' is no event type pdig knows", (int)(len > 64 ? 64 : len), v);
}

/* A field reference: name, [argument], or transformer(field). */
static bool field(struct cp *c, bool *plain_evt_type)
{
	const char *b = c->p;
	while (ident(*c->p))
		c->p++;
	if (c->p == b) {
		snippet(c, "expected a field");
		return false;
	}
	size_t n = (size_t)(c->p - b);
	if (*c->p == '(') { /* tolower(proc.name), val(...) */
		c->p++;
		skip_ws(c);
		bool inner;
		if (!field(c, &inner))
			return false;
		skip_ws(c);
		if (*c->p != ')') {
			snippet(c, "expected ')' after a transformer's field");
			return false;
		}
		c->p++;
		*plain_evt_type = false;
		return true;
	}
	/* syscall.type narrows as evt.type does (Falco 0.44.1's report) */
	*plain_evt_type = (n == 8 && !strncmp(b, "evt.type", 8)) || (n == 12 && !strncmp(b, "syscall.type", 12));
	if (*c->p == '[') {
		while (*c->p && *c->p != ']')
			c->p++;
		if (*c->p != ']') {
			snippet(c, "a field argument without ']'");
			return false;
		}
		c->p++;
		*plain_evt_type = false;
	}
	return true;
}

/* One value at p: quoted, or bare (in a list, maybe a list's name). Its
 * names go into s when typed. *ref: a field reference (`val(fd.name)`),
 * no literal. False on a syntax error. */
static bool one_value(struct cp *c, struct evset *s, bool typed, bool comp, bool in_list, bool *ref)
{
	*ref = false;
	if (*c->p == '"' || *c->p == '\'') {
		char v[NAME_LEN_MAX];
		size_t len;
		if (!quoted(c, v, sizeof v, &len))
			return false;
		if (typed)
			add_value(c, s, v, len, false, comp);
		return true;
	}
	const char *b = c->p;
	while (!bare_end(*c->p))
		c->p++;
	if (c->p == b) {
		snippet(c, in_list ? "expected a list item" : "expected a value");
		return false;
	}
	if (!in_list && *c->p == '(') { /* val(field), a transformer */
		c->p = b;
		bool ignored;
		*ref = true;
		return field(c, &ignored);
	}
	if (typed)
		add_value(c, s, b, (size_t)(c->p - b), true, comp);
	return true;
}

static const char *const word_ops[] = {
	"contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob", "iglob",
	"regex", "exists", "in", "intersects", "pmatch",
};
static const char *const sym_ops[] = { "==", "!=", "<=", ">=", "=", "<", ">" };

/* The operator at p ("" when none: p is at and/or/)/end), p past it; NULL
 * on an unknown word. */
static const char *operator(struct cp *c)
{
	for (size_t i = 0; i < sizeof sym_ops / sizeof *sym_ops; i++)
		if (!strncmp(c->p, sym_ops[i], strlen(sym_ops[i]))) {
			c->p += strlen(sym_ops[i]);
			return sym_ops[i];
		}
	for (size_t i = 0; i < sizeof word_ops / sizeof *word_ops; i++)
		if (word(c->p, word_ops[i])) {
			c->p += strlen(word_ops[i]);
			return word_ops[i];
		}
	if (!*c->p || *c->p == ')' || word(c->p, "and") || word(c->p, "or"))
		return "";
	return NULL;
}

static void or_expr(struct cp *c, bool neg, struct evset *out);
static void not_expr(struct cp *c, bool neg, struct evset *out);

/* field op value, field op (list), field exists, or a macro's name. */
static void comparison(struct cp *c, bool neg, struct evset *out)
{
	const char *start = c->p;
	bool evt_type;
	if (!field(c, &evt_type))
		return;
	size_t flen = (size_t)(c->p - start);
	skip_ws(c);
	const char *op = operator(c);
	if (!op) {
		snippet(c, "an unknown operator");
		return;
	}
	if (!*op) {
		if (memchr(start, '.', flen) || memchr(start, '(', flen) || memchr(start, '[', flen)) {
			fail(c, COND_ERROR, "field '%.*s' without an operator", (int)(flen > 64 ? 64 : flen), start);
			return;
		}
		if (c->mdepth >= COND_MAX_MACRO_DEPTH) {
			fail(c, COND_ERROR, "macros nested deeper than %d (at '%.*s')", COND_MAX_MACRO_DEPTH,
			     (int)(flen > 64 ? 64 : flen), start);
			return;
		}
		char why[256] = "";
		int r = c->env->macro(c->env->ctx, start, flen, neg, out, c->mdepth + 1, why, sizeof why);
		if (r == 2)
			fail(c, COND_UNDECIDED, "no macro or list named '%.*s'", (int)(flen > 64 ? 64 : flen), start);
		else if (r != COND_OK)
			fail(c, (enum cond_status)r, "%s", why);
		return;
	}
	bool list = !strcmp(op, "in") || !strcmp(op, "intersects") || !strcmp(op, "pmatch");
	bool typed = evt_type && (list ? !strcmp(op, "in") : !strcmp(op, "=") || !strcmp(op, "==") || !strcmp(op, "!="));
	bool comp = neg != !strcmp(op, "!=");
	struct evset s = { { 0 } };
	bool literal = true;
	skip_ws(c);
	if (!strcmp(op, "exists")) {
		typed = false;
	} else if (list) {
		if (*c->p != '(') {
			snippet(c, "expected '(' after 'in'");
			return;
		}
		c->p++;
		for (bool first = true;; first = false) {
			skip_ws(c);
			if (*c->p == ')' && first)
				break;
			bool ref;
			if (!one_value(c, &s, typed, comp, true, &ref))
				return;
			skip_ws(c);
			if (*c->p == ',') {
				c->p++;
				continue;
			}
			if (*c->p == ')')
				break;
			snippet(c, "expected ',' or ')' in a list");
			return;
		}
		c->p++;
	} else {
		bool ref;
		if (!one_value(c, &s, typed, comp, false, &ref))
			return;
		literal = !ref;
	}
	if (!typed || !literal) {
		evset_fill(out); /* not about evt.type: every type, negated or not */
		return;
	}
	if (comp)
		complement(&s);
	*out = s;
}

static void primary(struct cp *c, bool neg, struct evset *out)
{
	skip_ws(c);
	if (*c->p == '(') {
		if (++c->depth > COND_MAX_DEPTH) {
			fail(c, COND_ERROR, "nested deeper than %d", COND_MAX_DEPTH);
			return;
		}
		c->p++;
		or_expr(c, neg, out);
		skip_ws(c);
		if (c->status == COND_ERROR)
			return;
		if (*c->p != ')') {
			snippet(c, "expected ')'");
			return;
		}
		c->p++;
		c->depth--;
		return;
	}
	if (!*c->p || *c->p == ')') {
		snippet(c, "expected a condition");
		return;
	}
	comparison(c, neg, out);
}

static void not_expr(struct cp *c, bool neg, struct evset *out)
{
	skip_ws(c);
	if (!strncmp(c->p, "not", 3) && (ws(c->p[3]) || c->p[3] == '(')) {
		if (++c->depth > COND_MAX_DEPTH) {
			fail(c, COND_ERROR, "nested deeper than %d", COND_MAX_DEPTH);
			return;
		}
		c->p += 3;
		not_expr(c, !neg, out);
		c->depth--;
		return;
	}
	primary(c, neg, out);
}

/* An `or` (level 0) of `and`s (level 1) of `not`s. Under negation an
 * `and` is an `or` of the negated sides, and the reverse. */
static void chain(struct cp *c, bool neg, struct evset *out, int level)
{
	static const char *const op[] = { "or", "and" };
	if (level == 2) {
		not_expr(c, neg, out);
		return;
	}
	chain(c, neg, out, level + 1);
	for (;;) {
		skip_ws(c);
		if (c->status == COND_ERROR || !word(c->p, op[level]))
			return;
		c->p += strlen(op[level]);
		struct evset r = { { 0 } };
		chain(c, neg, &r, level + 1);
		if ((level == 0) != neg)
			unite(out, &r);
		else
			intersect(out, &r);
	}
}

static void or_expr(struct cp *c, bool neg, struct evset *out) { chain(c, neg, out, 0); }

enum cond_status cond_eval(const char *cond, bool neg, const struct cond_env *env, unsigned depth, struct evset *out,
			   char *err, size_t errlen)
{
	struct cp c = { .text = cond, .p = cond, .env = env, .mdepth = depth, .err = err, .errlen = errlen };
	evset_clear(out);
	or_expr(&c, neg, out);
	skip_ws(&c);
	if (c.status != COND_ERROR && *c.p)
		snippet(&c, "unexpected text");
	return c.status;
}
