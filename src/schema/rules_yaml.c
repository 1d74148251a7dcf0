/* A tolerant reader for the YAML subset Falco rule files are written in
 * (rules_yaml.h says what is accepted). libc only: pdig has no YAML
 * library at run time. Block structure is decided by indentation, one
 * line at a time; every node lives in one arena, freed at once. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules_yaml.h"

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct yaml_doc {
	struct ynode *root;
	struct chunk *chunks;
	unsigned nodes;
};

struct yp {
	const char *p;     /* the next character to read */
	unsigned line;     /* p's line, 1-based */
	unsigned depth;    /* nesting of the node being read */
	struct yaml_doc *doc;
	char *err;
	size_t errlen;
	bool failed;
};

static void *arena(struct yp *y, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct chunk *c = y->doc->chunks;
	if (!c || c->size - c->used < n) {
		size_t size = n > 65536 ? n : 65536;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = y->doc->chunks;
		y->doc->chunks = c;
	}
	void *r = (char *)c->data + c->used;
	c->used += n;
	return r;
}

static void fail(struct yp *y, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct yp *y, const char *fmt, ...)
{
	if (y->failed)
		return;
	y->failed = true;
	int w = snprintf(y->err, y->errlen, "%u: ", y->line);
	va_list ap;
	va_start(ap, fmt);
	if (w >= 0 && (size_t)w < y->errlen)
		vsnprintf(y->err + w, y->errlen - (size_t)w, fmt, ap);
	va_end(ap);
	for (char *e = y->err; *e; e++) /* quoted text: one line */
		if ((unsigned char)*e < ' ')
			*e = ' ';
}

static void move(struct yp *y, const char *to)
{
	for (; y->p < to; y->p++)
		if (*y->p == '\n')
			y->line++;
}

static unsigned col(const char *p)
{
	const char *b = p;
	while (b[-1] != '\n' && b[-1] != '\0')
		b--;
	return (unsigned)(p - b);
}

static bool eol(char c) { return c == '\n' || c == '\0' || c == '\r'; }
static bool blank(char c) { return c == ' ' || c == '\t'; }

/* Past spaces and a comment to the end of the line (p stays on it). */
static void skip_trailing(struct yp *y)
{
	const char *q = y->p;
	while (blank(*q))
		q++;
	if (*q == '#')
		while (!eol(*q))
			q++;
	move(y, q);
	if (!eol(*y->p))
		fail(y, "unexpected text after a value: '%.20s'", y->p);
}

/* To the first character of the next line that holds content (not blank,
 * not a comment, not a document marker); p at '\0' at the end. */
static void next_content(struct yp *y)
{
	const char *q = y->p;
	for (;;) {
		while (blank(*q) || *q == '\r')
			q++;
		if (*q == '#')
			while (!eol(*q))
				q++;
		if (*q == '\r')
			q++;
		if (*q == '\n') {
			q++;
			/* document markers: nothing of the rules lives in them */
			if ((!strncmp(q, "---", 3) || !strncmp(q, "...", 3)) && (eol(q[3]) || blank(q[3])))
				q += 3;
			const char *i = q;
			while (*i == ' ')
				i++;
			if (*i == '\t') {
				move(y, i);
				fail(y, "a tab in the indentation");
				return;
			}
			continue;
		}
		break;
	}
	move(y, q);
}

static struct ynode *node(struct yp *y, enum ynode_kind kind)
{
	if (++y->doc->nodes > YAML_MAX_NODES) {
		fail(y, "more than %u YAML nodes", YAML_MAX_NODES);
		return NULL;
	}
	struct ynode *n = arena(y, sizeof *n);
	if (!n) {
		fail(y, "out of memory");
		return NULL;
	}
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = y->line;
	return n;
}

/* A growing text; the arena keeps the final copy. */
struct buf {
	char *s;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *t = realloc(b->s, cap);
		if (!t)
			return;
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static struct ynode *scalar(struct yp *y, unsigned line, struct buf *b)
{
	struct ynode *n = node(y, YN_SCALAR);
	if (n) {
		n->line = line;
		n->text = arena(y, b->n + 1);
		if (n->text) {
			if (b->n)
				memcpy(n->text, b->s, b->n);
			n->text[b->n] = '\0';
		} else {
			fail(y, "out of memory");
		}
	}
	free(b->s);
	return n;
}

/* Appends one entry to a sequence or mapping (arrays double in the arena). */
static void add_kid(struct yp *y, struct ynode *n, char *key, struct ynode *kid)
{
	if ((n->n & (n->n - 1)) == 0) { /* 0, 1, 2, 4...: full */
		unsigned cap = n->n ? n->n * 2 : 1;
		struct ynode **kids = arena(y, cap * sizeof *kids);
		char **keys = n->kind == YN_MAP ? arena(y, cap * sizeof *keys) : NULL;
		if (!kids || (n->kind == YN_MAP && !keys)) {
			fail(y, "out of memory");
			return;
		}
		if (n->n) {
			memcpy(kids, n->kids, n->n * sizeof *kids);
			if (keys)
				memcpy(keys, n->keys, n->n * sizeof *keys);
		}
		n->kids = kids;
		n->keys = keys;
	}
	n->kids[n->n] = kid;
	if (n->keys)
		n->keys[n->n] = key;
	n->n++;
}

/* Code point cp as UTF-8 (NUL is written as a space, as "\\0" is). */
static void put_utf8(struct buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	put(b, u, n);
}

/* A quoted scalar at p ('...' or "..."), folded over lines as YAML does. */
static struct ynode *quoted(struct yp *y)
{
	unsigned line = y->line;
	char q = *y->p;
	const char *s = y->p + 1;
	struct buf b = { 0 };
	put(&b, "", 0);
	for (;;) {
		if (*s == '\0') {
			move(y, s);
			fail(y, "a quoted string that does not end");
			free(b.s);
			return NULL;
		}
		if (*s == q) {
			if (q == '\'' && s[1] == '\'') {
				put(&b, "'", 1);
				s += 2;
				continue;
			}
			s++;
			break;
		}
		if (*s == '\\' && q == '"') {
			char c = s[1], out = 0;
			switch (c) {
			case 'n': out = '\n'; break;
			case 't': out = '\t'; break;
			case 'r': out = '\r'; break;
			case '0': out = ' '; break;
			case '\\': case '"': case '/': case '\'': case ' ': out = c; break;
			case '\n': /* an escaped line break joins the lines */
				s += 2;
				while (blank(*s))
					s++;
				continue;
			case 'x': case 'u': case 'U': { /* a code point, written as UTF-8 */
				int digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
				uint32_t cp = 0;
				for (int i = 0; i < digits; i++) {
					char h = s[2 + i];
					int v = h >= '0' && h <= '9' ? h - '0'
						: h >= 'a' && h <= 'f' ? h - 'a' + 10
						: h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
					if (v < 0 || cp > 0x10ffff) {
						move(y, s);
						fail(y, "a bad \\x, \\u or \\U escape");
						free(b.s);
						return NULL;
					}
					cp = cp << 4 | (uint32_t)v;
				}
				put_utf8(&b, cp ? cp : ' ');
				s += 2 + digits;
				continue;
			}
			default: out = c; break;
			}
			if (c == '\0') {
				s++;
				continue;
			}
			put(&b, &out, 1);
			s += 2;
			continue;
		}
		if (*s == '\n') { /* folding: a line break is a space, an empty line a newline */
			while (b.n && blank(b.s[b.n - 1]))
				b.s[--b.n] = '\0';
			s++;
			bool empty = false;
			for (;;) {
				while (blank(*s) || *s == '\r')
					s++;
				if (*s != '\n')
					break;
				empty = true;
				put(&b, "\n", 1);
				s++;
			}
			if (!empty)
				put(&b, " ", 1);
			continue;
		}
		put(&b, s, 1);
		s++;
	}
	move(y, s);
	return scalar(y, line, &b);
}

/* A plain (unquoted) scalar at p; its continuation lines are those
 * indented deeper than parent (the key's or the dash's column). Inside a
 * flow collection (flow) it also ends at , ] } and a `: `. */
static struct ynode *plain(struct yp *y, unsigned parent, bool flow)
{
	unsigned line = y->line;
	struct buf b = { 0 };
	put(&b, "", 0);
	for (;;) {
		const char *s = y->p, *end = s;
		while (!eol(*s)) {
			if (*s == '#' && s > y->p && blank(s[-1]))
				break;
			if (flow && (*s == ',' || *s == ']' || *s == '}' || (*s == ':' && (blank(s[1]) || eol(s[1]) || s[1] == ','))))
				break;
			s++;
			if (!blank(s[-1]))
				end = s;
		}
		if (b.n && end > y->p)
			put(&b, " ", 1);
		put(&b, y->p, (size_t)(end - y->p));
		move(y, end);
		if (flow && !eol(*s) && *s != '#')
			break;
		/* a continuation line? */
		const char *save = y->p;
		unsigned save_line = y->line;
		next_content(y);
		if (*y->p && col(y->p) > parent)
			continue;
		y->p = save;
		y->line = save_line;
		break;
	}
	return scalar(y, line, &b);
}

static struct ynode *flow(struct yp *y);

/* One item of a flow collection: nested flow, quoted or plain. */
static struct ynode *flow_item(struct yp *y)
{
	if (*y->p == '[' || *y->p == '{')
		return flow(y);
	if (*y->p == '"' || *y->p == '\'')
		return quoted(y);
	if (*y->p == '&' || *y->p == '*' || *y->p == '!') {
		fail(y, "YAML anchors, aliases and tags are not accepted");
		return NULL;
	}
	return plain(y, 0, true);
}

/* Spaces, line breaks and comments inside a flow collection. */
static void flow_space(struct yp *y)
{
	for (;;) {
		if (blank(*y->p) || *y->p == '\n' || *y->p == '\r') {
			move(y, y->p + 1);
		} else if (*y->p == '#') {
			const char *q = y->p;
			while (!eol(*q))
				q++;
			move(y, q);
		} else {
			return;
		}
	}
}

/* [a, b, ...] or {k: v, ...}, over any number of lines. */
static struct ynode *flow(struct yp *y)
{
	if (++y->depth > YAML_MAX_DEPTH) {
		fail(y, "nested deeper than %d", YAML_MAX_DEPTH);
		return NULL;
	}
	char close = *y->p == '[' ? ']' : '}';
	struct ynode *n = node(y, close == ']' ? YN_SEQ : YN_MAP);
	move(y, y->p + 1);
	while (n && !y->failed) {
		flow_space(y);
		if (*y->p == close) {
			move(y, y->p + 1);
			break;
		}
		if (*y->p == '\0') {
			fail(y, "a flow collection that does not end");
			break;
		}
		struct ynode *item = flow_item(y);
		if (!item)
			break;
		flow_space(y);
		if (close == '}') {
			if (*y->p != ':') {
				fail(y, "a flow mapping entry without ':'");
				break;
			}
			move(y, y->p + 1);
			flow_space(y);
			struct ynode *v = (*y->p == ',' || *y->p == '}') ? node(y, YN_SCALAR) : flow_item(y);
			if (!v)
				break;
			if (!v->text && v->kind == YN_SCALAR)
				v->text = "";
			add_kid(y, n, item->text ? item->text : "", v);
			flow_space(y);
		} else {
			add_kid(y, n, NULL, item);
		}
		if (*y->p == ',')
			move(y, y->p + 1);
		else if (!*y->p)
			fail(y, "a flow collection that does not end");
		else if (*y->p != close)
			fail(y, "expected ',' or '%c' in a flow collection", close);
	}
	y->depth--;
	return y->failed ? NULL : n;
}

/* A block scalar (`|` or `>`) whose header is at p; its lines are those
 * indented deeper than parent. Line breaks are kept for `|` and folded to
 * spaces for `>` (an empty line stays a newline). */
static struct ynode *block_scalar(struct yp *y, unsigned parent)
{
	unsigned line = y->line;
	bool fold = *y->p == '>';
	char chomp = 0;
	unsigned indent = 0;
	const char *s = y->p + 1;
	for (; *s == '-' || *s == '+' || (*s >= '1' && *s <= '9'); s++) {
		if (*s == '-' || *s == '+')
			chomp = *s;
		else
			indent = parent + (unsigned)(*s - '0');
	}
	move(y, s);
	skip_trailing(y);
	if (y->failed)
		return NULL;
	struct buf b = { 0 };
	put(&b, "", 0);
	for (;;) {
		if (*y->p != '\n')
			break;
		const char *ls = y->p + 1, *i = ls;
		while (*i == ' ')
			i++;
		unsigned c = (unsigned)(i - ls);
		bool empty = eol(*i);
		if (!empty && (c <= parent || (indent && c < indent)))
			break;
		if (!empty && !indent)
			indent = c;
		const char *e = ls;
		while (!eol(*e))
			e++;
		const char *text = empty ? e : ls + indent;
		if (b.n && fold && !empty && b.s[b.n - 1] != '\n')
			put(&b, " ", 1);
		else if (b.n && !fold)
			put(&b, "\n", 1);
		if (empty && fold)
			put(&b, "\n", 1);
		put(&b, text, (size_t)(e > text ? e - text : 0));
		move(y, e);
		if (*y->p == '\r')
			move(y, y->p + 1);
	}
	if (chomp != '-')
		put(&b, "\n", 1);
	return scalar(y, line, &b);
}

static struct ynode *block(struct yp *y);
static struct ynode *mapping(struct yp *y, unsigned c);
static struct ynode *sequence(struct yp *y, unsigned c);

static bool is_dash(const char *p) { return p[0] == '-' && (blank(p[1]) || eol(p[1])); }

/* Does the line at p start a `key:` entry? */
static bool is_key(const char *p)
{
	if (*p == '"' || *p == '\'') {
		char q = *p++;
		while (*p && *p != q && *p != '\n')
			p++;
		if (*p != q)
			return false;
		p++;
		while (blank(*p))
			p++;
		return *p == ':' && (blank(p[1]) || eol(p[1]));
	}
	if (*p == '[' || *p == '{' || *p == '#' || *p == '&' || *p == '*' || *p == '!' || *p == '|' || *p == '>')
		return false;
	for (; !eol(*p); p++) {
		if (*p == '#' && blank(p[-1]))
			return false;
		if (*p == ':' && (blank(p[1]) || eol(p[1])))
			return true;
	}
	return false;
}

/* The value after `key:` (or after a `- `): on the same line, or on the
 * lines below, indented deeper than parent (or a sequence at parent's own
 * column, YAML's compact form, when the value is a mapping's). */
static struct ynode *value(struct yp *y, unsigned parent, bool in_map)
{
	while (blank(*y->p))
		move(y, y->p + 1);
	char c = *y->p;
	if (c == '#' || eol(c)) {
		const char *save = y->p;
		unsigned save_line = y->line;
		next_content(y);
		if (*y->p && (col(y->p) > parent || (in_map && col(y->p) == parent && is_dash(y->p))))
			return block(y);
		y->p = save;
		y->line = save_line;
		struct ynode *n = node(y, YN_SCALAR);
		if (n)
			n->text = "";
		return n;
	}
	struct ynode *n;
	if (c == '&' || c == '*' || c == '!' || c == '?') {
		fail(y, "YAML anchors, aliases, tags and complex keys are not accepted");
		return NULL;
	}
	if (c == '|' || c == '>')
		return block_scalar(y, parent);
	if (c == '"' || c == '\'' || c == '[' || c == '{') {
		n = c == '"' || c == '\'' ? quoted(y) : flow(y);
		if (n)
			skip_trailing(y);
		return y->failed ? NULL : n;
	}
	if (!in_map && is_dash(y->p))
		return sequence(y, col(y->p));
	if (!in_map && is_key(y->p))
		return mapping(y, col(y->p));
	return plain(y, parent, false);
}

static struct ynode *mapping(struct yp *y, unsigned c)
{
	struct ynode *n = node(y, YN_MAP);
	while (n && !y->failed) {
		struct buf key = { 0 };
		put(&key, "", 0);
		const char *s = y->p;
		if (*s == '"' || *s == '\'') {
			struct ynode *k = quoted(y);
			free(key.s);
			if (!k)
				break;
			key.s = NULL;
			while (blank(*y->p))
				move(y, y->p + 1);
			s = y->p;
			char *kt = k->text;
			move(y, s + 1); /* the ':' */
			struct ynode *v = value(y, c, true);
			if (!v)
				break;
			add_kid(y, n, kt, v);
		} else {
			const char *e = s;
			while (!(*e == ':' && (blank(e[1]) || eol(e[1]))))
				e++;
			const char *ke = e;
			while (ke > s && blank(ke[-1]))
				ke--;
			put(&key, s, (size_t)(ke - s));
			char *kt = arena(y, key.n + 1);
			if (!kt) {
				free(key.s);
				fail(y, "out of memory");
				break;
			}
			memcpy(kt, key.s, key.n + 1);
			free(key.s);
			move(y, e + 1);
			struct ynode *v = value(y, c, true);
			if (!v)
				break;
			add_kid(y, n, kt, v);
		}
		next_content(y);
		if (!*y->p || col(y->p) < c)
			break;
		if (col(y->p) > c) {
			fail(y, "unexpected indentation");
			break;
		}
		if (!is_key(y->p)) {
			if (!is_dash(y->p))
				fail(y, "expected 'key:' at this indentation: '%.20s'", y->p);
			break;
		}
	}
	return y->failed ? NULL : n;
}

static struct ynode *sequence(struct yp *y, unsigned c)
{
	struct ynode *n = node(y, YN_SEQ);
	while (n && !y->failed) {
		move(y, y->p + 1); /* the dash */
		if (++y->depth > YAML_MAX_DEPTH) {
			fail(y, "nested deeper than %d", YAML_MAX_DEPTH);
			break;
		}
		struct ynode *item = value(y, c, false);
		y->depth--;
		if (!item)
			break;
		add_kid(y, n, NULL, item);
		next_content(y);
		if (!*y->p || col(y->p) < c || (col(y->p) == c && !is_dash(y->p)))
			break;
		if (col(y->p) > c) {
			fail(y, "unexpected indentation");
			break;
		}
	}
	return y->failed ? NULL : n;
}

/* The node starting at p (the first content of its line). */
static struct ynode *block(struct yp *y)
{
	if (++y->depth > YAML_MAX_DEPTH) {
		fail(y, "nested deeper than %d", YAML_MAX_DEPTH);
		return NULL;
	}
	unsigned c = col(y->p);
	struct ynode *n;
	if (is_dash(y->p))
		n = sequence(y, c);
	else if (is_key(y->p))
		n = mapping(y, c);
	else
		n = value(y, c ? c - 1 : 0, false);
	y->depth--;
	return n;
}

struct yaml_doc *yaml_parse(const char *text, char *err, size_t errlen)
{
	struct yaml_doc *doc = calloc(1, sizeof *doc);
	if (!doc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!strncmp(text, "\xef\xbb\xbf", 3)) /* a UTF-8 byte order mark: no content */
		text += 3;
	/* col() looks back for the line start: a NUL before the text ends it */
	size_t len = strlen(text);
	char *copy = malloc(len + 2);
	if (!copy) {
		free(doc);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	copy[0] = '\n';
	size_t o = 1;
	for (size_t i = 0; i <= len; i++) /* CRLF as LF */
		if (!(text[i] == '\r' && text[i + 1] == '\n'))
			copy[o++] = text[i];
	struct yp y = { .p = copy, .line = 0, .doc = doc, .err = err, .errlen = errlen };
	next_content(&y); /* past the leading '\n': line 1 */
	if (*y.p) {
		doc->root = block(&y);
		if (!y.failed) {
			next_content(&y);
			if (*y.p)
				fail(&y, "unexpected text at the top level: '%.20s'", y.p);
		}
	}
	free(copy);
	if (y.failed) {
		yaml_free(doc);
		return NULL;
	}
	return doc;
}

const struct ynode *yaml_root(const struct yaml_doc *doc) { return doc->root; }

void yaml_free(struct yaml_doc *doc)
{
	if (!doc)
		return;
	for (struct chunk *c = doc->chunks, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(doc);
}

const struct ynode *yaml_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YN_MAP)
		return NULL;
	for (unsigned i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->kids[i];
	return NULL;
}
