/* Renders one event as a text or JSON line (formats documented in text.c).
 * Everything is decoded through pdig's schema table; every read is
 * bounded by the value lengths tev_decode() checked. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "schema/event_layout.h"
#include "text.h"
#include "text_int.h"

#define BYTES_MAX PDIG_SNAPLEN_DEFAULT /* I/O payload shown */
#define STR_MAX 4096    /* strings, args, env */
#define FDLIST_MAX 16   /* poll entries shown */
#define COMPOSE_MAX 1024

/* Output cursor: never writes past cap, keeps a NUL, remembers overflow. */
struct out {
	char *p;
	size_t cap, n;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	if (n >= o->cap - o->n) {
		n = o->cap - o->n - 1;
		o->full = true;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = 0;
}

static void puts_(struct out *o, const char *s) { put(o, s, strlen(s)); }

__attribute__((format(printf, 2, 3)))
static void putf(struct out *o, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Length of the well-formed UTF-8 sequence at s, 0 if malformed. */
static size_t utf8_len(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t len;
	uint8_t lo = 0x80, hi = 0xbf;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0) lo = 0xa0;
		if (c == 0xed) hi = 0x9f; /* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0) lo = 0x90;
		if (c == 0xf4) hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* A string value. bytes: binary data, shown as printable ASCII or '.';
 * otherwise text, with control characters made harmless (text mode) or
 * escaped (JSON; malformed UTF-8 bytes become \u00XX). */
static void put_str(struct out *o, bool json, const uint8_t *s, size_t n, bool bytes, size_t max)
{
	bool cut = n > max;
	if (cut)
		n = max;
	if (json)
		put(o, "\"", 1);
	for (size_t i = 0; i < n && !o->full;) {
		uint8_t c = s[i];
		if (bytes && (c < 0x20 || c > 0x7e))
			c = '.';
		if (!json) {
			put(o, (c < 0x20 || c == 0x7f) ? "." : (const char *)&c, 1);
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			put(o, esc, 2);
			i++;
		} else if (c == '\n') {
			put(o, "\\n", 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			putf(o, "\\u%04x", c);
			i++;
		} else if (bytes) { /* c is the printable replacement, not s[i] */
			put(o, (const char *)&c, 1);
			i++;
		} else {
			size_t l = utf8_len(s + i, n - i);
			if (l)
				put(o, (const char *)s + i, l);
			else
				putf(o, "\\u%04x", c);
			i += l ? l : 1;
		}
	}
	if (cut)
		put(o, "...", 3);
	if (json)
		put(o, "\"", 1);
}

static void put_cstr(struct out *o, bool json, const char *s)
{
	put_str(o, json, (const uint8_t *)s, strlen(s), false, STR_MAX);
}


static uint64_t rd_u(const uint8_t *v, size_t n)
{
	uint64_t x = 0;
	memcpy(&x, v, n); /* little-endian host, n <= 8 */
	return x;
}

static int64_t rd_s(const uint8_t *v, size_t n)
{
	uint64_t x = rd_u(v, n);
	unsigned sh = (unsigned)(64 - 8 * n);
	return sh ? (int64_t)(x << sh) >> sh : (int64_t)x;
}

/* Does a flag table describe bits (A|B) rather than exact values? Values
 * of a bitmask never partly overlap (O_RDWR=3 contains O_WRONLY=2). */
static bool is_bitmask(const struct pdig_flag_name *t)
{
	for (const struct pdig_flag_name *a = t; a->name; a++)
		for (const struct pdig_flag_name *b = a + 1; b->name; b++) {
			uint32_t x = a->value & b->value;
			if (x && x != a->value && x != b->value)
				return false;
		}
	return true;
}

static void flags_str(const struct pdig_flag_name *t, uint64_t val, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = 0;
	if (t) {
		for (const struct pdig_flag_name *f = t; f->name; f++)
			if (f->value == val) {
				snprintf(buf, cap, "%s", f->name);
				return;
			}
	}
	if (!t || !is_bitmask(t)) {
		snprintf(buf, cap, "%llu", (unsigned long long)val);
		return;
	}
	uint64_t rem = val;
	for (const struct pdig_flag_name *f = t; f->name && n < cap; f++)
		if (f->value && (rem & f->value) == f->value) {
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", n ? "|" : "", f->name);
			rem &= ~(uint64_t)f->value;
		}
	if (n < cap && !n && !rem)
		snprintf(buf, cap, "0");
	else if (n < cap && rem)
		snprintf(buf + n, cap - n, "%s0x%llx", n ? "|" : "", (unsigned long long)rem);
}

static void fdlist_str(const uint8_t *v, size_t n, char *buf, size_t cap)
{
	uint16_t count;
	size_t k = 0;
	buf[0] = 0;
	if (n < 2)
		return;
	memcpy(&count, v, 2);
	size_t have = (n - 2) / 10, show = count < have ? count : have;
	if (show > FDLIST_MAX)
		show = FDLIST_MAX;
	for (size_t i = 0; i < show && k < cap; i++) {
		int64_t fd = rd_s(v + 2 + 10 * i, 8);
		uint16_t fl = (uint16_t)rd_u(v + 10 + 10 * i, 2);
		k += (size_t)snprintf(buf + k, cap - k, "%s%lld:%x", i ? " " : "", (long long)fd, fl);
	}
	if (k < cap && show < count)
		snprintf(buf + k, cap - k, "%s...", k ? " " : "");
}

/* Side note on a number: errno name, fd name, AT_FDCWD. */
struct ann {
	const char *key; /* JSON key suffix: "errno" or "name"; NULL = none */
	const char *text;
};

static void put_num(struct out *o, bool json, uint8_t fmt, uint64_t bits, int64_t s, bool is_signed)
{
	if (!json && fmt == PF_HEX)
		putf(o, "0x%llx", (unsigned long long)bits);
	else if (!json && fmt == PF_OCT)
		putf(o, "%#llo", (unsigned long long)bits);
	else if (is_signed)
		putf(o, "%lld", (long long)s);
	else
		putf(o, "%llu", (unsigned long long)bits);
}

static void put_value(struct out *o, bool json, const struct pdig_param *p, const uint8_t *v,
		      size_t n, int64_t pid, struct ann *a, int depth)
{
	char buf[COMPOSE_MAX];
	uint8_t t = p->type;
	size_t fs = pt_fixed_size(t);
	if (fs && n != fs)
		goto bad;
	uint64_t u = fs ? rd_u(v, fs) : 0;
	int64_t s = fs ? rd_s(v, fs) : 0;

	switch (t) {
	case PT_INT8: case PT_INT16: case PT_INT32: case PT_INT64:
		put_num(o, json, p->fmt, u, s, true);
		return;
	case PT_UINT8: case PT_UINT16: case PT_UINT32: case PT_UINT64: case PT_PORT:
	case PT_L4PROTO: case PT_SOCKFAMILY: case PT_BOOL: case PT_RELTIME: case PT_ABSTIME:
	case PT_SIGSET:
		put_num(o, json, p->fmt, u, s, false);
		return;
	case PT_MODE:
		put_num(o, json, PF_OCT, u, s, false);
		return;
	case PT_ERRNO: case PT_PID: case PT_FD:
		putf(o, "%lld", (long long)s);
		if (t == PT_FD && s == -100)
			*a = (struct ann){ "name", "AT_FDCWD" };
		else if (s < 0 && s > -4096 && text_errno_name(-s))
			*a = (struct ann){ "errno", text_errno_name(-s) };
		else if (t == PT_FD && s >= 0 && tt_fd_name(pid, s))
			*a = (struct ann){ "name", tt_fd_name(pid, s) };
		return;
	case PT_UID: case PT_GID:
		putf(o, "%lld", u == 0xffffffffu ? -1LL : (long long)u);
		return;
	case PT_SYSCALLID:
		if (u < PDIG_SC_MAX && pdig_sc_names[u])
			put_cstr(o, json, pdig_sc_names[u]);
		else
			put_num(o, json, PF_DEC, u, s, false);
		return;
	case PT_SIGTYPE:
		snprintf(buf, sizeof buf, "%u", (unsigned)u);
		put_cstr(o, json, text_signal_name((unsigned)u) ? text_signal_name((unsigned)u) : buf);
		return;
	case PT_FLAGS8: case PT_FLAGS16: case PT_FLAGS32:
		flags_str(p->flags, u, buf, sizeof buf);
		put_cstr(o, json, buf);
		return;
	case PT_IPV4ADDR:
		snprintf(buf, sizeof buf, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
		put_cstr(o, json, buf);
		return;
	case PT_DOUBLE: {
		double d;
		memcpy(&d, v, 8);
		if (!isfinite(d))
			goto bad;
		putf(o, "%.17g", d);
		return;
	}
	case PT_CHARBUF: case PT_FSPATH: case PT_FSRELPATH: {
		const uint8_t *z = memchr(v, 0, n);
		put_str(o, json, v, z ? (size_t)(z - v) : n, false, STR_MAX);
		return;
	}
	case PT_BYTEBUF: {
		bool list = p->name && (!strcmp(p->name, "args") || !strcmp(p->name, "env") ||
					!strcmp(p->name, "cgroups"));
		put_str(o, json, v, n, true, list ? STR_MAX : BYTES_MAX);
		return;
	}
	case PT_SOCKADDR: case PT_SOCKTUPLE:
		if (!(t == PT_SOCKADDR ? text_sockaddr_str(v, n, buf, sizeof buf)
				      : text_tuple_str(v, n, buf, sizeof buf))) {
			puts_(o, json ? "null" : "NULL");
			return;
		}
		put_cstr(o, json, buf);
		return;
	case PT_FDLIST:
		if (n < 2)
			goto bad;
		fdlist_str(v, n, buf, sizeof buf);
		put_cstr(o, json, buf);
		return;
	case PT_DYN:
		/* One level only: a dyn entry is never itself dynamic. */
		if (depth || n < 1 || !p->dyn || v[0] >= p->ndyn || p->dyn[v[0]].type == PT_DYN)
			goto bad;
		put_value(o, json, &p->dyn[v[0]], v + 1, n - 1, pid, a, 1);
		return;
	default:
		break;
	}
bad:
	puts_(o, json ? "null" : "?");
}

/* "HH:MM:SS" of a second, cached: consecutive events share it. */
static const char *clock_str(uint64_t sec)
{
	static uint64_t last = UINT64_MAX;
	static char str[16];
	if (sec != last) {
		time_t t = (time_t)sec;
		struct tm tm;
		if (localtime_r(&t, &tm))
			snprintf(str, sizeof str, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
		else
			snprintf(str, sizeof str, "??:??:??");
		last = sec;
	}
	return str;
}

static void put_args(struct out *o, bool json, const struct tev *e)
{
	int64_t pid = tt_pid_or_tid(e->tid);
	for (uint32_t i = 0; i < e->np && !o->full; i++) {
		const struct pdig_param *p = &e->info->params[i];
		const char *name = p->name ? p->name : "?";
		struct ann a = { NULL, NULL };
		if (json) {
			if (i)
				put(o, ",", 1);
			put_cstr(o, true, name);
			put(o, ":", 1);
		} else {
			putf(o, " %s=", name);
			/* a whole environment drowns the line: say how big it is,
			 * like strace's default (the JSON output keeps it all) */
			if (p->type == PT_BYTEBUF && !strcmp(name, "env") && e->vlen[i] > 0) {
				size_t vars = 0;
				for (uint32_t k = 0; k < e->vlen[i]; k++)
					vars += e->val[i][k] == 0;
				putf(o, "[%zu vars]", vars);
				continue;
			}
		}
		put_value(o, json, p, e->val[i], e->vlen[i], pid, &a, 0);
		if (!a.key)
			continue;
		if (json) {
			char key[80];
			snprintf(key, sizeof key, "%s_%s", name, a.key);
			put(o, ",", 1);
			put_cstr(o, true, key);
			put(o, ":", 1);
			put_cstr(o, true, a.text);
		} else {
			put(o, "(", 1);
			put_str(o, false, (const uint8_t *)a.text, strlen(a.text), false, STR_MAX);
			put(o, ")", 1);
		}
	}
}

static void format_line(struct out *o, bool json, const struct tev *e, bool minimal)
{
	const struct tt_thread *t = tt_thread(e->tid);
	const char *comm = t && t->comm[0] ? t->comm : NULL;
	const char *type = e->info && e->info->name ? e->info->name : "<unknown>";
	const char *dir = (e->type & 1) ? "<" : ">";
	unsigned long long ns = e->ts % 1000000000ull;
	const char *hms = clock_str(e->ts / 1000000000ull);

	if (!json) {
		putf(o, "%s.%09llu ", hms, ns);
		put_str(o, false, (const uint8_t *)(comm ? comm : "?"), strlen(comm ? comm : "?"), false, STR_MAX);
		putf(o, "(%llu) %s %s", (unsigned long long)e->tid, dir, type);
		if (e->info && !minimal)
			put_args(o, false, e);
		if (e->truncated)
			puts_(o, " <truncated>");
		return;
	}
	putf(o, "{\"ts\":%llu,\"time\":\"%s.%09llu\",\"tid\":%llu,\"pid\":", (unsigned long long)e->ts,
	     hms, ns, (unsigned long long)e->tid);
	if (t && t->pid > 0)
		putf(o, "%lld", (long long)t->pid);
	else
		puts_(o, "null");
	puts_(o, ",\"comm\":");
	if (comm)
		put_cstr(o, true, comm);
	else
		puts_(o, "null");
	putf(o, ",\"dir\":\"%s\",\"type\":", dir);
	put_cstr(o, true, type);
	if (!minimal) {
		puts_(o, ",\"args\":{");
		if (e->info)
			put_args(o, true, e);
		puts_(o, "}");
	}
	if (e->truncated || minimal)
		puts_(o, ",\"truncated\":true");
	puts_(o, "}");
}

size_t text_format_event(const uint8_t *ev, size_t len, bool json, char *out, size_t cap)
{
	if (!out || cap == 0)
		return 0;
	struct out o = { out, cap, 0, false };
	out[0] = 0;
	struct tev e;
	if (!tev_decode(ev, len, &e)) {
		if (json)
			putf(&o, "{\"error\":\"malformed event\",\"len\":%zu}", len);
		else
			putf(&o, "<malformed event, %zu bytes>", len);
		if (o.full && json)
			out[0] = 0, o.n = 0; /* never a cut JSON line */
		return o.n;
	}
	tt_learn(&e);
	format_line(&o, json, &e, false);
	if (o.full && json) {
		/* A cut JSON line is useless: fall back to the header fields. */
		o = (struct out){ out, cap, 0, false };
		format_line(&o, json, &e, true);
	}
	tt_after(&e);
	if (o.full && json) {
		out[0] = 0;
		return 0;
	}
	return o.n;
}

void text_state_reset(void)
{
	tt_reset();
}
