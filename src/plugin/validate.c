/* What "an event the host can parse" means here (docs/plugin.md, "Bad
 * events"): the header's length is the record's; the type is in the host's
 * table; nparams is exactly the table's count (the parser indexes params
 * by position); the param lengths add up to the event; and each value has
 * the shape its type promises, since the parser reads fixed-size values
 * and strings without checking: a fixed-size value is empty or exactly its
 * size, a string ends with its NUL, a socket address is as long as its
 * family says, an fd list as its count says, and a PT_DYN index names one
 * of the param's variants. A fixed-size value is never empty: the hosts
 * stop on one ("could not parse param ... expected length 4, found 0",
 * measured with Falco 0.42 and 0.44), whatever the table allows. */
#include <string.h>

#include "schema/event_ids.h"
#include "schema/schema.h"
#include "validate.h"

#define HDR 26

/* PT_* values (falcosecurity/libs driver/ppm_events_public.h). */
enum {
	T_INT8 = 1, T_INT16, T_INT32, T_INT64, T_UINT8, T_UINT16, T_UINT32, T_UINT64,
	T_CHARBUF, T_BYTEBUF, T_ERRNO, T_SOCKADDR, T_SOCKTUPLE, T_FD, T_PID, T_FDLIST,
	T_FSPATH, T_SYSCALLID, T_SIGTYPE, T_RELTIME, T_ABSTIME, T_PORT, T_L4PROTO,
	T_SOCKFAMILY, T_BOOL, T_IPV4ADDR, T_DYN, T_FLAGS8, T_FLAGS16, T_FLAGS32, T_UID,
	T_GID, T_DOUBLE, T_SIGSET, T_CHARBUFARRAY, T_CHARBUF_PAIR_ARRAY, T_IPV4NET,
	T_IPV6ADDR, T_IPV6NET, T_IPADDR, T_IPNET, T_MODE, T_FSRELPATH, T_ENUMFLAGS8,
	T_ENUMFLAGS16, T_ENUMFLAGS32, T_FD32, T_PID32,
};

/* Address families as the driver encodes them (PPM_AF_*). */
#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10

static size_t fixed_size(uint8_t t)
{
	switch (t) {
	case T_INT8: case T_UINT8: case T_SIGTYPE: case T_FLAGS8: case T_L4PROTO:
	case T_SOCKFAMILY: case T_ENUMFLAGS8:
		return 1;
	case T_INT16: case T_UINT16: case T_SYSCALLID: case T_FLAGS16: case T_PORT:
	case T_ENUMFLAGS16:
		return 2;
	case T_INT32: case T_UINT32: case T_FLAGS32: case T_UID: case T_GID: case T_SIGSET:
	case T_MODE: case T_BOOL: case T_IPV4ADDR: case T_ENUMFLAGS32: case T_FD32: case T_PID32:
		return 4;
	case T_INT64: case T_UINT64: case T_ERRNO: case T_FD: case T_PID: case T_RELTIME:
	case T_ABSTIME: case T_DOUBLE:
		return 8;
	case T_IPV4NET:
		return 8;
	case T_IPV6ADDR:
		return 16;
	case T_IPV6NET:
		return 32;
	default:
		return 0;
	}
}

static bool nul_ended(const uint8_t *v, size_t n)
{
	return n > 0 && v[n - 1] == 0;
}

static bool sockaddr_ok(const uint8_t *v, size_t n)
{
	switch (v[0]) {
	case AF_INET_: return n == 1 + 4 + 2;
	case AF_INET6_: return n == 1 + 16 + 2;
	case AF_UNIX_: return n >= 2 && memchr(v + 1, 0, n - 1) != NULL;
	default: return true; /* only the family byte is read */
	}
}

static bool socktuple_ok(const uint8_t *v, size_t n)
{
	switch (v[0]) {
	case AF_INET_: return n == 1 + 4 + 2 + 4 + 2;
	case AF_INET6_: return n == 1 + 16 + 2 + 16 + 2;
	case AF_UNIX_: return n >= 1 + 8 + 8 + 1 && memchr(v + 17, 0, n - 17) != NULL;
	default: return true;
	}
}

/* A pair array: an even number of NUL-terminated strings. */
static bool pairs_ok(const uint8_t *v, size_t n)
{
	size_t nuls = 0;
	for (size_t i = 0; i < n; i++)
		nuls += v[i] == 0;
	return nul_ended(v, n) && nuls % 2 == 0;
}

/* The variant's type of a PT_DYN param, from pdig's table (which init
 * compared with the host's); 0 when not known. */
static uint8_t dyn_type(const struct host_table *t, uint16_t ev, uint32_t i, uint8_t idx)
{
	const struct pdig_event *e = t->schema ? pdig_schema_event(t->schema, ev) : NULL;
	if (!e || i >= e->nparams || !e->params[i].dyn || idx >= e->params[i].ndyn)
		return 0;
	return e->params[i].dyn[idx].type;
}

static const char *check_value(const struct host_table *t, uint16_t ev, uint32_t i, const uint8_t *v,
                               size_t n)
{
	uint8_t type = t->ev[ev].type[i], ninfo = t->ev[ev].ninfo[i];
	/* empty: "not available" to the parser, which only variable-size
	 * values may be */
	if (n == 0) {
		bool may_be_empty = type == T_BYTEBUF || type == T_SOCKADDR || type == T_SOCKTUPLE ||
		                    type == T_IPADDR || type == T_IPNET;
		return may_be_empty ? NULL : "an empty param of a type that must have a value";
	}
	size_t fixed = fixed_size(type);
	if (fixed && n != fixed)
		return "a fixed-size param has the wrong length";
	if (type == T_SYSCALLID && t->schema) {
		uint16_t code;
		memcpy(&code, v, 2);
		return code <= t->sc_max ? NULL : "a syscall code the schema does not have";
	}
	if (fixed)
		return NULL;
	switch (type) {
	case T_CHARBUF: case T_FSPATH: case T_FSRELPATH: case T_CHARBUFARRAY:
		return nul_ended(v, n) ? NULL : "a string param lacks its NUL";
	case T_CHARBUF_PAIR_ARRAY:
		return pairs_ok(v, n) ? NULL : "a pair array that is not pairs of strings";
	case T_SOCKADDR:
		return sockaddr_ok(v, n) ? NULL : "a socket address of the wrong length";
	case T_SOCKTUPLE:
		return socktuple_ok(v, n) ? NULL : "a socket tuple of the wrong length";
	case T_FDLIST: {
		uint16_t count;
		if (n < 2)
			return "a short fd list";
		memcpy(&count, v, 2);
		return n == 2 + (size_t)count * 10 ? NULL : "an fd list of the wrong length";
	}
	case T_DYN: {
		if (v[0] >= ninfo)
			return "a dynamic param with an unknown variant";
		/* the index, then a value of the variant's type */
		uint8_t vt = dyn_type(t, ev, i, v[0]);
		size_t vs = fixed_size(vt);
		if (vs)
			return n == 1 + vs ? NULL : "a dynamic param whose value has the wrong length";
		if (vt == T_CHARBUF || vt == T_FSPATH)
			return nul_ended(v + 1, n - 1) ? NULL : "a dynamic param whose string lacks its NUL";
		return n > 1 || !t->schema ? NULL : "a dynamic param with no value";
	}
	case T_IPADDR:
		return n == 4 || n == 16 ? NULL : "an IP address of the wrong length";
	case T_IPNET:
		return n == 8 || n == 32 ? NULL : "an IP network of the wrong length";
	case T_BYTEBUF:
		return NULL;
	default:
		return "a param of a type pdig does not know";
	}
}

const char *validate_event(const struct host_table *t, const uint8_t *ev, size_t len)
{
	if (len < HDR)
		return "shorter than an event header";
	uint32_t elen, nparams;
	uint16_t type;
	memcpy(&elen, ev + 16, 4);
	memcpy(&type, ev + 20, 2);
	memcpy(&nparams, ev + 22, 4);
	if (elen != len)
		return "its header's length is not the record's";
	if (type >= t->nevents)
		return "an event type the host does not know";
	const struct ht_event *e = &t->ev[type];
	if (t->schema && !t->sent[type])
		return "an event type pdig does not send";
	if (nparams != e->nparams)
		return "a param count other than the host's";
	size_t lw = e->large ? 4 : 2;
	size_t at = HDR + (size_t)nparams * lw;
	if (at > len)
		return "its param lengths run past the end";
	const uint8_t *lens = ev + HDR;
	for (uint32_t i = 0; i < nparams; i++) {
		uint32_t pl = 0;
		memcpy(&pl, lens + i * lw, lw);
		if (pl > len - at)
			return "its params run past the end";
		const char *why = check_value(t, type, i, ev + at, pl);
		if (why)
			return why;
		at += pl;
	}
	return at == len ? NULL : "bytes left over after its params";
}

void validate_prepare(struct host_table *t, const struct pdig_schema *s)
{
	t->schema = s;
	t->sc_max = 0;
	memset(t->sent, 0, sizeof t->sent);
	if (!s)
		return;
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const struct pdig_syscall *sc = &s->syscalls[nr];
		if (sc->ppm_sc > t->sc_max)
			t->sc_max = sc->ppm_sc;
		if (!(sc->flags & SCF_USED))
			continue;
		uint16_t ids[2] = { sc->enter, sc->exit };
		for (int k = 0; k < 2; k++) {
			const struct pdig_event *e = pdig_schema_event(s, ids[k]);
			/* an enter this generation's drivers do not send either */
			if (e && ids[k] < HT_MAX_EVENTS &&
			    !(k == 0 && s->exit_only && (e->flags & (EVF_OLD_VERSION | EVF_UNUSED))))
				t->sent[ids[k]] = true;
		}
	}
	/* the generic pair, and the events no syscall routes to */
	const uint16_t always[] = { EV_GENERIC_X, EV_PROCEXIT_1_E, EV_SIGNALDELIVER_E, EV_SYSCALL_EXECVE_19_X };
	for (size_t k = 0; k < sizeof always / sizeof always[0]; k++)
		t->sent[always[k]] = true;
	if (!s->exit_only)
		t->sent[EV_GENERIC_E] = true;
}
