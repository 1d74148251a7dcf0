/* libFuzzer harness for every encoder, and for the text/JSON formatter.
 *
 * One input describes a hostile tracee: a fake memory (a few mapped regions,
 * everything else unreadable), a fake process state (snapshot strings that
 * may lack their NUL, blob lengths larger than their arrays, socket names
 * with any family and any length, fd_stat/sock_id failing or not), then up
 * to MAX_OPS syscalls (any UF_USED number, enter and/or exit, or procexit)
 * with registers biased towards pointers into that memory, any return
 * value, snaplen and output capacity.
 *
 * Every produced event is checked against pdig's schema (abort on any
 * violation): header len == bytes written, type and nparams as the schema
 * says, the length array adds up, fixed-width types have their size,
 * strings are non-empty and end with their only NUL, SOCKADDR/SOCKTUPLE/
 * FDLIST/DYN values have a layout the consumer parses. Re-encoding into
 * exactly n bytes gives the same bytes, into n-1 bytes gives nothing (and
 * writes nothing past the buffer: it is a malloc of exactly that size).
 * (Into exactly n bytes an encoder may also give nothing, since it may
 * reserve room for its largest value before knowing the actual size.)
 * Each event, and sometimes a damaged copy of it, then goes through
 * text_format_event() in text and JSON mode: the line is NUL-terminated,
 * shorter than the buffer, has no newline, and a JSON line parses.
 *
 * Input layout: see struct reader users below; when the input runs out
 * every field reads as zero, so any byte string is a valid input.
 * PDIG_FUZZ_SEEDS=DIR: write the seed inputs into DIR and exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <sys/un.h>
#include <unistd.h>

#include "procfs/procfs_internal.h"
#include "events/encoder.h"
#include "events/evbuf.h"
#include "schema/schema.h"
#include "sinks/text.h"

#define MAX_REGIONS 6
#define MAX_OPS 16
#define BIG_CAP (256 * 1024)

/* The checker itself is not what is being fuzzed: no coverage feedback
 * (and no compare tracing) for it. */
#define NOCOV __attribute__((no_sanitize("coverage")))

#define DIE(...) do { fprintf(stderr, "fuzz_encoders: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

/* ---- input reader: zeros once exhausted ---- */

struct reader {
	const uint8_t *p;
	size_t n;
};

static uint8_t r8(struct reader *r)
{
	if (!r->n)
		return 0;
	r->n--;
	return *r->p++;
}

static uint16_t r16(struct reader *r) { uint16_t v = r8(r); return (uint16_t)(v | (uint16_t)r8(r) << 8); }
static uint32_t r32(struct reader *r) { uint32_t v = r16(r); return v | (uint32_t)r16(r) << 16; }
static uint64_t r64(struct reader *r) { uint64_t v = r32(r); return v | (uint64_t)r32(r) << 32; }

/* Copies up to want bytes of input into dst; returns how many. */
static size_t rbytes(struct reader *r, void *dst, size_t want)
{
	size_t n = want < r->n ? want : r->n;
	memcpy(dst, r->p, n);
	r->p += n;
	r->n -= n;
	return n;
}

/* ---- fake tracee memory ---- */

struct region {
	uint64_t addr;
	size_t len;
	uint8_t *data;
};

struct fmem {
	struct tracee_mem mem;
	struct region r[MAX_REGIONS];
	int n;
	size_t chunk;     /* 0, or the most one read() returns (partial reads) */
	uint64_t reads;
};

static ssize_t fm_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct fmem *m = ctx;
	if (++m->reads > 4u << 20)
		DIE("more than 4M memory reads for one input: unbounded loop?");
	for (int i = 0; i < m->n; i++) {
		const struct region *g = &m->r[i];
		if (addr >= g->addr && addr - g->addr < g->len) {
			size_t off = (size_t)(addr - g->addr);
			size_t n = g->len - off < len ? g->len - off : len;
			if (m->chunk && n > m->chunk)
				n = m->chunk;
			memcpy(dst, g->data + off, n);
			return (ssize_t)n;
		}
	}
	return -1;
}

/* Batched reads as process_vm_readv does them: in order, up to the first
 * area that cannot be read; got[] never exceeds a span. */
static void fm_readv(void *ctx, const struct mem_span *spans, size_t n, size_t *got)
{
	bool failed = false;
	for (size_t i = 0; i < n; i++) {
		got[i] = 0;
		if (failed)
			continue;
		ssize_t r = fm_read(ctx, spans[i].addr, spans[i].dst, spans[i].len);
		if (r <= 0)
			failed = true;
		else
			got[i] = (size_t)r;
	}
}

/* Where regions go: low, ordinary, just below a page boundary, top of the
 * canonical user range, and the very top of the address space. */
static const uint64_t region_base[8] = {
	0x1000, 0x10000, 0x7f0000000000, 0x555555554000,
	0x7ffffffff000, 0xffffffffffff0000ull, 0x20000, 0xfffffffffffff000ull,
};

static uint8_t region_buf[MAX_REGIONS][70000];

static void mem_setup(struct fmem *m, struct reader *r)
{
	memset(m, 0, sizeof *m);
	m->mem.ctx = m;
	m->mem.read = fm_read;
	uint8_t hdr = r8(r);
	int want = hdr % (MAX_REGIONS + 1);
	static const size_t chunks[4] = {0, 0, 1, 7};
	m->chunk = chunks[(hdr >> 4) & 3];
	/* half the inputs read several strings in one batch */
	m->mem.readv = (hdr & 0x40) ? fm_readv : NULL;
	for (int i = 0; i < want; i++) {
		uint8_t how = r8(r);
		uint16_t l16 = r16(r);
		size_t len;
		switch (how >> 5) {
		case 0: len = 1 + l16 % 64; break;
		case 1: case 2: len = 1 + l16 % 4096; break;
		case 3: len = 60000 + l16 % 10000; break; /* longer than any value */
		default: len = 1 + l16 % 600; break;
		}
		uint64_t base = region_base[how & 7];
		uint64_t addr;
		if (how & 8) /* ends exactly at a page boundary: next page unmapped */
			addr = ((base + 0x10000 * (uint64_t)i + len + 4095) & ~4095ull) - len;
		else
			addr = base + 0x10000 * (uint64_t)i + (r8(r) & 0x3f);
		if (addr + len < addr) /* wraps: keep it just below 2^64 */
			addr = 0 - (uint64_t)len;
		struct region *g = &m->r[m->n++];
		g->addr = addr;
		g->len = len;
		g->data = region_buf[i];
		/* Some bytes from the input, the rest a repeated fill byte (so a
		 * short input can describe a long unterminated string). */
		size_t got = rbytes(r, g->data, r8(r) % (len < 200 ? len + 1 : 201));
		uint8_t fill = r8(r);
		memset(g->data + got, fill, len - got);
	}
}

/* ---- fake tracee state ---- */

struct fstate {
	struct tracee_state st;
	struct proc_snapshot snap;
	bool has_proc;
	struct sock_names names;
	bool sock_ok, stat_ok;
	uint64_t dev, ino, sock_id;
};

static const struct proc_snapshot *fs_proc(void *ctx, int64_t tid)
{
	struct fstate *s = ctx;
	return s->has_proc ? &s->snap : NULL;
}

static int fs_sock(void *ctx, int64_t pid, int64_t fd, struct sock_names *out)
{
	struct fstate *s = ctx;
	if (!s->sock_ok)
		return -1;
	*out = s->names;
	return 0;
}

static int fs_fd_stat(void *ctx, int64_t pid, int64_t fd, uint64_t *dev, uint64_t *ino)
{
	struct fstate *s = ctx;
	if (!s->stat_ok)
		return -1;
	*dev = s->dev;
	*ino = s->ino;
	return 0;
}

static uint64_t fs_sock_id(void *ctx, int64_t pid, int64_t fd)
{
	return ((struct fstate *)ctx)->sock_id;
}

/* A snapshot string: empty, input bytes, or a fill up to the whole array,
 * NUL-terminated or not. */
static void snap_str(struct reader *r, char *dst, size_t cap)
{
	uint8_t how = r8(r);
	size_t len;
	switch (how & 3) {
	case 0: len = 0; break;
	case 1: len = r8(r) % cap; break;
	case 2: len = r16(r) % cap; break;
	default: len = cap; break; /* every byte used, no NUL */
	}
	size_t got = rbytes(r, dst, len < 64 ? len : 64);
	memset(dst + got, (how & 4) ? 'A' : r8(r), len - got);
	if (len < cap)
		dst[len] = 0;
	if (how & 8) /* stray NULs inside */
		for (size_t i = 7; i < len; i += 13)
			dst[i] = 0;
}

/* A blob length: the honest one, something small, or lies. */
static size_t snap_len(struct reader *r, size_t honest)
{
	switch (r8(r) & 7) {
	case 0: case 1: return honest;
	case 2: return r16(r) % (PROC_STR_MAX + 1);
	case 3: return PROC_STR_MAX;
	case 4: return PROC_STR_MAX + 1 + r16(r);
	case 5: return SIZE_MAX;
	case 6: return (size_t)r64(r);
	default: return 0;
	}
}

static const int families[8] = { AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_UNSPEC, AF_PACKET, 0, -1 };

static void sock_side(struct reader *r, struct sockaddr_storage *ss, socklen_t *len)
{
	uint8_t how = r8(r);
	memset(ss, (how & 0x80) ? 'x' : 0, sizeof *ss);
	rbytes(r, ss, (how & 0x40) ? sizeof *ss : r8(r) % 40);
	int fam = families[how & 7];
	if (fam >= 0)
		ss->ss_family = (sa_family_t)fam;
	switch ((how >> 3) & 7) {
	case 0: *len = 0; break;
	case 1: *len = sizeof(sa_family_t); break;
	case 2: *len = sizeof(struct sockaddr_in); break;
	case 3: *len = sizeof(struct sockaddr_in6); break;
	case 4: *len = sizeof(struct sockaddr_un); break;
	case 5: *len = sizeof *ss; break;
	case 6: *len = sizeof *ss + 1 + r8(r); break; /* longer than the struct */
	default: *len = (socklen_t)r32(r); break;
	}
}

static void state_setup(struct fstate *s, struct reader *r)
{
	s->st.ctx = s;
	s->st.proc = fs_proc;
	s->st.sock = fs_sock;
	s->st.fd_stat = fs_fd_stat;
	s->st.sock_id = fs_sock_id;
	uint8_t f = r8(r);
	s->has_proc = f & 1;
	s->sock_ok = f & 2;
	s->stat_ok = f & 4;
	s->sock_id = (f & 8) ? r64(r) : 0;
	s->dev = r64(r);
	s->ino = r64(r);
	if (s->sock_ok) {
		sock_side(r, &s->names.local, &s->names.local_len);
		sock_side(r, &s->names.peer, &s->names.peer_len);
		static const int types[4] = { SOCK_STREAM, SOCK_DGRAM, 0, 12345 };
		s->names.type = types[r8(r) & 3];
	}
	if (!s->has_proc)
		return;
	struct proc_snapshot *p = &s->snap;
	if (f & 0x10) { /* full of numbers from the input */
		p->tid = (int64_t)r64(r); p->pid = (int64_t)r64(r); p->ptid = (int64_t)r64(r);
		p->pgid = (int64_t)r64(r); p->sid = (int64_t)r64(r);
		p->vtid = (int64_t)r64(r); p->vpid = (int64_t)r64(r);
		p->uid = r32(r); p->gid = r32(r); p->loginuid = (int32_t)r32(r);
		p->tty = (int32_t)r32(r); p->fdlimit = r64(r);
		p->pgft_maj = r64(r); p->pgft_min = r64(r);
		p->vm_size_kb = r32(r); p->vm_rss_kb = r32(r); p->vm_swap_kb = r32(r);
		p->exe_writable = r8(r);
	} else {
		p->tid = p->pid = p->ptid = p->pgid = p->sid = p->vtid = p->vpid = 1234;
		p->loginuid = -1;
	}
	snap_str(r, p->comm, sizeof p->comm);
	snap_str(r, p->exe, sizeof p->exe);
	snap_str(r, p->exepath, sizeof p->exepath);
	snap_str(r, p->cwd, sizeof p->cwd);
	snap_str(r, p->root, sizeof p->root);
	snap_str(r, p->args, sizeof p->args);
	p->args_len = snap_len(r, strnlen(p->args, sizeof p->args));
	snap_str(r, p->env, sizeof p->env);
	p->env_len = snap_len(r, strnlen(p->env, sizeof p->env));
	snap_str(r, p->cgroups, sizeof p->cgroups);
	p->cgroups_len = snap_len(r, strnlen(p->cgroups, sizeof p->cgroups));
}

/* ---- registers ---- */

static const uint64_t specials[16] = {
	SIZE_MAX, 1ull << 40, 0x7fffffff, 0x80000000, 0xffffffff, (uint64_t)-100 /* AT_FDCWD */,
	0xffffffffffffull, 1, 4096, 65536, 1ull << 63, (uint64_t)-1 << 31,
	0x7fffffffffffffffull, 65000, 65001, 1024,
};

static uint64_t reg(struct reader *r, const struct fmem *m)
{
	uint8_t how = r8(r);
	const struct region *g = m->n ? &m->r[(how >> 4) % m->n] : NULL;
	switch (how & 15) {
	case 0: return r8(r);
	case 1: case 2: case 3: /* into a region */
		if (g)
			return g->addr + r16(r) % (g->len + 16);
		return r16(r);
	case 4: /* the last bytes of a region */
		if (g)
			return g->addr + g->len - 1 - r8(r) % (g->len < 64 ? g->len : 64);
		return 0;
	case 5: return (uint64_t)-(int64_t)r8(r);
	case 6: return 0;
	case 7: return specials[r8(r) & 15];
	case 8: return r32(r);
	case 9: return r16(r);
	default: return r64(r);
	}
}

static int64_t retval(struct reader *r, const struct fmem *m)
{
	uint8_t how = r8(r);
	switch (how & 7) {
	case 0: return r8(r);
	case 1: return -1 - (int64_t)(r16(r) % 4095); /* -errno */
	case 2: return 0;
	case 3: return (int64_t)reg(r, m);
	case 4: return (int64_t)specials[r8(r) & 15];
	case 5: return r16(r);
	default: return (int64_t)r64(r);
	}
}

static uint32_t snaplen(struct reader *r)
{
	switch (r8(r) & 7) {
	case 0: case 1: return 80;
	case 2: return 0;
	case 3: return r16(r);
	case 4: return 65535;
	case 5: return UINT32_MAX;
	case 6: return r32(r);
	default: return 1 + r8(r);
	}
}

/* ---- event validation ---- */

NOCOV static uint64_t le(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

NOCOV static size_t fixed_size(uint8_t t)
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
	case PT_IPV6ADDR:
		return 16;
	default:
		return 0;
	}
}

/* A value of type t (len bytes at v) is one the consumer parses; returns
 * why not, or NULL. */
NOCOV static const char *check_value(uint8_t t, const uint8_t *v, size_t len)
{
	size_t fs = fixed_size(t);
	if (fs)
		return len == fs ? NULL : "fixed-width param has the wrong size";
	switch (t) {
	case PT_CHARBUF: case PT_FSPATH: case PT_FSRELPATH:
		if (!len)
			return "zero-length string";
		if (memchr(v, 0, len) != v + len - 1)
			return "string not ended by its only NUL";
		return NULL;
	case PT_BYTEBUF:
		return len <= EVB_MAX_ARG ? NULL : "BYTEBUF longer than 65000";
	case PT_SOCKADDR:
		if (!len)
			return NULL;
		switch (v[0]) {
		case 2: return len == 7 ? NULL : "INET sockaddr not 7 bytes";
		case 10: return len == 19 ? NULL : "INET6 sockaddr not 19 bytes";
		case 1:
			if (len < 2 || v[len - 1])
				return "UNIX sockaddr not NUL-terminated";
			return NULL;
		default:
			return "sockaddr of a family the consumer does not parse";
		}
	case PT_SOCKTUPLE:
		if (!len)
			return NULL;
		switch (v[0]) {
		case 2: return len == 13 ? NULL : "INET socktuple not 13 bytes";
		case 10: return len == 37 ? NULL : "INET6 socktuple not 37 bytes";
		case 1:
			if (len < 18 || v[len - 1])
				return "UNIX socktuple shorter than 18 or not NUL-terminated";
			return NULL;
		default:
			return "socktuple of a family the consumer does not parse";
		}
	case PT_FDLIST:
		if (len < 2 || len != 2 + 10 * le(v, 2))
			return "FDLIST count does not match its length";
		return NULL;
	case PT_CHARBUFARRAY: case PT_CHARBUF_PAIR_ARRAY: case PT_NONE:
		return "type that must never be produced";
	default:
		return NULL;
	}
}

NOCOV static const char *check_event(const struct pdig_schema *s, const uint8_t *e, size_t n,
                                     uint16_t want_type, uint64_t ts, uint64_t tid, int *bad_param)
{
	*bad_param = -1;
	if (n < EVT_HDR_LEN)
		return "shorter than a header";
	if (le(e, 8) != ts || le(e + 8, 8) != tid)
		return "ts/tid differ from the context";
	if (le(e + 16, 4) != n)
		return "header len != bytes written";
	uint16_t type = (uint16_t)le(e + 20, 2);
	if (type != want_type)
		return "type is not the schema's for this syscall";
	const struct pdig_event *info = pdig_schema_event(s, type);
	if (!info || !info->name)
		return "type unknown to the schema";
	if (info->flags & (EVF_UNUSED | EVF_OLD_VERSION | EVF_LARGE_PAYLOAD))
		return "an unused/old/large-payload event type";
	uint32_t np = (uint32_t)le(e + 22, 4);
	if (np != info->nparams)
		return "nparams != schema";
	size_t off = EVT_HDR_LEN + 2u * np;
	if (off > n)
		return "length array overruns the event";
	for (uint32_t i = 0; i < np; i++) {
		*bad_param = (int)i;
		const struct pdig_param *pi = &info->params[i];
		size_t len = (size_t)le(e + EVT_HDR_LEN + 2 * i, 2);
		if (len > n - off)
			return "param value overruns the event";
		const uint8_t *v = e + off;
		off += len;
		const char *why;
		if (pi->type == PT_DYN) {
			if (!len || !pi->dyn || v[0] >= pi->ndyn)
				return "DYN index out of range";
			why = check_value(pi->dyn[v[0]].type, v + 1, len - 1);
		} else {
			why = check_value(pi->type, v, len);
		}
		if (why)
			return why;
	}
	*bad_param = -1;
	if (off != n)
		return "sum of param lengths != event size";
	return NULL;
}

static void dump_and_die(const char *why, const uint8_t *e, size_t n, uint64_t nr,
			 int is_exit, int param)
{
	fprintf(stderr, "fuzz_encoders: nr %llu (%s) %s, %zu bytes: %s",
		(unsigned long long)nr, pdig_syscall_name(nr) ? pdig_syscall_name(nr) : "?",
		is_exit ? "exit" : "enter", n, why);
	if (param >= 0)
		fprintf(stderr, " (param %d)", param);
	fputc('\n', stderr);
	for (size_t i = 0; i < n && i < 256; i++)
		fprintf(stderr, "%02x%s", e[i], (i + 1) % 32 ? " " : "\n");
	fputc('\n', stderr);
	abort();
}

/* ---- JSON syntax check (RFC 8259, enough for one line) ---- */

NOCOV static const char *js_ws(const char *p) { while (*p == ' ' || *p == '\t') p++; return p; }
NOCOV static const char *js_value(const char *p, int depth);

NOCOV static const char *js_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (;;) {
		unsigned char c = (unsigned char)*p++;
		if (c == '"')
			return p;
		if (c < 0x20)
			return NULL; /* includes the terminating NUL */
		if (c == '\\') {
			c = (unsigned char)*p++;
			if (c == 'u') {
				for (int i = 0; i < 4; i++, p++)
					if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
					      (*p >= 'A' && *p <= 'F')))
						return NULL;
			} else if (!strchr("\"\\/bfnrt", c) || !c) {
				return NULL;
			}
		} else if (c >= 0x80) {
			/* well-formed UTF-8 only */
			int more = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : -1;
			if (more < 0 || c > 0xf4)
				return NULL;
			for (int i = 0; i < more; i++, p++)
				if (((unsigned char)*p & 0xc0) != 0x80)
					return NULL;
		}
	}
}

NOCOV static const char *js_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return NULL;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return NULL;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

NOCOV static const char *js_value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	p = js_ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool obj = *p == '{';
		p = js_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = js_string(js_ws(p));
				if (!p)
					return NULL;
				p = js_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = js_value(p, depth + 1);
			if (!p)
				return NULL;
			p = js_ws(p);
			if (*p == ',') {
				p++;
				continue;
			}
			return *p == close ? p + 1 : NULL;
		}
	}
	if (*p == '"')
		return js_string(p);
	if (!strncmp(p, "true", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (!strncmp(p, "null", 4))
		return p + 4;
	return js_number(p);
}

NOCOV static bool json_valid_object(const char *s)
{
	if (*js_ws(s) != '{')
		return false;
	const char *end = js_value(s, 0);
	return end && !*js_ws(end);
}

/* ---- formatter ---- */

static char line_buf[BIG_CAP];

NOCOV static void format_check(const uint8_t *e, size_t n, bool json, size_t cap, const char *what)
{
	/* An exact-size output buffer, so ASan sees any write past cap. */
	char *out = cap == BIG_CAP ? line_buf : malloc(cap ? cap : 1);
	if (!out)
		abort();
	size_t got = text_format_event(e, n, json, out, cap);
	if (cap) {
		if (got >= cap)
			DIE("%s: text_format_event returned %zu >= cap %zu", what, got, cap);
		if (out[got] || strlen(out) != got)
			DIE("%s: line of %zu not NUL-terminated right there", what, got);
		if (memchr(out, '\n', got))
			DIE("%s: line contains a newline: %s", what, out);
		if (json && got && !json_valid_object(out))
			DIE("%s: invalid JSON (cap %zu): %s", what, cap, out);
	} else if (got) {
		DIE("%s: cap 0 but returned %zu", what, got);
	}
	if (out != line_buf)
		free(out);
}

static size_t out_cap(uint8_t how)
{
	switch (how & 3) {
	case 0: case 1: return BIG_CAP;
	case 2: return how >> 2; /* 0..63 */
	default: return 64 + (size_t)how * 8;
	}
}

/* ---- one syscall ---- */

static uint64_t used_nr[PDIG_SYSCALL_MAX];
static size_t n_used;
static uint8_t ev_buf[BIG_CAP];

static void format_all(struct reader *r, const uint8_t *e, size_t n)
{
	uint8_t how = r8(r);
	format_check(e, n, how & 1, out_cap(r8(r)), "event");
	if (how & 2)
		format_check(e, n, !(how & 1), BIG_CAP, "event");
	if (how & 4) {
		/* A damaged copy: any byte replaced, or cut short. */
		uint8_t *d = malloc(n);
		if (!d)
			abort();
		memcpy(d, e, n);
		size_t m = n;
		uint16_t pos = r16(r);
		if (how & 8)
			m = pos % n;
		else
			d[pos % n] ^= (uint8_t)(r8(r) | 1);
		format_check(d, m, how & 16, out_cap(r8(r)), "damaged event");
		free(d);
	}
}

static void one_event(struct reader *r, int is_exit, const struct enc_ctx *c, uint8_t capmode)
{
	const struct pdig_schema *s = c->schema;
	const struct pdig_syscall *sc = pdig_schema_syscall(s, c->nr);
	uint16_t want = sc ? (is_exit ? sc->exit : sc->enter) : (is_exit ? EV_GENERIC_X : EV_GENERIC_E);
	if (!is_exit && !encode_enter_sent(s, c->nr)) {
		/* this generation's drivers send no such enter */
		if (encode_syscall(is_exit, c, ev_buf, BIG_CAP))
			dump_and_die("an enter the schema's drivers do not send", ev_buf, 0, c->nr, is_exit, -1);
		return;
	}
	/* a successful execveat ends in an execve exit (EXECVE_19_X), as
	 * later drivers report it (README) */
	if (is_exit && want == EV_SYSCALL_EXECVEAT_X && c->ret >= 0)
		want = EV_SYSCALL_EXECVE_19_X;
	size_t n = encode_syscall(is_exit, c, ev_buf, BIG_CAP);
	if (!n) {
		/* Only an event that cannot fit 256 KiB may come out empty. */
		const struct pdig_event *info = pdig_schema_event(s, want);
		size_t minimal = EVT_HDR_LEN + 2u * (info ? info->nparams : 0);
		if (info && minimal <= BIG_CAP && info->nparams * (size_t)EVB_MAX_ARG + minimal <= BIG_CAP)
			dump_and_die("no event although it must fit", ev_buf, 0, c->nr, is_exit, -1);
		return;
	}
	if (n > BIG_CAP)
		dump_and_die("length larger than the buffer", ev_buf, BIG_CAP, c->nr, is_exit, -1);
	int bad;
	const char *why = check_event(s, ev_buf, n, want, c->ts, (uint64_t)c->tid, &bad);
	if (why)
		dump_and_die(why, ev_buf, n, c->nr, is_exit, bad);
	if (capmode & 1) {
		/* Same again into exactly n bytes: same event; into n-1: none. */
		uint8_t *x = malloc(n);
		if (!x)
			abort();
		/* An encoder may reserve room for its largest value up front and
		 * so give up in a buffer that the final event would fit: 0 is
		 * fine, a different event is not. */
		size_t m = encode_syscall(is_exit, c, x, n);
		if (m && (m != n || memcmp(x, ev_buf, n)))
			dump_and_die("re-encoding into exactly n bytes differs", x, n, c->nr, is_exit, -1);
		free(x);
		size_t small = (capmode & 2) ? n - 1 : (size_t)(capmode >> 2) % n;
		x = malloc(small ? small : 1);
		if (!x)
			abort();
		if (encode_syscall(is_exit, c, x, small) != 0)
			dump_and_die("an event came out of a too small buffer", ev_buf, n, c->nr, is_exit, -1);
		free(x);
	}
	/* the text sink reads 1.0.0 events only */
	if (s->id == SCHEMA_1_0_0)
		format_all(r, ev_buf, n);
}

static void one_procexit(struct reader *r)
{
	int status = (int)r32(r);
	int64_t tid = (int64_t)r64(r);
	uint64_t ts = r64(r);
	size_t n = encode_procexit(NULL, ts, tid, status, ev_buf, BIG_CAP);
	if (!n)
		DIE("procexit produced nothing");
	int bad;
	const char *why = check_event(pdig_schema_get(SCHEMA_1_0_0), ev_buf, n, EV_PROCEXIT_1_E, ts, (uint64_t)tid, &bad);
	if (why)
		dump_and_die(why, ev_buf, n, 0, 1, bad);
	uint8_t small = r8(r);
	uint8_t *x = malloc(small ? small : 1);
	if (!x)
		abort();
	if (small < n && encode_procexit(NULL, ts, tid, status, x, small))
		DIE("procexit came out of a %u-byte buffer", small);
	free(x);
	format_all(r, ev_buf, n);
}

static struct fmem fm;
static struct fstate fs;

int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The /proc parsers meet a comm the tracee chose and reads cut anywhere:
 * each input is also a stat and a status file. */
static void parse_proc_files(const uint8_t *data, size_t size)
{
	static char buf[8192];
	size_t n = size < sizeof buf - 1 ? size : sizeof buf - 1;
	struct thread_stat st;
	struct thread_status su;
	bool have_tgid;
	memcpy(buf, data, n);
	buf[n] = '\0';
	procfs_parse_stat(buf, n, &st);
	memcpy(buf, data, n);
	buf[n] = '\0';
	procfs_parse_status(buf, n, &su, &have_tgid);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_proc_files(data, size);
	struct reader r = { data, size };
	text_state_reset();
	mem_setup(&fm, &r);
	memset(&fs, 0, sizeof fs);
	state_setup(&fs, &r);
	uint64_t ts = 1700000000000000000ull;
	for (int op = 0; op < MAX_OPS && r.n; op++) {
		uint16_t sel = r16(&r);
		uint8_t dir = r8(&r);
		if (sel % (n_used + 1) == n_used) {
			one_procexit(&r);
			continue;
		}
		struct enc_ctx c;
		memset(&c, 0, sizeof c);
		c.nr = used_nr[sel % (n_used + 1)];
		c.ts = ts += 1000;
		c.tid = (dir & 8) ? (int64_t)r32(&r) : 1234 + op;
		c.pid = (dir & 16) ? (int64_t)r32(&r) : 1234;
		for (int i = 0; i < 6; i++)
			c.args[i] = reg(&r, &fm);
		c.ret = retval(&r, &fm);
		c.snaplen = snaplen(&r);
		c.mem = &fm.mem;
		c.st = &fs.st;
		/* the top bits of dir pick the schema */
		c.schema = pdig_schema_get((enum pdig_schema_id)((dir >> 6) % SCHEMA_COUNT));
		uint8_t capmode = r8(&r);
		if ((dir & 3) != 1)
			one_event(&r, 0, &c, capmode);
		if ((dir & 3) != 0)
			one_event(&r, 1, &c, capmode);
	}
	return 0;
}

/* ---- seeds ---- */

struct wbuf {
	uint8_t b[8192];
	size_t n;
};

static void w8(struct wbuf *w, uint8_t v) { if (w->n < sizeof w->b) w->b[w->n++] = v; }
static void w16(struct wbuf *w, uint16_t v) { w8(w, (uint8_t)v); w8(w, (uint8_t)(v >> 8)); }
static void w32(struct wbuf *w, uint32_t v) { w16(w, (uint16_t)v); w16(w, (uint16_t)(v >> 16)); }
static void wstr(struct wbuf *w, const char *s, size_t n) { for (size_t i = 0; i < n; i++) w8(w, (uint8_t)s[i]); }

/* Seeds: MAX_OPS syscalls each, together covering every UF_USED syscall
 * with pointer registers, in four worlds: (0) plausible memory and
 * process, whole reads; (1) unterminated strings ending at a page
 * boundary, 1-byte partial reads, no process, unix socket names; (2) lying
 * blob lengths, INET6/garbage socket names, failing fd_stat, huge lengths
 * and negative fds in the registers, error returns; (3) tiny output
 * buffers and damaged copies for the formatter, snaplen 0/65535. */
static void write_seeds(const char *dir)
{
	int file = 0;
	for (int world = 0; world < 4; world++)
	for (size_t first = 0; first <= n_used; first += MAX_OPS, file++) {
		struct wbuf w = {0};
		w8(&w, 3 | (world == 1 ? 0x20 : 0));  /* 3 regions; world 1: 1-byte reads */
		/* region 0: a path string */
		w8(&w, 0x20 | 1); w16(&w, 32); w8(&w, 0); w8(&w, 17);
		wstr(&w, world == 1 ? "/etc/hostnameXxyz" : "/etc/hostname\0xyz", 17); w8(&w, 0);
		/* region 1: 256 bytes of small numbers (structs, iovecs, fds) */
		w8(&w, 0x80 | 6); w16(&w, 255); w8(&w, 0); w8(&w, 64);
		for (int i = 0; i < 64; i++)
			w8(&w, (uint8_t)(i * 37 + world));
		w8(&w, world == 2 ? 0xff : 0);
		/* region 2: a string ending at a page boundary, no NUL */
		w8(&w, 0x20 | 8 | 1); w16(&w, 100); w8(&w, 0); w8(&w, 'p');
		/* state: proc (not in world 1), sock names, fd_stat (not in world 2) */
		w8(&w, (world == 1 ? 0 : 1) | 2 | (world == 2 ? 0 : 4) | 8 | (file & 1 ? 0x10 : 0));
		w32(&w, 77); w32(&w, 0);                           /* sock_id */
		w32(&w, 8); w32(&w, 0);                            /* dev */
		w32(&w, 99); w32(&w, 0);                           /* ino */
		if (world == 1) {                                  /* unix, path without NUL */
			w8(&w, 0x80 | 0x40 | 0 | (5 << 3));
			for (size_t i = 0; i < sizeof(struct sockaddr_storage); i++)
				w8(&w, i < 2 ? (i ? 0 : 1) : '/');
			w8(&w, 0 | (4 << 3)); w8(&w, 3); wstr(&w, "\1\0\0", 3);
		} else if (world == 2) {                           /* INET6, then garbage */
			w8(&w, 2 | (6 << 3)); w8(&w, 28);
			wstr(&w, "\x0a\x00\x01\xbb\0\0\0\0\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0\0\x02\0\0", 28);
			w8(&w, 200);
			w8(&w, 7 | (7 << 3)); w8(&w, 4); wstr(&w, "abcd", 4); w32(&w, 0xffffffff);
		} else {                                           /* INET both sides */
			w8(&w, 1 | (2 << 3)); w8(&w, 8);
			wstr(&w, "\x02\x00\x1f\x90\x7f\x00\x00\x01", 8);
			w8(&w, 1 | (2 << 3)); w8(&w, 8);
			wstr(&w, "\x02\x00\x00\x50\x0a\x00\x00\x02", 8);
		}
		w8(&w, (uint8_t)world);                            /* socket type */
		if (world != 1) {
			/* snapshot strings: comm, exe, exepath, cwd, root, args, env, cgroups */
			const char *strs[8] = { "cat", "cat", "/usr/bin/cat", "/root", "/", "a\0b", "X=1", "cpu=/" };
			for (int i = 0; i < 8; i++) {
				size_t l = strlen(strs[i]) + (i == 5 ? 2 : 0);
				if (world == 2 && i == 2) {
					w8(&w, 3); w8(&w, 'e');          /* exepath: full, no NUL */
				} else {
					w8(&w, 1); w8(&w, (uint8_t)l); wstr(&w, strs[i], l);
					w8(&w, 0);
				}
				if (i >= 5) {
					if (world == 2)
						w8(&w, (uint8_t)(3 + i - 5)); /* MAX, MAX+1+n, SIZE_MAX */
					else
						w8(&w, 0);                     /* honest length */
					if (world == 2 && i == 6)
						w16(&w, 300);
				}
			}
		}
		for (size_t k = first; k < first + MAX_OPS && k <= n_used; k++) {
			w16(&w, (uint16_t)k);
			w8(&w, 2);                         /* enter and exit */
			if (world == 2) {
				w8(&w, 5); w8(&w, 9);          /* arg0: fd -9 */
				w8(&w, 0x10 | 2); w16(&w, 8);  /* arg1: into the blob */
				w8(&w, 7); w8(&w, 0);          /* arg2: SIZE_MAX */
				w8(&w, 7); w8(&w, 1);          /* arg3: 1 << 40 */
				w8(&w, 7); w8(&w, 6);          /* arg4: 0xffffffffffff */
				w8(&w, 0x20 | 4); w8(&w, 0);   /* arg5: last byte before unmapped */
				w8(&w, 1); w16(&w, 13);        /* ret -14 (EFAULT) */
				w8(&w, 5);                     /* snaplen 4294967295 */
			} else {
				w8(&w, 1); w16(&w, 0);         /* arg0: path */
				w8(&w, 0x10 | 2); w16(&w, 0);  /* arg1: the blob */
				w8(&w, 0); w8(&w, 3);          /* arg2: small */
				w8(&w, 0x10 | 4); w8(&w, 0);   /* arg3: last byte of the blob */
				w8(&w, 7); w8(&w, 5);          /* arg4: AT_FDCWD */
				w8(&w, world == 3 ? 1 : 6);    /* arg5: 0, or into the path */
				if (world == 3)
					w16(&w, 4);
				w8(&w, 0); w8(&w, 3);          /* ret 3 */
				w8(&w, world == 3 ? 2 : 0);    /* snaplen 0 or 80 */
			}
			w8(&w, world == 3 ? 2 | 1 : 1);    /* capmode: re-encode, n-1 */
			for (int d = 0; d < 2; d++) {      /* format enter, exit */
				if (world == 3) {
					w8(&w, 1 | 4 | (d ? 8 : 16)); w8(&w, 2 | (20 << 2));
					w16(&w, 30); w8(&w, 0x40); w8(&w, 3);
				} else {
					w8(&w, 3); w8(&w, 0);
				}
			}
		}
		char path[4096];
		snprintf(path, sizeof path, "%s/seed-%d-%03d", dir, world, file);
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(w.b, 1, w.n, f) != w.n || fclose(f)) {
			perror(path);
			exit(1);
		}
	}
	fprintf(stderr, "wrote %d seeds to %s\n", file, dir);
	exit(0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (uint64_t nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		if (pdig_syscall_info(nr))
			used_nr[n_used++] = nr;
	if (!n_used)
		DIE("no UF_USED syscall in the schema");
	const char *seeds = getenv("PDIG_FUZZ_SEEDS");
	if (seeds)
		write_seeds(seeds);
	return 0;
}
