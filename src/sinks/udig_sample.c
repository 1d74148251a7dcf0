/* Dropping mode of the udig sink (docs/udig-ring.md §10): which
 * events to sample out when the consumer sets dropping_mode. sysdig 0.29.3
 * never does, so this is the original pdig's rule, kept simple. */
#include <string.h>

#include "sinks/udig.h"
#include "schema/event_layout.h"
#include "schema/schema.h"

/* PPM_FCNTL_F_DUPFD / PPM_FCNTL_F_DUPFD_CLOEXEC: fcntl cmds that create state. */
#define FCNTL_DUPFD 1
#define FCNTL_DUPFD_CLOEXEC 26
#define EV_CLOSE_X 5
#define EV_BIND_X 21
#define EV_FCNTL_E 150
#define EV_FCNTL_X 151

/* Syscall-table drop flags per event id. */
static uint8_t ev_drop_flags[PDIG_EVENT_MAX];

/* Signed 64-bit value of param k, false if the event is too short. */
static bool param_s64(const uint8_t *ev, size_t len, uint32_t k, int64_t *v)
{
	uint32_t np = evt_nparams(ev);
	size_t off = EVT_HDR_LEN + 2u * np;
	if (k >= np || off > len)
		return false;
	for (uint32_t i = 0; i < k; i++) {
		uint16_t l;
		memcpy(&l, ev + EVT_HDR_LEN + 2 * i, 2);
		off += l;
	}
	uint16_t l;
	memcpy(&l, ev + EVT_HDR_LEN + 2 * k, 2);
	if (off + l > len || l == 0 || l > 8)
		return false;
	*v = 0;
	if (l == 8)
		memcpy(v, ev + off, 8);
	else if (l == 4) {
		int32_t x;
		memcpy(&x, ev + off, 4);
		*v = x;
	} else
		*v = ev[off];
	return true;
}

/* Events that carry no state the consumer needs, dropped first. */
static bool stateless(uint64_t *fcntl_drop_tid, const uint8_t *ev, size_t len)
{
	int64_t v;
	switch (evt_type(ev)) {
	case EV_CLOSE_X:
	case EV_BIND_X:
		return param_s64(ev, len, 0, &v) && v < 0;
	case EV_FCNTL_E:
		if (param_s64(ev, len, 1, &v) && v != FCNTL_DUPFD && v != FCNTL_DUPFD_CLOEXEC) {
			*fcntl_drop_tid = evt_tid(ev);
			return true;
		}
		*fcntl_drop_tid = 0;
		return false;
	case EV_FCNTL_X:
		if (*fcntl_drop_tid && *fcntl_drop_tid == evt_tid(ev)) {
			*fcntl_drop_tid = 0;
			return true;
		}
		return false;
	}
	return false;
}

bool udig_sample_out(struct udig_consumer *c, uint64_t *fcntl_drop_tid,
		     const uint8_t *ev, size_t len)
{
	if (stateless(fcntl_drop_tid, ev, len))
		return true;
	uint8_t f = ev_drop_flags[evt_type(ev) % PDIG_EVENT_MAX];
	if (f & SCF_NEVER_DROP)
		return false;
	if (f & SCF_ALWAYS_DROP)
		return true;
	if (evt_ts(ev) % 1000000000ull >= c->sampling_interval) {
		if (!c->is_dropping) {
			c->is_dropping = 1;
			c->need_to_insert_drop_e = 1;
		}
		return true;
	}
	if (c->is_dropping) {
		c->is_dropping = 0;
		c->need_to_insert_drop_x = 1;
	}
	return false;
}

void udig_sample_init(void)
{
	if (ev_drop_flags[EV_PROCEXIT_1_E])
		return;
	for (unsigned nr = 0; nr < PDIG_SYSCALL_MAX; nr++) {
		const struct pdig_syscall *sc = &pdig_syscalls[nr];
		if (!(sc->flags & SCF_USED))
			continue;
		/* The generic events stand for many syscalls: no flags. */
		if (sc->enter > EV_GENERIC_X && sc->enter < PDIG_EVENT_MAX)
			ev_drop_flags[sc->enter] |= sc->flags;
		if (sc->exit > EV_GENERIC_X && sc->exit < PDIG_EVENT_MAX)
			ev_drop_flags[sc->exit] |= sc->flags;
	}
	/* Not syscalls, but the consumer's process table depends on it. */
	ev_drop_flags[EV_PROCEXIT_1_E] |= SCF_NEVER_DROP;
}
