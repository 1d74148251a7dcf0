/* The ring sink: feeds the pdig ring (src/ring, docs/plugin.md) that the
 * pdig Falco plugin creates. On by default, like udig: it looks for the
 * ring file now and then, attaches when a consumer has made one, and lets
 * go when that consumer goes away. Events are written in the schema the
 * ring's header asks for. A file it cannot use (foreign, damaged, asking
 * for a schema this pdig cannot write) is reported and looked at again
 * when it changes, or every few seconds: a stranger who scribbles on the
 * header for a moment must not blind the plugin for good. Each time pdig
 * lets go of a ring or refuses one, it says so on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ring/ring.h"
#include "schema/event_ids.h"
#include "schema/event_layout.h"
#include "schema/schema.h"
#include "sinks/sink.h"

#define MS 1000000ull
/* How often the file and its consumer are looked at (stat + fcntl). */
#define CHECK_NS (100 * MS)
/* A refused file that has not changed is tried again this often. */
#define RETRY_NS (3000 * MS)

struct ring_sink {
	struct sink base;
	char path[4096];
	struct ring_producer p;
	bool attached;
	bool intro_due;         /* attached, the traced processes not yet described */
	int schema_id;          /* pdig's id of the ring's schema, when attached */
	uint64_t next_check;
	/* the file last refused, as stat saw it then: retried when it
	 * changes or at bad_retry (the same refusal is not re-reported) */
	struct stat bad;
	bool refused;
	uint64_t bad_retry;
	char last_err[4800];     /* a path of up to 4095 bytes and why */
	uint64_t missed_told;    /* stats.discarded told to consumers so far */
	void (*on_attach)(const char *path);
};

static uint64_t coarse_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The schemas this pdig can write, by the ring's code; -1 = none. Only
 * full versions count ("4.5.1"): the code always names one. */
static int schema_for(uint32_t code)
{
	char s[16];
	ring_schema_str(code, s, sizeof s);
	int id = pdig_schema_parse(s);
	const struct pdig_schema *sc = id < 0 ? NULL : pdig_schema_get((enum pdig_schema_id)id);
	return sc && !strcmp(sc->version, s) ? id : -1;
}

#define CONSUMER_GONE "its consumer closed it or went away"

/* Lets go of the ring, saying why: the plugin's user should learn from
 * pdig's side too that its events stopped. */
static void detach(struct ring_sink *r, const char *why)
{
	if (r->attached) {
		fprintf(stderr, "pdig: %s: no longer feeding this ring: %s\n", r->path, why);
		ring_producer_detach(&r->p);
	}
	r->attached = false;
}

static void refuse(struct ring_sink *r, const struct stat *st, const char *err)
{
	if (!r->refused || strcmp(err, r->last_err))
		fprintf(stderr, "pdig: %s\n", err);
	snprintf(r->last_err, sizeof r->last_err, "%s", err);
	r->refused = true;
	r->bad = *st;
	r->bad_retry = coarse_ns() + RETRY_NS;
}

static bool same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void try_attach(struct ring_sink *r, const struct stat *st)
{
	char err[sizeof r->last_err];
	if (ring_producer_attach(&r->p, r->path, err, sizeof err) < 0) {
		if (errno != ENOENT)
			refuse(r, st, err);
		return;
	}
	uint32_t code = ring_producer_schema(&r->p);
	int id = r->p.faulted ? -1 : schema_for(code);
	if (id < 0) {
		char s[16];
		snprintf(err, sizeof err, "%s: the consumer wants event schema %s, which this pdig "
			 "cannot write (it writes %s); not feeding it", r->path,
			 ring_schema_str(code, s, sizeof s), pdig_schema_names());
		refuse(r, st, err);
		ring_producer_detach(&r->p);
		return;
	}
	if (!ring_producer_consumer_live(&r->p)) {
		/* closed, or its consumer died (no lock held): attaching would
		 * only be followed by a detach at the next check, every 100 ms */
		snprintf(err, sizeof err, "%s: a stale ring (its consumer closed it or went away); "
			 "not feeding it until a consumer makes it again", r->path);
		refuse(r, st, err);
		ring_producer_detach(&r->p);
		return;
	}
	r->refused = false;
	r->schema_id = id;
	r->attached = true;
	/* what no consumer got since the last ring (or since the start): the
	 * plugin reports it, so the loss is seen where the alerts are */
	ring_producer_add_missed(&r->p, r->base.stats.discarded - r->missed_told);
	r->missed_told = r->base.stats.discarded;
	/* its host knows nothing of what runs already (the tracer describes it) */
	r->intro_due = true;
	if (r->on_attach)
		r->on_attach(r->path);
}

/* Rate-limited: follows the file's comings and goings. */
static void refresh(struct ring_sink *r)
{
	uint64_t now = coarse_ns();
	if (now < r->next_check)
		return;
	r->next_check = now + CHECK_NS;
	struct stat st;
	bool exists = stat(r->path, &st) == 0;
	if (r->attached) {
		/* gone, replaced by a newer consumer's file, or its consumer left */
		bool same = exists && st.st_dev == r->p.dev && st.st_ino == r->p.ino;
		if (same && !r->p.faulted && ring_producer_consumer_live(&r->p))
			return;
		detach(r, r->p.faulted ? "the file was truncated under pdig"
			  : !exists ? "the file is gone"
			  : !same ? "the file was replaced"
			  : CONSUMER_GONE);
	}
	if (exists && (!r->refused || !same_file_state(&st, &r->bad) || now >= r->bad_retry))
		try_attach(r, &st);
}

bool ring_sink_wait(struct sink *s, unsigned ms)
{
	struct ring_sink *r = (struct ring_sink *)s;
	for (unsigned waited = 0;; waited += CHECK_NS / MS) {
		r->next_check = 0;
		refresh(r);
		if (r->attached || waited >= ms)
			return r->attached;
		nanosleep(&(struct timespec){ 0, CHECK_NS }, NULL);
	}
}

static bool ring_take_intro(struct sink *s)
{
	struct ring_sink *r = (struct ring_sink *)s;
	bool due = r->attached && r->intro_due;
	r->intro_due = false;
	return due;
}

static bool ring_wants(struct sink *s)
{
	struct ring_sink *r = (struct ring_sink *)s;
	refresh(r);
	return r->attached;
}

static enum pdig_schema_id ring_schema(struct sink *s)
{
	return (enum pdig_schema_id)((struct ring_sink *)s)->schema_id;
}

static uint32_t ring_snaplen(struct sink *s)
{
	struct ring_sink *r = (struct ring_sink *)s;
	uint32_t n = r->attached ? ring_producer_snaplen(&r->p) : 0;
	return n ? n : PDIG_SNAPLEN_DEFAULT;
}

static void ring_write(struct sink *s, const uint8_t *ev, size_t len)
{
	struct ring_sink *r = (struct ring_sink *)s;
	if (!r->attached) {
		s->stats.discarded++;
		return;
	}
	/* drop enter/exit (--max-cpu narrowing): the plugin refuses them, as
	 * a ring writer could forge the host's state with them; what was shed
	 * reaches it through the header's counters (ring_shed) */
	if (len >= EVT_HDR_LEN && (evt_type(ev) == EV_DROP_E || evt_type(ev) == EV_DROP_X))
		return;
	enum ring_put put = ring_producer_put(&r->p, ev, (uint32_t)(len > UINT32_MAX ? UINT32_MAX : len));
	if (put == RING_PUT_OK) {
		s->stats.written++;
		return;
	}
	if (put == RING_PUT_CLOSED) {
		/* the consumer is leaving (e.g. Falco restarting): as when no
		 * plugin is attached, not a loss of the ring's */
		s->stats.discarded++;
		detach(r, CONSUMER_GONE);
		return;
	}
	s->stats.dropped++;
	if (put == RING_PUT_FAULT)
		detach(r, "the file was truncated under pdig (its events are dropped)");
}

static void ring_shed(struct sink *s, uint64_t n)
{
	struct ring_sink *r = (struct ring_sink *)s;
	if (!r->attached)
		return;
	ring_producer_add_shed(&r->p, n);
	if (r->p.faulted)
		detach(r, "the file was truncated under pdig (its events are dropped)");
}

static void ring_close(struct sink *s)
{
	struct ring_sink *r = (struct ring_sink *)s;
	if (r->attached)
		ring_producer_detach(&r->p);
	free(r);
}

struct sink *ring_sink_open(const char *dir, void (*on_attach)(const char *path),
			    char *err, size_t errlen)
{
	struct ring_sink *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (ring_path(dir, r->path, sizeof r->path) < 0) {
		snprintf(err, errlen, "%s: ring directory name too long", RING_DIR_ENV);
		free(r);
		return NULL;
	}
	r->on_attach = on_attach;
	r->base.name = "ring";
	r->base.discard_reason = "no plugin attached";
	r->base.wants = ring_wants;
	r->base.take_intro = ring_take_intro;
	r->base.schema = ring_schema;
	r->base.snaplen = ring_snaplen;
	r->base.write = ring_write;
	r->base.shed = ring_shed;
	r->base.close = ring_close;
	refresh(r); /* a consumer already there is fed from the first event */
	return &r->base;
}
