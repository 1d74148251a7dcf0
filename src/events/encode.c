/* Dispatch: syscall -> event id -> family encoder. */
#include <string.h>

#include "events/encoder.h"
#include "families.h"

/* Event id -> encoder; NULL: the event is written without params. */
#define ENC_SLOT(ev, fn) [ev] = fn,
static const enc_fn encoders[PDIG_EVENT_MAX] = {
	FILE_ENCODERS(ENC_SLOT)
	FD_ENCODERS(ENC_SLOT)
	NET_ENCODERS(ENC_SLOT)
	PROCESS_ENCODERS(ENC_SLOT)
	MISC_ENCODERS(ENC_SLOT)
};

/* The generic event names the syscall by the consumer's code (ID, from the
 * routing table: 0 for a number it has no entry for) and, at the enter
 * only, its native number (nativeID), as the driver's generic filler. */
static void enc_generic(struct evbuf *b, const struct enc_ctx *c, int is_exit)
{
	evb_u16(b, pdig_syscalls[c->nr].ppm_sc);
	if (!is_exit)
		evb_u16(b, (uint16_t)c->nr);
}

size_t encode_syscall(int is_exit, const struct enc_ctx *c, void *buf, size_t cap)
{
	if (!pdig_syscall_reported(c->nr))
		return 0;
	/* without UF_USED the driver writes the generic pair */
	const struct pdig_syscall *sc = pdig_syscall_info(c->nr);
	uint16_t type = !sc ? (is_exit ? EV_GENERIC_X : EV_GENERIC_E)
	                    : is_exit ? process_exit_event(sc->exit, c) : sc->enter;
	struct evbuf b;
	evb_begin(&b, buf, cap, type, c->ts, (uint64_t)c->tid);
	if (type == EV_GENERIC_E || type == EV_GENERIC_X)
		enc_generic(&b, c, is_exit);
	else if (encoders[type])
		encoders[type](&b, c);
	return evb_finish(&b);
}

size_t encode_procexit(uint64_t ts, int64_t tid, int status, void *buf, size_t cap)
{
	struct evbuf b;
	evb_begin(&b, buf, cap, EV_PROCEXIT_1_E, ts, (uint64_t)tid);
	int sig = (status & 0x7f) && (status & 0x7f) != 0x7f ? status & 0x7f : 0;
	evb_s64(&b, status);                        /* status: raw wait status */
	evb_s64(&b, sig ? 0 : (status >> 8) & 0xff); /* ret: exit code */
	evb_u8(&b, (uint8_t)sig);                   /* sig */
	evb_u8(&b, (status & 0x80) ? 1 : 0);        /* core */
	return evb_finish(&b);
}
