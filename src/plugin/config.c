/* A deliberately small JSON reader for the init config: one flat object
 * whose values are strings or non-negative integers. Anything else is an
 * error naming what was wrong, never a crash (the text comes from the
 * user's falco.yaml). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "config.h"

const char plugin_config_schema[] =
	"{\"$schema\":\"http://json-schema.org/draft-04/schema#\",\"type\":\"object\","
	"\"additionalProperties\":false,\"properties\":{"
	"\"schema\":{\"type\":[\"string\",\"number\"],\"description\":\"event schema of the host: auto "
	"(default, read from the host), or a version such as 4.5.1 or a libs release such as 0.25\"},"
	"\"ring_dir\":{\"type\":\"string\",\"description\":\"directory of the ring file pdig-ring "
	"(default $PDIG_RING_DIR, else /dev/shm)\"},"
	"\"ring_size_mb\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1024},"
	"\"snaplen\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":65536}}}";

struct reader {
	const char *p;
	char *err;
	size_t errlen;
};

static void skip_ws(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int bad(struct reader *r, const char *what)
{
	snprintf(r->err, r->errlen, "init config: %s", what);
	return -1;
}

/* A string into out (cap bytes with its NUL); simple escapes only. */
static int read_string(struct reader *r, char *out, size_t cap)
{
	if (*r->p != '"')
		return bad(r, "expected a string");
	r->p++;
	size_t n = 0;
	while (*r->p != '"') {
		char c = *r->p++;
		if (c == 0)
			return bad(r, "unterminated string");
		if ((unsigned char)c < 0x20)
			return bad(r, "control character in a string");
		if (c == '\\') {
			c = *r->p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			default: return bad(r, "unsupported escape in a string");
			}
		}
		if (n + 1 >= cap)
			return bad(r, "a string is too long");
		out[n++] = c;
	}
	r->p++;
	out[n] = 0;
	return 0;
}

static int read_uint(struct reader *r, uint64_t max, uint64_t *v)
{
	if (*r->p < '0' || *r->p > '9')
		return bad(r, "expected a non-negative integer");
	uint64_t x = 0;
	while (*r->p >= '0' && *r->p <= '9') {
		x = x * 10 + (uint64_t)(*r->p++ - '0');
		if (x > max)
			return bad(r, "a number is out of range");
	}
	*v = x;
	return 0;
}

static int read_member(struct reader *r, struct plugin_config *c)
{
	char key[64];
	uint64_t v;
	if (read_string(r, key, sizeof key) < 0)
		return -1;
	skip_ws(r);
	if (*r->p++ != ':')
		return bad(r, "expected ':'");
	skip_ws(r);
	if (!strcmp(key, "schema")) {
		/* Falco turns a YAML value that looks like a number into a JSON
		 * number even when it was quoted: 0.25 is taken as "0.25". */
		if (*r->p >= '0' && *r->p <= '9') {
			size_t n = strspn(r->p, "0123456789.");
			if (n >= sizeof c->schema)
				return bad(r, "a schema version is too long");
			memcpy(c->schema, r->p, n);
			c->schema[n] = 0;
			r->p += n;
			return 0;
		}
		return read_string(r, c->schema, sizeof c->schema);
	}
	if (!strcmp(key, "ring_dir"))
		return read_string(r, c->ring_dir, sizeof c->ring_dir);
	if (!strcmp(key, "ring_size_mb")) {
		if (read_uint(r, 1024, &v) < 0)
			return -1;
		if (v == 0)
			return bad(r, "ring_size_mb must be 1 to 1024");
		c->ring_size = (uint32_t)(v << 20);
		return 0;
	}
	if (!strcmp(key, "snaplen")) {
		if (read_uint(r, 65536, &v) < 0)
			return -1;
		c->snaplen = (uint32_t)v;
		return 0;
	}
	char what[128];
	snprintf(what, sizeof what, "unknown key \"%s\" (known: schema, ring_dir, ring_size_mb, snaplen)", key);
	return bad(r, what);
}

int plugin_config_parse(const char *text, struct plugin_config *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof *c);
	struct reader r = { text ? text : "", err, errlen };
	skip_ws(&r);
	if (!*r.p)
		return 0;
	if (*r.p++ != '{')
		return bad(&r, "expected a JSON object such as {\"schema\":\"auto\"}");
	skip_ws(&r);
	if (*r.p == '}') {
		r.p++;
	} else {
		for (;;) {
			if (read_member(&r, c) < 0)
				return -1;
			skip_ws(&r);
			if (*r.p == ',') {
				r.p++;
				skip_ws(&r);
				continue;
			}
			if (*r.p++ != '}')
				return bad(&r, "expected ',' or '}'");
			break;
		}
	}
	skip_ws(&r);
	if (*r.p)
		return bad(&r, "text after the object");
	return 0;
}
