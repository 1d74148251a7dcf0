/* Shared test doubles; see fake.h. */
#include <stdbool.h>
#include <stdlib.h>

#include "fake.h"

/* ---- memory ---- */

static ssize_t fm_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct fake_mem *m = ctx;
	m->reads++;
	for (int i = 0; i < m->n; i++) {
		struct fake_region *r = &m->r[i];
		if (addr >= r->addr && addr - r->addr < r->len) {
			size_t off = (size_t)(addr - r->addr);
			size_t n = r->len - off < len ? r->len - off : len;
			memcpy(dst, r->data + off, n);
			return (ssize_t)n;
		}
	}
	return -1;
}

/* Like process_vm_readv: areas in order, stopping at the first that
 * cannot be read (the later ones get 0). A region ends where its bytes do,
 * so a short area is not a failure (a real page is mapped whole). */
static void fm_readv(void *ctx, const struct mem_span *spans, size_t n, size_t *got)
{
	struct fake_mem *m = ctx;
	m->readvs++;
	m->readv_areas += (unsigned)n;
	bool failed = false;
	for (size_t i = 0; i < n; i++) {
		got[i] = 0;
		if (failed)
			continue;
		unsigned reads = m->reads;
		ssize_t r = fm_read(ctx, spans[i].addr, spans[i].dst, spans[i].len);
		m->reads = reads; /* counted as part of the readv */
		if (r > 0)
			got[i] = (size_t)r;
		if (r <= 0)
			failed = true;
	}
}

static ssize_t fm_recall(void *ctx, uint64_t addr, char *dst, size_t cap)
{
	struct fake_mem *m = ctx;
	for (int i = 0; i < m->nkept; i++) {
		size_t n = strlen(m->kept[i].s);
		if (m->kept[i].addr == addr && n < cap) {
			memcpy(dst, m->kept[i].s, n + 1);
			return (ssize_t)n;
		}
	}
	return -1;
}

void fake_mem_keep(struct fake_mem *m, uint64_t addr, const char *s)
{
	if (m->nkept >= (int)(sizeof m->kept / sizeof m->kept[0]) || strlen(s) >= sizeof m->kept[0].s)
		abort();
	m->kept[m->nkept].addr = addr;
	strcpy(m->kept[m->nkept++].s, s);
}

void fake_mem_init(struct fake_mem *m)
{
	memset(m, 0, sizeof(*m));
	m->mem.ctx = m;
	m->mem.read = fm_read;
	m->mem.readv = fm_readv;
	m->mem.recall_str = fm_recall;
}

void fake_mem_free(struct fake_mem *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->r[i].data);
	m->n = 0;
}

uint64_t fake_mem_map(struct fake_mem *m, uint64_t addr, const void *data, size_t len)
{
	if (m->n >= FAKE_MEM_REGIONS || !len) {
		fprintf(stderr, "fake_mem_map: bad region\n");
		abort();
	}
	struct fake_region *r = &m->r[m->n++];
	r->addr = addr;
	r->len = len;
	r->data = malloc(len);
	if (!r->data)
		abort();
	memcpy(r->data, data, len);
	return addr;
}

uint64_t fake_mem_str(struct fake_mem *m, uint64_t addr, const char *s)
{
	return fake_mem_map(m, addr, s, strlen(s) + 1);
}

/* ---- state ---- */

static struct fake_fd *find_fd(struct fake_state *s, int64_t pid, int64_t fd)
{
	for (int i = 0; i < s->nfds; i++)
		if (s->fds[i].pid == pid && s->fds[i].fd == fd)
			return &s->fds[i];
	return NULL;
}

static struct fake_fd *add_fd(struct fake_state *s, int64_t pid, int64_t fd)
{
	struct fake_fd *f = find_fd(s, pid, fd);
	if (f)
		return f;
	if (s->nfds >= FAKE_STATE_MAX)
		abort();
	f = &s->fds[s->nfds++];
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->fd = fd;
	return f;
}

static const struct proc_snapshot *fs_proc(void *ctx, int64_t tid)
{
	struct fake_state *s = ctx;
	s->proc_calls++;
	return s->has_proc ? &s->proc : NULL;
}

static int fs_sock(void *ctx, int64_t pid, int64_t fd, struct sock_names *out)
{
	struct fake_state *s = ctx;
	s->sock_calls++;
	struct fake_fd *f = find_fd(s, pid, fd);
	if (!f || !f->has_sock)
		return -1;
	*out = f->names;
	return 0;
}

static int fs_fd_stat(void *ctx, int64_t pid, int64_t fd, uint64_t *dev, uint64_t *ino)
{
	struct fake_state *s = ctx;
	s->stat_calls++;
	struct fake_fd *f = find_fd(s, pid, fd);
	if (!f || !f->has_stat)
		return -1;
	*dev = f->dev;
	*ino = f->ino;
	return 0;
}

static uint64_t fs_sock_id(void *ctx, int64_t pid, int64_t fd)
{
	struct fake_state *s = ctx;
	s->id_calls++;
	struct fake_fd *f = find_fd(s, pid, fd);
	return f ? f->sock_id : 0;
}

void fake_state_init(struct fake_state *s)
{
	memset(s, 0, sizeof(*s));
	s->st.ctx = s;
	s->st.proc = fs_proc;
	s->st.sock = fs_sock;
	s->st.fd_stat = fs_fd_stat;
	s->st.sock_id = fs_sock_id;
}

void fake_state_fd(struct fake_state *s, int64_t pid, int64_t fd, uint64_t dev, uint64_t ino)
{
	struct fake_fd *f = add_fd(s, pid, fd);
	f->dev = dev;
	f->ino = ino;
	f->has_stat = 1;
}

void fake_state_sock(struct fake_state *s, int64_t pid, int64_t fd,
		     const struct sock_names *names, uint64_t id)
{
	struct fake_fd *f = add_fd(s, pid, fd);
	if (names) {
		f->names = *names;
		f->has_sock = 1;
	}
	f->sock_id = id;
}

void fake_ctx(struct enc_ctx *c, struct fake_mem *m, struct fake_state *s, uint64_t nr,
	      uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	memset(c, 0, sizeof(*c));
	c->ts = T_TS;
	c->tid = T_TID;
	c->pid = T_PID;
	c->nr = nr;
	c->args[0] = a0; c->args[1] = a1; c->args[2] = a2;
	c->args[3] = a3; c->args[4] = a4; c->args[5] = a5;
	c->snaplen = PDIG_SNAPLEN_DEFAULT;
	c->mem = &m->mem;
	c->st = &s->st;
}

/* ---- decoding ---- */

size_t t_fixed_size(uint8_t t)
{
	switch (t) {
	case PT_INT8: case PT_UINT8: case PT_SIGTYPE: case PT_FLAGS8: case PT_L4PROTO:
	case PT_SOCKFAMILY:
		return 1;
	case PT_INT16: case PT_UINT16: case PT_SYSCALLID: case PT_FLAGS16: case PT_PORT:
		return 2;
	case PT_INT32: case PT_UINT32: case PT_FLAGS32: case PT_UID: case PT_GID:
	case PT_SIGSET: case PT_MODE: case PT_BOOL: case PT_IPV4ADDR:
		return 4;
	case PT_INT64: case PT_UINT64: case PT_ERRNO: case PT_FD: case PT_PID:
	case PT_RELTIME: case PT_ABSTIME: case PT_DOUBLE:
		return 8;
	default:
		return 0;
	}
}

static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static const struct pdig_schema *parse_schema;

void devent_schema(const struct pdig_schema *s) { parse_schema = s; }

const char *devent_parse(const uint8_t *e, size_t n, struct devent *d)
{
	memset(d, 0, sizeof(*d));
	if (n < EVT_HDR_LEN)
		return "shorter than a header";
	d->ts = le(e, 8);
	d->tid = le(e + 8, 8);
	d->len = (uint32_t)le(e + 16, 4);
	d->type = (uint16_t)le(e + 20, 2);
	d->nparams = (uint32_t)le(e + 22, 4);
	if (d->len != n)
		return "header len != event size";
	const struct pdig_event *info =
		parse_schema ? pdig_schema_event(parse_schema, d->type) : pdig_event_info(d->type);
	if (!info)
		return "type out of range";
	if (d->nparams != info->nparams)
		return "nparams != schema";
	size_t off = EVT_HDR_LEN + 2u * d->nparams;
	if (off > n)
		return "length array overruns the event";
	for (uint32_t i = 0; i < d->nparams; i++) {
		struct dparam *p = &d->p[i];
		p->type = info->params[i].type;
		p->len = (uint16_t)le(e + EVT_HDR_LEN + 2 * i, 2);
		if (off + p->len > n)
			return "values overrun the event";
		p->val = e + off;
		off += p->len;
		size_t fs = t_fixed_size(p->type);
		if (fs && p->len != fs)
			return "fixed-width param has the wrong size";
		if (p->type == PT_CHARBUF || p->type == PT_FSPATH || p->type == PT_FSRELPATH) {
			if (!p->len)
				return "zero-length string param";
			if (memchr(p->val, 0, p->len) != p->val + p->len - 1)
				return "string param not exactly NUL-terminated";
		}
		if (p->type == PT_DYN) {
			const struct pdig_param *pi = &info->params[i];
			if (!p->len || p->val[0] >= pi->ndyn)
				return "DYN index out of range";
			size_t vs = t_fixed_size(pi->dyn[p->val[0]].type);
			if (vs && p->len != 1 + vs)
				return "DYN value has the wrong size";
		}
		if (p->type == PT_FDLIST && (p->len < 2 || p->len != 2 + 10 * le(p->val, 2)))
			return "FDLIST count does not match its length";
	}
	if (off != n)
		return "sum of param lengths != event size";
	return NULL;
}

uint64_t dp_u64(const struct dparam *p) { return p->len == 8 ? le(p->val, 8) : 0; }
int64_t dp_s64(const struct dparam *p) { return (int64_t)dp_u64(p); }
uint32_t dp_u32(const struct dparam *p) { return p->len == 4 ? (uint32_t)le(p->val, 4) : 0; }
uint16_t dp_u16(const struct dparam *p) { return p->len == 2 ? (uint16_t)le(p->val, 2) : 0; }
uint8_t dp_u8(const struct dparam *p) { return p->len == 1 ? p->val[0] : 0; }

const char *dp_str(const struct dparam *p)
{
	if (!p->len || memchr(p->val, 0, p->len) != p->val + p->len - 1)
		return NULL;
	return (const char *)p->val;
}

size_t t_encode(int is_exit, const struct enc_ctx *c, uint8_t *buf, size_t cap, struct devent *d)
{
	size_t n = encode_syscall(is_exit, c, buf, cap);
	memset(d, 0, sizeof(*d));
	if (!n)
		return 0;
	devent_schema(c->schema);
	const char *why = devent_parse(buf, n, d);
	devent_schema(NULL);
	if (why) {
		CHECK_FAIL("t_encode: nr %" PRIu64 " %s: malformed event: %s",
			c->nr, is_exit ? "exit" : "enter", why);
	}
	return n;
}

const uint8_t *t_run(int is_exit, const struct enc_ctx *c, uint16_t want, struct devent *d)
{
	static uint8_t buf[256 * 1024];
	size_t n = t_encode(is_exit, c, buf, sizeof(buf), d);
	if (!n) {
		CHECK_FAIL("t_run: nr %" PRIu64 " %s: no event", c->nr, is_exit ? "exit" : "enter");
		return NULL;
	}
	if (d->type != want || d->ts != c->ts || d->tid != (uint64_t)c->tid) {
		CHECK_FAIL("t_run: nr %" PRIu64 ": type %u (want %u) ts/tid %s", c->nr,
			d->type, want, d->ts == c->ts && d->tid == (uint64_t)c->tid ? "ok" : "wrong");
	}
	return buf;
}
