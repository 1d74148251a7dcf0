/* Falco rule files as pdig reads them for --rules (src/schema/rules_yaml.c,
 * rules_cond.c, rules_db.c): the YAML subset, the condition syntax and its
 * event-type sets, the loader's append/override/enabled handling, and the
 * refusals of malformed or oversized input (one message naming file:line).
 * What each selection must be is Falco 0.44.1's own report for the same
 * text (tests/falco/test_rules_select.sh checks that against the binary). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "schema/rules_db.h"
#include "schema/rules_yaml.h"
#include "schema/schema.h"

static int nr(const char *name) { return pdig_syscall_by_name(name); }

/* The names selected by the files' texts (NULL-terminated pairs of name,
 * text), comma-separated; "ERR: message" on an error; "ALL" when every
 * named syscall is in. */
static const char *select_of(const char *const *files, char *warn, size_t wlen)
{
	static char out[4096];
	char err[512];
	struct rules_db *db = rules_db_new();
	struct syscall_set set;
	memset(&set, 0, sizeof set);
	for (int i = 0; files[i]; i += 2)
		if (rules_db_load_text(db, files[i], files[i + 1], err, sizeof err) < 0) {
			snprintf(out, sizeof out, "ERR: %s", err);
			rules_db_free(db);
			return out;
		}
	FILE *w = warn ? fmemopen(warn, wlen, "w") : NULL;
	int n = rules_db_select(db, &set, w, err, sizeof err);
	if (w)
		fclose(w);
	rules_db_free(db);
	if (n < 0) {
		snprintf(out, sizeof out, "ERR: %s", err);
		return out;
	}
	bool all = true;
	for (int i = 0; i < PDIG_SYSCALL_MAX; i++)
		if (pdig_native_names[i] && !set.on[i])
			all = false;
	if (all)
		return "ALL";
	size_t used = 0;
	out[0] = '\0';
	for (int i = 0; i < PDIG_SYSCALL_MAX && used < sizeof out - 1; i++)
		if (set.on[i] && pdig_native_names[i]) {
			int w = snprintf(out + used, sizeof out - used, "%s%s", used ? "," : "", pdig_native_names[i]);
			used = w < 0 || (size_t)w >= sizeof out - used ? sizeof out - 1 : used + (size_t)w;
		}
	return out;
}

static const char *one(const char *text)
{
	const char *files[] = { "r.yaml", text, NULL };
	return select_of(files, NULL, 0);
}

/* A rule with this condition (and macros/lists before it). */
static const char *cond(const char *before, const char *condition)
{
	size_t len = strlen(before) + strlen(condition) + 100;
	char *text = malloc(len);
	snprintf(text, len, "%s- rule: r\n  desc: d\n  condition: %s\n  output: o\n  priority: INFO\n", before,
		 condition);
	const char *r = one(text);
	free(text);
	return r;
}

/* All but the named syscalls? */
static bool all_but(const char *got, const char *const *names)
{
	char buf[4096];
	snprintf(buf, sizeof buf, ",%s,", got);
	for (int i = 0; names[i]; i++) {
		char n[80];
		snprintf(n, sizeof n, ",%s,", names[i]);
		if (strstr(buf, n))
			return false;
	}
	return strstr(buf, ",mkdir,") && strstr(buf, ",execve,");
}

static void test_yaml(void)
{
	char err[200];
	struct yaml_doc *d = yaml_parse("- a: 1\n  b: [x, 'y z', \"q\\\"\"]\n  c: >\n    one\n    two\n"
					"  d: |\n    l1\n    l2\n  e:\n  - s1\n  - s2\n  f: plain\n    more # c\n"
					"  g: {k: v, w: x}\n",
					err, sizeof err);
	CHECK_MSG(d != NULL, "parsed: %s", d ? "" : err);
	if (!d)
		return;
	const struct ynode *r = yaml_root(d);
	CHECK(r->kind == YN_SEQ && r->n == 1);
	const struct ynode *m = r->kids[0];
	CHECK_EQ_STR(yaml_get(m, "a")->text, "1");
	const struct ynode *b = yaml_get(m, "b");
	CHECK(b->kind == YN_SEQ && b->n == 3);
	CHECK_EQ_STR(b->kids[1]->text, "y z");
	CHECK_EQ_STR(b->kids[2]->text, "q\"");
	CHECK_EQ_STR(yaml_get(m, "c")->text, "one two\n");
	CHECK_EQ_STR(yaml_get(m, "d")->text, "l1\nl2\n");
	CHECK(yaml_get(m, "e")->kind == YN_SEQ && yaml_get(m, "e")->n == 2);
	CHECK_EQ_STR(yaml_get(m, "f")->text, "plain more");
	CHECK_EQ_STR(yaml_get(yaml_get(m, "g"), "w")->text, "x");
	CHECK_EQ_INT(yaml_get(m, "f")->line, 12);
	yaml_free(d);

	/* refused, naming the line */
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "- a: 1\n\t- b\n", "2: a tab in the indentation" },
		{ "- a: \"open\n", "a quoted string that does not end" },
		{ "- a: [x, y\n", "a flow collection that does not end" },
		{ "- a: [x, y\n- b: 1\n", "expected ',' or ']'" },
		{ "- a: *alias\n", "anchors" },
		{ "- a: 1\n - b\n", "2: unexpected indentation" },
		{ "- a: 'x' y\n", "unexpected text after a value" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		d = yaml_parse(bad[i].text, err, sizeof err);
		CHECK_MSG(d == NULL && strstr(err, bad[i].msg), "%s: got '%s', want '%s'", bad[i].text, d ? "parsed" : err,
			  bad[i].msg);
		yaml_free(d);
	}
	/* nesting is bounded: 10 000 nested flow lists are refused, not a stack overflow */
	char *deep = malloc(20010);
	strcpy(deep, "- a: ");
	memset(deep + 5, '[', 10000);
	strcpy(deep + 10005, "\n");
	d = yaml_parse(deep, err, sizeof err);
	CHECK_MSG(d == NULL && strstr(err, "nested deeper"), "deep flow: %s", d ? "parsed" : err);
	free(deep);
	yaml_free(d);
	d = yaml_parse("", err, sizeof err);
	CHECK(d && !yaml_root(d));
	yaml_free(d);
}

static void test_conditions(void)
{
	static const char *const open2[] = { "open", "openat", NULL };
	static const char *const none[] = { NULL };
	CHECK_EQ_STR(cond("", "evt.type=connect and proc.name=x"), "connect");
	CHECK_EQ_STR(cond("", "evt.type in (open, openat) and proc.name=x"), "open,openat");
	CHECK_MSG(all_but(cond("", "not evt.type in (open, openat) and proc.name=x"), open2), "not in: all but open*");
	CHECK_MSG(all_but(cond("", "evt.type != open and evt.type != openat"), open2), "!=: all but them");
	CHECK_EQ_STR(cond("", "proc.name=x"), "ALL");
	CHECK_EQ_STR(cond("", "evt.type=open or proc.name=x"), "ALL");
	CHECK_EQ_STR(cond("", "evt.type=open or (proc.name=x and evt.type=connect)"), "open,connect");
	/* not pushed through and/or, as libsinsp does */
	CHECK_MSG(all_but(cond("", "not (proc.name=x or evt.type=open)"), (const char *const[]){ "open", NULL }),
		  "not (A or type): all but the type");
	CHECK_EQ_STR(cond("", "not (evt.type=open and proc.name=x)"), "ALL");
	CHECK_EQ_STR(cond("", "not (evt.type != \"symlinkat\")"), "symlinkat");
	CHECK_EQ_STR(cond("", "not (evt.type=open or evt.type!=open)"), "");
	CHECK_EQ_STR(cond("", "not not proc.name=x"), "ALL");
	/* other operators on evt.type do not narrow */
	CHECK_EQ_STR(cond("", "evt.type intersects (open)"), "ALL");
	CHECK_EQ_STR(cond("", "evt.type pmatch (open)"), "ALL");
	CHECK_EQ_STR(cond("", "tolower(evt.type) = open"), "ALL");
	CHECK_EQ_STR(cond("", "evt.type exists"), "ALL");
	CHECK_EQ_STR(cond("", "evt.type = val(evt.type)"), "ALL");
	/* quoted values, names of events, generic syscalls, non-syscall events */
	CHECK_EQ_STR(cond("", "evt.type in (\"open\", 'connect') and fd.name=\"a b (c)\""), "open,connect");
	CHECK_EQ_STR(cond("", "evt.type=pread"), "pread64");
	CHECK_EQ_STR(cond("", "evt.type=syncfs"), "syncfs");
	CHECK_EQ_STR(cond("", "evt.type=procexit"), "");
	CHECK_EQ_STR(cond("", "evt.type=accept4"), "accept,accept4"); /* as Falco 0.44 reports */
	CHECK_EQ_STR(cond("", "evt.type=close_range"), "close_range"); /* its enter event is "NA" */
	/* complemented, accept4 removes itself only, accept both (Falco 0.44.1) */
	CHECK_EQ_STR(cond("", "evt.type=accept and not evt.type=accept4"), "accept");
	CHECK_EQ_STR(cond("", "evt.type in (accept, connect) and evt.type != accept4"), "connect,accept");
	CHECK_EQ_STR(cond("", "evt.type=accept4 and not evt.type=accept"), "");
	CHECK_MSG(all_but(cond("", "not evt.type=accept4"), (const char *const[]){ "accept4", NULL }) &&
			  strstr(cond("", "not evt.type=accept4"), "accept,"),
		  "not accept4: all but accept4");
	/* syscall.type narrows as evt.type */
	CHECK_EQ_STR(cond("", "syscall.type in (mkdir, rmdir) and proc.name=x"), "mkdir,rmdir");
	/* split over lines, field arguments, comparison operators */
	CHECK_EQ_STR(cond("", ">\n    evt.type in (open,\n      openat)\n    and proc.aname[2] != x and fd.num>=0"),
		     "open,openat");
	(void)none;
}

static void test_macros_lists(void)
{
	const char *defs = "- list: l1\n  items: [connect, l2]\n- list: l2\n  items:\n    - accept\n    - l1\n"
			   "- macro: m\n  condition: evt.type in (l1)\n- macro: n\n  condition: not m\n";
	CHECK_EQ_STR(cond(defs, "m and proc.name=x"), "connect,accept,accept4");
	CHECK_MSG(all_but(cond(defs, "n"), (const char *const[]){ "connect", "accept", "accept4", NULL }),
		  "a negated macro: all but its types");
	/* a list named as an event type hides it, after =, !=, in and as an
	 * item; a quoted value is never a list (Falco 0.44.1) */
	const char *hide = "- list: open\n  items: [connect]\n- list: b\n  items: [open, mkdir]\n";
	CHECK_EQ_STR(cond(hide, "evt.type = open"), "connect");
	CHECK_EQ_STR(cond(hide, "evt.type in (b)"), "connect,mkdir");
	CHECK_EQ_STR(cond(hide, "evt.type = \"open\""), "open");
	CHECK_MSG(all_but(cond(hide, "evt.type != open"), (const char *const[]){ "connect", NULL }) &&
			  strstr(cond(hide, "evt.type != open"), "open,"),
		  "!= a list named open: all but connect");
	CHECK_EQ_STR(cond("- list: l\n  items: [accept4]\n", "evt.type in (accept, connect) and not evt.type in (l)"),
		     "connect,accept");
	/* exceptions with `in` and a scalar value: a list's name, or a name */
	const char *exc = "- list: skip\n  items: [open, connect]\n- rule: r\n  desc: d\n  condition: evt.type in "
			  "(open, connect, mkdir)\n  output: o\n  priority: INFO\n  exceptions:\n  - name: x\n    fields: "
			  "[evt.type]\n    comps: [in]\n    values: [[%s]]\n";
	char text[512];
	snprintf(text, sizeof text, exc, "skip");
	CHECK_EQ_STR(one(text), "mkdir");
	snprintf(text, sizeof text, exc, "open");
	CHECK_EQ_STR(one(text), "connect,mkdir");
	char xwarn[512] = "";
	snprintf(text, sizeof text, exc, "nosuch");
	const char *xf[] = { "x.yaml", text, NULL };
	CHECK_EQ_STR(select_of(xf, xwarn, sizeof xwarn), "ALL");
	CHECK_MSG(strstr(xwarn, "x.yaml:5: rule 'r': exception 'x': 'nosuch' is no event type") && !strstr(xwarn, "offset"),
		  "the exception named: %s", xwarn);
	/* a macro defined after the rule that uses it */
	const char *later[] = { "r.yaml",
				"- rule: r\n  desc: d\n  condition: later\n  output: o\n  priority: INFO\n"
				"- macro: later\n  condition: evt.type=chmod\n",
				NULL };
	CHECK_EQ_STR(select_of(later, NULL, 0), "chmod");
	/* undefined names and unknown types: every syscall, and a line naming the rule */
	char warn[512] = "";
	const char *undef[] = { "u.yaml", "- rule: R1\n  desc: d\n  condition: nosuch and evt.type=open\n  output: o\n"
					  "  priority: INFO\n", NULL };
	CHECK_EQ_STR(select_of(undef, warn, sizeof warn), "ALL");
	CHECK_MSG(strstr(warn, "u.yaml:3: rule 'R1': no macro or list named 'nosuch'") != NULL, "warned: %s", warn);
	CHECK_EQ_STR(cond("", "evt.type=nonesuch"), "ALL");
	/* a macro using itself is malformed */
	const char *self = "- macro: a\n  condition: b\n- macro: b\n  condition: evt.type=open and a\n";
	const char *r = cond(self, "a");
	CHECK_MSG(strstr(r, "ERR: r.yaml:") && strstr(r, "uses itself"), "macro cycle: %s", r);
	/* a chain of 40 macros: beyond the nesting bound, refused */
	char chain[8192] = "";
	size_t u = 0;
	for (int i = 0; i < 40; i++)
		u += (size_t)snprintf(chain + u, sizeof chain - u, "- macro: m%d\n  condition: m%d\n", i, i + 1);
	snprintf(chain + u, sizeof chain - u, "- macro: m40\n  condition: evt.type=open\n");
	r = cond(chain, "m0");
	CHECK_MSG(strstr(r, "ERR:") && strstr(r, "nested deeper"), "macro chain: %s", r);
	/* a long list chain: no recursion */
	static char lists[1 << 20];
	u = 0;
	for (int i = 0; i < 10000; i++)
		u += (size_t)snprintf(lists + u, sizeof lists - u, "- list: l%d\n  items: [l%d]\n", i, i + 1);
	snprintf(lists + u, sizeof lists - u, "- list: l10000\n  items: [mkdir]\n");
	CHECK_EQ_STR(cond(lists, "evt.type in (l0)"), "mkdir");
}

static void test_loader(void)
{
	const char *base = "- required_engine_version: 0.31.0\n"
			   "- list: net\n  items: [connect]\n"
			   "- macro: op\n  condition: evt.type in (open, openat)\n"
			   "- rule: off later\n  desc: d\n  condition: evt.type=mkdir\n  output: o\n  priority: INFO\n"
			   "- rule: on later\n  desc: d\n  condition: evt.type=rmdir\n  output: o\n  priority: INFO\n"
			   "  enabled: false\n"
			   "- rule: replaced\n  desc: d\n  condition: evt.type=symlink\n  output: o\n  priority: INFO\n"
			   "- rule: k8s\n  desc: d\n  condition: evt.type=ptrace\n  output: o\n  priority: INFO\n"
			   "  source: k8s_audit\n"
			   "- rule: exc\n  desc: d\n  condition: evt.type=unlink\n  output: o\n  priority: INFO\n"
			   "  exceptions:\n    - name: e\n      fields: [evt.type]\n      values: [[unlink]]\n";
	const char *over = "- list: net\n  items: [bind]\n  override:\n    items: append\n"
			   "- macro: op\n  condition: or evt.type=creat\n  append: true\n"
			   "- rule: uses\n  desc: d\n  condition: op or evt.type in (net)\n  output: o\n  priority: INFO\n"
			   "- rule: off later\n  enabled: false\n"
			   "- rule: on later\n  enabled: true\n"
			   "- rule: replaced\n  condition: evt.type=symlinkat\n  override:\n    condition: replace\n";
	const char *files[] = { "base.yaml", base, "over.yaml", over, NULL };
	/* the exception on evt.type alone takes unlink out, as in Falco */
	CHECK_EQ_STR(select_of(files, NULL, 0), "open,connect,bind,rmdir,creat,openat,symlinkat");
	const char *only_base[] = { "base.yaml", base, NULL };
	CHECK_EQ_STR(select_of(only_base, NULL, 0), "mkdir,symlink");
	/* exceptions narrow only through evt.type fields (as Falco 0.44.1 reports) */
	const char *exc = "- rule: r\n  condition: evt.type=open or evt.type=mkdir\n  exceptions:\n"
			  "    - name: e\n      fields: [evt.type]\n      values: [[open]]\n"
			  "- rule: r2\n  condition: evt.type in (rmdir, unlink, chmod, fchmod)\n  exceptions:\n"
			  "    - name: single\n      fields: evt.type\n      values: [rmdir]\n"
			  "    - name: two\n      fields: [evt.type, evt.type]\n      comps: [in, \"!=\"]\n"
			  "      values:\n        - [[unlink, chmod], unlink]\n"
			  "    - name: other field\n      fields: [evt.type, proc.name]\n      values: [[fchmod, x]]\n"
			  "- rule: r3\n  condition: evt.type in (link, linkat)\n  exceptions:\n"
			  "    - name: e3\n      fields: [evt.type]\n      comps: [pmatch]\n      values: [[[link]]]\n"
			  "- rule: r3\n  exceptions:\n    - name: e4\n      fields: evt.type\n      comps: in\n"
			  "      values: [link]\n  override:\n    exceptions: append\n";
	CHECK_EQ_STR(one(exc), "mkdir,unlink,fchmod,linkat");
	/* refusals name file:line */
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "- rule: r\n  desc: d\n  condition: evt.type in (open\n  output: o\n", "r.yaml:3: rule 'r':" },
		{ "- rule: r\n  condition: evt.type=open and\n", "r.yaml:2: rule 'r': expected a condition" },
		{ "- rule: r\n  condition: (evt.type=open\n", "expected ')'" },
		{ "- rule: r\n  condition: evt.type=open)\n", "unexpected text" },
		{ "- rule: r\n  condition: proc.name foo x\n", "an unknown operator" },
		{ "- rule: r\n  condition: proc.name\n", "field 'proc.name' without an operator" },
		{ "- rule: r\n  condition: evt.type=open # a hash in a folded condition\n  desc: >\n    x\n", NULL },
		{ "- rule: r\n  enabled: false\n", "r.yaml:1: rule 'r': changes no earlier rule" },
		{ "- list: l\n  items: [a]\n  append: true\n", "r.yaml:1: list 'l': appends to no earlier list" },
		{ "- rule: r\n  desc: d\n", "r.yaml:1: rule 'r': no condition" },
		{ "- rule: r\n  condition: evt.type=open\n  enabled: maybe\n", "r.yaml:3: rule 'r': enabled: not a boolean" },
		{ "rule: r\n", "r.yaml:1: not a list of rules" },
		{ "- rule: r\n  condition: >\n    evt.type=open # not a YAML comment here\n", "r.yaml:2: rule 'r':" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *r = one(bad[i].text);
		if (!bad[i].msg)
			CHECK_MSG(strncmp(r, "ERR", 3), "%s: refused: %s", bad[i].text, r);
		else
			CHECK_MSG(!strncmp(r, "ERR: ", 5) && strstr(r, bad[i].msg), "%s: got '%s', want '%s'", bad[i].text, r,
				  bad[i].msg);
	}
	/* deep parentheses: refused at the bound, not a stack overflow */
	static char deep[30000];
	strcpy(deep, "- rule: r\n  condition: ");
	size_t u = strlen(deep);
	memset(deep + u, '(', 20000);
	strcpy(deep + u + 20000, "evt.type=open\n");
	const char *r = one(deep);
	CHECK_MSG(strstr(r, "nested deeper than"), "deep parentheses: %.80s", r);
	memset(deep + u, ' ', 20000);
	memcpy(deep + u, "not ", 4);
	for (int i = 0; i < 4000; i++)
		memcpy(deep + u + i * 4, "not ", 4);
	r = one(deep);
	CHECK_MSG(strstr(r, "nested deeper than"), "4000 nots: %.80s", r);
	(void)nr;
}

/* What yaml-cpp takes and Falco 0.44.1 loads: a byte order mark, y/n
 * booleans, \\x, \\u and \\U escapes. */
static void test_yaml_forms(void)
{
	CHECK_EQ_STR(one("\xef\xbb\xbf- rule: r\n  desc: d\n  condition: evt.type=mkdir\n  output: o\n  priority: INFO\n"),
		     "mkdir");
	CHECK_EQ_STR(one("- rule: r\n  desc: d\n  condition: evt.type=mkdir\n  output: o\n  priority: INFO\n  enabled: n\n"
			 "- rule: s\n  desc: d\n  condition: evt.type=rmdir\n  output: o\n  priority: INFO\n  enabled: Y\n"),
		     "rmdir");
	CHECK_EQ_STR(one("- rule: r\n  desc: d\n  condition: \"evt.type=\\u0072mdir or evt.type=\\x6dkdir or "
			 "evt.type=\\U00000063hmod\"\n  output: o\n  priority: INFO\n"),
		     "mkdir,rmdir,chmod");
	const char *r = one("- rule: r\n  condition: \"evt.type=\\x6\"\n");
	CHECK_MSG(!strncmp(r, "ERR: r.yaml:2:", 14) && strstr(r, "escape"), "a short \\x escape: %s", r);
}

int main(void)
{
	test_yaml_forms();
	test_yaml();
	test_conditions();
	test_macros_lists();
	test_loader();
	return check_done("test_rules_parse");
}
