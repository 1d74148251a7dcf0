#include <string.h>

#include "events/evbuf.h"

static void put(uint8_t *p, const void *v, size_t n) { memcpy(p, v, n); }

void evb_begin(struct evbuf *b, void *buf, size_t cap, uint16_t type, uint64_t ts, uint64_t tid)
{
	evb_begin_in(b, NULL, buf, cap, type, ts, tid);
}

void evb_begin_in(struct evbuf *b, const struct pdig_schema *s, void *buf, size_t cap, uint16_t type,
                  uint64_t ts, uint64_t tid)
{
	if (!s)
		s = pdig_schema_get(SCHEMA_1_0_0);
	b->buf = buf;
	b->cap = cap;
	b->schema = s;
	b->type = type;
	b->info = pdig_schema_event(s, type);
	b->idx = 0;
	b->overflow = !b->info;
	uint32_t np = b->info ? b->info->nparams : 0;
	b->off = EVT_HDR_LEN + 2u * np;
	if (b->off > cap) {
		b->overflow = true;
		return;
	}
	evt_put_header(b->buf, ts, tid, type, np);
}

uint8_t evb_next_type(const struct evbuf *b)
{
	if (!b->info || b->idx >= b->info->nparams)
		return PT_NONE;
	return b->info->params[b->idx].type;
}

uint8_t *evb_reserve(struct evbuf *b, size_t max)
{
	if (b->overflow || !b->info || b->idx >= b->info->nparams)
		return NULL;
	if (max > EVB_MAX_ARG)
		max = EVB_MAX_ARG;
	if (b->off + max > b->cap) {
		b->overflow = true;
		return NULL;
	}
	return b->buf + b->off;
}

void evb_commit(struct evbuf *b, size_t n)
{
	if (b->overflow || !b->info || b->idx >= b->info->nparams)
		return;
	if (n > EVB_MAX_ARG || b->off + n > b->cap) {
		b->overflow = true;
		return;
	}
	uint16_t len = (uint16_t)n;
	put(b->buf + EVT_HDR_LEN + 2u * b->idx, &len, 2);
	b->off += n;
	b->idx++;
}

void evb_bytes(struct evbuf *b, const void *p, size_t n)
{
	if (n > EVB_MAX_ARG)
		n = EVB_MAX_ARG;
	uint8_t *d = evb_reserve(b, n);
	if (!d)
		return;
	if (n)
		memcpy(d, p, n);
	evb_commit(b, n);
}

void evb_u8(struct evbuf *b, uint8_t v) { evb_bytes(b, &v, 1); }
void evb_u16(struct evbuf *b, uint16_t v) { evb_bytes(b, &v, 2); }
void evb_u32(struct evbuf *b, uint32_t v) { evb_bytes(b, &v, 4); }
void evb_u64(struct evbuf *b, uint64_t v) { evb_bytes(b, &v, 8); }

void evb_strn(struct evbuf *b, const char *s, size_t n)
{
	if (n > EVB_MAX_ARG - 1)
		n = EVB_MAX_ARG - 1;
	uint8_t *d = evb_reserve(b, n + 1);
	if (!d)
		return;
	memcpy(d, s, n);
	d[n] = 0;
	evb_commit(b, n + 1);
}

void evb_str(struct evbuf *b, const char *s)
{
	if (!s)
		s = "(NULL)";
	evb_strn(b, s, strnlen(s, EVB_MAX_ARG - 1));
}

void evb_empty(struct evbuf *b)
{
	uint8_t t = evb_next_type(b);
	size_t n = evb_type_size(t);
	if (t == PT_UID || t == PT_GID) {
		evb_u32(b, 0xffffffffu); /* "no value" */
	} else if (n) {
		static const uint8_t zero[8];
		evb_bytes(b, zero, n);
	} else if (t == PT_CHARBUF || t == PT_FSPATH || t == PT_FSRELPATH) {
		evb_strn(b, "", 0); /* never zero-length: the consumer needs the NUL */
	} else if (t == PT_FDLIST) {
		evb_u16(b, 0);
	} else if (t == PT_DYN) {
		/* index 0, then the empty value of that entry's type */
		const struct pdig_param *p = &b->info->params[b->idx];
		size_t vn = p->dyn && p->ndyn ? evb_type_size(p->dyn[0].type) : 0;
		static const uint8_t dyn0[9];
		evb_bytes(b, dyn0, 1 + vn);
	} else {
		evb_bytes(b, NULL, 0);
	}
}

size_t evb_finish(struct evbuf *b)
{
	if (!b->info)
		return 0;
	while (!b->overflow && b->idx < b->info->nparams)
		evb_empty(b);
	if (b->overflow)
		return 0;
	uint32_t len = (uint32_t)b->off;
	evt_set_len(b->buf, len);
	return len;
}
