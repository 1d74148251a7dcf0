/* The signal-delivery event, which no syscall makes. */
#include "events/encoder.h"
#include "schema/event_ids.h"

size_t encode_signaldeliver(const struct pdig_schema *s, uint64_t ts, int64_t tid, int64_t spid, int sig,
                            void *buf, size_t cap)
{
	struct evbuf b;
	evb_begin_in(&b, s, buf, cap, EV_SIGNALDELIVER_E, ts, (uint64_t)tid);
	evb_s64(&b, spid);        /* spid: the sender, 0 when the kernel sent it */
	evb_s64(&b, tid);         /* dpid: the thread that takes it */
	evb_u8(&b, (uint8_t)sig); /* sig */
	return evb_finish(&b);
}
