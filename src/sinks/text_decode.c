/* Bounds-checked decoding of one scap event for the text renderer, plus
 * the socket address renderings (docs/scap-event.md §7, §8). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "schema/event_layout.h"
#include "text_int.h"

bool tev_decode(const uint8_t *ev, size_t len, struct tev *e)
{
	memset(e, 0, sizeof *e);
	if (!ev || len < EVT_HDR_LEN)
		return false;
	e->ts = evt_ts(ev);
	e->tid = evt_tid(ev);
	e->type = evt_type(ev);
	e->info = pdig_event_info(e->type);
	/* The header length may lie either way: trust only what we hold. */
	size_t limit = evt_len(ev);
	if (limit < EVT_HDR_LEN)
		return false;
	if (limit > len) {
		limit = len;
		e->truncated = true;
	}
	uint32_t hnp = evt_nparams(ev);
	if (hnp > (limit - EVT_HDR_LEN) / 2) /* the length array alone would not fit */
		return false;
	if (!e->info)
		return true;
	/* The consumer reads min(header, schema) values; the length array is
	 * always header-nparams long. */
	uint32_t want = e->info->nparams < PDIG_MAX_PARAMS ? e->info->nparams : PDIG_MAX_PARAMS;
	uint32_t np = hnp < want ? hnp : want;
	size_t off = EVT_HDR_LEN + 2u * (size_t)hnp;
	for (uint32_t i = 0; i < np; i++) {
		uint16_t l;
		memcpy(&l, ev + EVT_HDR_LEN + 2u * i, 2);
		if (l > limit - off) {
			e->truncated = true;
			break;
		}
		e->val[i] = ev + off;
		e->vlen[i] = l;
		off += l;
		e->np = i + 1;
	}
	if (e->np < want)
		e->truncated = true;
	return true;
}

int tev_find(const struct tev *e, const char *name)
{
	for (uint32_t i = 0; e->info && i < e->np; i++)
		if (e->info->params[i].name && !strcmp(e->info->params[i].name, name))
			return (int)i;
	return -1;
}

bool tev_int(const struct tev *e, int i, int64_t *out)
{
	if (i < 0 || (uint32_t)i >= e->np)
		return false;
	const uint8_t *v = e->val[i];
	switch (e->vlen[i]) {
	case 1: *out = (int8_t)v[0]; return true;
	case 2: { int16_t x; memcpy(&x, v, 2); *out = x; return true; }
	case 4: { int32_t x; memcpy(&x, v, 4); *out = x; return true; }
	case 8: { int64_t x; memcpy(&x, v, 8); *out = x; return true; }
	default: return false;
	}
}

bool tev_int_named(const struct tev *e, const char *name, int64_t *out)
{
	return tev_int(e, tev_find(e, name), out);
}

/* PPM_AF_* family codes on the wire. */
enum { WAF_UNIX = 1, WAF_INET = 2, WAF_INET6 = 10 };

static void ip4(const uint8_t *a, char *buf, size_t cap)
{
	snprintf(buf, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

static void ip6(const uint8_t *a, char *buf, size_t cap)
{
	if (!inet_ntop(AF_INET6, a, buf, (socklen_t)cap))
		snprintf(buf, cap, "?");
}

static bool v4mapped(const uint8_t *a)
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return !memcmp(a, pre, 12);
}

static uint16_t port(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* Path bytes up to the first NUL or the end of the value. */
static int pathlen(const uint8_t *p, size_t n)
{
	const uint8_t *z = memchr(p, 0, n);
	size_t l = z ? (size_t)(z - p) : n;
	return l > 4096 ? 4096 : (int)l;
}

bool text_sockaddr_str(const uint8_t *v, size_t n, char *buf, size_t cap)
{
	char a[64];
	if (n == 0 || cap == 0)
		return false;
	if (v[0] == WAF_INET && n >= 7) {
		ip4(v + 1, a, sizeof a);
		snprintf(buf, cap, "%s:%u", a, port(v + 5));
	} else if (v[0] == WAF_INET6 && n >= 19) {
		if (v4mapped(v + 1))
			ip4(v + 13, a, sizeof a);
		else
			ip6(v + 1, a, sizeof a);
		snprintf(buf, cap, "%s:%u", a, port(v + 17));
	} else if (v[0] == WAF_UNIX) {
		snprintf(buf, cap, "%.*s", pathlen(v + 1, n - 1), (const char *)v + 1);
	} else {
		return false;
	}
	return true;
}

bool text_tuple_str(const uint8_t *v, size_t n, char *buf, size_t cap)
{
	char a[64], b[64];
	if (n == 0 || cap == 0)
		return false;
	if (v[0] == WAF_INET && n >= 13) {
		ip4(v + 1, a, sizeof a);
		ip4(v + 7, b, sizeof b);
		snprintf(buf, cap, "%s:%u->%s:%u", a, port(v + 5), b, port(v + 11));
	} else if (v[0] == WAF_INET6 && n >= 37) {
		bool m = v4mapped(v + 1) && v4mapped(v + 19);
		if (m) {
			ip4(v + 13, a, sizeof a);
			ip4(v + 31, b, sizeof b);
		} else {
			ip6(v + 1, a, sizeof a);
			ip6(v + 19, b, sizeof b);
		}
		snprintf(buf, cap, "%s:%u->%s:%u", a, port(v + 17), b, port(v + 35));
	} else if (v[0] == WAF_UNIX && n >= 17) {
		uint64_t s, d;
		memcpy(&s, v + 1, 8);
		memcpy(&d, v + 9, 8);
		snprintf(buf, cap, "%llx->%llx %.*s", (unsigned long long)s, (unsigned long long)d,
			 pathlen(v + 17, n - 17), (const char *)v + 17);
	} else {
		return false;
	}
	return true;
}
