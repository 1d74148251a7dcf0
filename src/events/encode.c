/* Dispatch: syscall -> event id -> family encoder. */
#include <string.h>

#include "events/encoder.h"
#include "families.h"

/* Event id -> encoder; NULL: the event is written without params. */
#define ENC_SLOT(ev, fn) [ev] = fn,
/* Sized for the newest schema's ids: an id an older schema lacks is never
 * begun in it (evb_begin_in marks it bad). */
#define ENC_IDS (EV_SYSCALL_KEYCTL_X + 1)
static const enc_fn encoders[ENC_IDS] = {
	FILE_ENCODERS(ENC_SLOT)
	FD_ENCODERS(ENC_SLOT)
	NET_ENCODERS(ENC_SLOT)
	PROCESS_ENCODERS(ENC_SLOT)
	MISC_ENCODERS(ENC_SLOT)
	MODERN_ENCODERS(ENC_SLOT)
};

/* Exits whose params end with their enter's (families.h). */
#define TAIL_SLOT(ev) [ev] = true,
static const bool enter_tail[ENC_IDS] = { EXITS_WITH_ENTER_TAIL(TAIL_SLOT) };
#define TAIL_IN_1_0_0(ev) _Static_assert((ev) < PDIG_EVENT_MAX, #ev " is not a 1.0.0 event");
EXITS_WITH_ENTER_TAIL(TAIL_IN_1_0_0)

/* Writes an exit's enter tail: its 1.0.0 params first (padded if the exit
 * encoder wrote fewer), then the enter encoder's, read from the same
 * syscall (its arguments and the memory they point to, which the call
 * took as input). Nothing when the schema has no tail, so 1.0.0 pays for
 * no read. */
static void put_enter_tail(struct evbuf *b, const struct enc_ctx *c, uint16_t type)
{
	if (!enter_tail[type] || !encoders[type - 1])
		return;
	/* every listed exit exists in 1.0.0 (checked above) */
	uint32_t base = pdig_events[type].nparams;
	/* an exit encoder that wrote past its 1.0.0 params owns the rest */
	if (!evb_keeps(b, base) || b->idx > base)
		return;
	while (b->idx < base && !b->overflow)
		evb_empty(b);
	encoders[type - 1](b, c);
}

/* The generic event names the syscall by the consumer's code (ID, from the
 * schema's routing table: 0 for a number it has no entry for) and its
 * native number (nativeID): 1.0.0 has nativeID at the enter only, later
 * schemas at the exit too (the buffer drops what a schema lacks). */
static void enc_generic(struct evbuf *b, const struct enc_ctx *c)
{
	evb_u16(b, b->schema->syscalls[c->nr].ppm_sc);
	evb_u16(b, (uint16_t)c->nr);
}

/* Does a driver of schema s send this enter event? Since libs 0.22 the
 * drivers send only the enters the table does not mark old or unused;
 * the exit carries the rest. */
static bool enter_sent(const struct pdig_schema *s, uint16_t type)
{
	const struct pdig_event *e = pdig_schema_event(s, type);
	if (!e)
		return false;
	return !s->exit_only || !(e->flags & (EVF_OLD_VERSION | EVF_UNUSED));
}

bool encode_enter_sent(const struct pdig_schema *s, uint64_t nr)
{
	if (!pdig_syscall_reported(nr))
		return false;
	const struct pdig_syscall *sc = pdig_schema_syscall(s, nr);
	return enter_sent(s, sc ? sc->enter : EV_GENERIC_E);
}

size_t encode_syscall(int is_exit, const struct enc_ctx *c, void *buf, size_t cap)
{
	const struct pdig_schema *s = c->schema ? c->schema : pdig_schema_get(SCHEMA_1_0_0);
	if (!pdig_syscall_reported(c->nr))
		return 0;
	/* without UF_USED the driver writes the generic pair */
	const struct pdig_syscall *sc = pdig_schema_syscall(s, c->nr);
	uint16_t type = !sc ? (is_exit ? EV_GENERIC_X : EV_GENERIC_E)
	                    : is_exit ? process_exit_event(sc->exit, c) : sc->enter;
	if (!is_exit && !enter_sent(s, type))
		return 0;
	struct evbuf b;
	evb_begin_in(&b, s, buf, cap, type, c->ts, (uint64_t)c->tid);
	if (type == EV_GENERIC_E || type == EV_GENERIC_X)
		enc_generic(&b, c);
	else if (type < ENC_IDS && encoders[type])
		encoders[type](&b, c);
	if (is_exit && type < ENC_IDS)
		put_enter_tail(&b, c, type);
	return evb_finish(&b);
}

size_t encode_drop(const struct pdig_schema *s, bool enter, uint64_t ts, int64_t tid, uint32_t ratio, void *buf,
                   size_t cap)
{
	struct evbuf b;
	evb_begin_in(&b, s, buf, cap, enter ? EV_DROP_E : EV_DROP_X, ts, (uint64_t)tid);
	evb_u32(&b, ratio);
	return evb_finish(&b);
}

size_t encode_procexit(const struct pdig_schema *s, uint64_t ts, int64_t tid, int status, void *buf,
                       size_t cap)
{
	struct evbuf b;
	evb_begin_in(&b, s, buf, cap, EV_PROCEXIT_1_E, ts, (uint64_t)tid);
	int sig = (status & 0x7f) && (status & 0x7f) != 0x7f ? status & 0x7f : 0;
	evb_s64(&b, status);                        /* status: raw wait status */
	evb_s64(&b, sig ? 0 : (status >> 8) & 0xff); /* ret: exit code */
	evb_u8(&b, (uint8_t)sig);                   /* sig */
	evb_u8(&b, (status & 0x80) ? 1 : 0);        /* core */
	/* reaper_tid (4.0.1+): -1, "not known", where the driver could not
	 * find one either; the consumer then picks the reaper itself */
	evb_s64(&b, -1);
	return evb_finish(&b);
}
