/* libpdig.so: a Falco/sysdig source plugin for the "syscall" source. It
 * creates the pdig ring at open, and hands the host the events pdig
 * producers write into it, each checked first (validate.c) against the
 * host's own event table (host_table.c). docs/plugin.md has the whole
 * story; plugin_abi.h the ABI. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "host_table.h"
#include "plugin_abi.h"
#include "ring/ring.h"
#include "schema/schema.h"
#include "validate.h"

#define BATCH_BYTES (4u << 20)
#define BATCH_MAX_EVENTS (BATCH_BYTES / 30)
/* An empty ring is polled with a growing sleep, and the host gets a
 * timeout after about this long so it can do its own work (and stop). */
#define IDLE_RETURN_NS 30000000ull
#define DROP_LOG_EVERY_NS 10000000000ull
/* How often the ring's path is checked to still name our file. */
#define RING_CHECK_NS 100000000ull

struct pdig_plugin {
	struct plugin_config cfg;
	struct host_table *table;    /* the host's, found in memory */
	bool table_found;
	uint32_t schema;             /* RING_SCHEMA code the ring asks producers for */
	ss_plugin_owner_t *owner;
	ss_plugin_log_fn_t log_fn;   /* only when the host is known to pass 3.12's logger */
	char err[1024];
	/* counters, reported as metrics */
	uint64_t n_events, n_bad, n_drops_seen, n_producer_evts;
	uint64_t n_missed_seen;      /* producers' discards while no consumer held a ring */
	uint64_t n_shed_seen;        /* of the drops, those shed under pdig --max-cpu */
	uint64_t n_resyncs;
	uint64_t n_ring_lost;        /* times the ring's file was removed or replaced */
	uint64_t scan_ms;            /* how long finding the host's table took */
	ss_plugin_metric metrics[8];
};

struct pdig_instance {
	struct ring_consumer ring;
	uint8_t *buf;
	ss_plugin_event **evts;
	bool bad_logged;
	uint64_t drops_logged, next_drop_log;
	uint64_t missed_logged, next_missed_log;
	uint64_t resyncs_logged, next_resync_log;
	uint64_t next_ring_check, lost_logged, next_lost_log;
	uint32_t last_batch; /* events handed over by the last next_batch */
};

/* ---- small helpers --------------------------------------------------------- */

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void plog(struct pdig_plugin *p, ss_plugin_log_severity sev, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (p->log_fn)
		p->log_fn(p->owner, NULL, msg, sev);
	else
		fprintf(stderr, "pdig plugin: %s\n", msg);
}

/* A schema by any name pdig knows ("0.25", "4.5.1", "falco-0.44"), as a
 * ring code; 0 if unknown or not one a plugin host can have (1.0.0). */
static uint32_t schema_by_name(const char *name)
{
	int id = pdig_schema_parse(name);
	const struct pdig_schema *s = id < 0 ? NULL : pdig_schema_get((enum pdig_schema_id)id);
	unsigned maj, min, pat;
	if (!s || id == SCHEMA_1_0_0 || sscanf(s->version, "%u.%u.%u", &maj, &min, &pat) != 3)
		return 0;
	return RING_SCHEMA(maj, min, pat);
}

static const struct pdig_schema *schema_of(uint32_t code)
{
	char v[16];
	int id = pdig_schema_parse(ring_schema_str(code, v, sizeof v));
	return id < 0 ? NULL : pdig_schema_get((enum pdig_schema_id)id);
}

static const char *hosts_of(uint32_t code)
{
	switch (code) {
	case RING_SCHEMA(4, 0, 1): return "libs 0.22, Falco 0.42";
	case RING_SCHEMA(4, 1, 0): return "libs 0.23, Falco 0.43, sysdig 0.41";
	case RING_SCHEMA(4, 5, 1): return "libs 0.25, Falco 0.44";
	default: return "an unknown host";
	}
}

/* ---- identity -------------------------------------------------------------- */

const char *plugin_get_required_api_version(void) { return PDIG_PLUGIN_REQUIRED_API; }
const char *plugin_get_version(void) { return PDIG_VERSION; }
const char *plugin_get_name(void) { return "pdig"; }
const char *plugin_get_contact(void) { return "https://github.com/falcosecurity/pdig"; }
const char *plugin_get_description(void)
{
	return "Syscall events of programs run under pdig (ptrace, no kernel driver), "
	       "read from the pdig ring (default /dev/shm/pdig-ring)";
}

const char *plugin_get_init_schema(ss_plugin_schema_type *schema_type)
{
	*schema_type = SS_PLUGIN_SCHEMA_JSON;
	return plugin_config_schema;
}

const char *plugin_get_last_error(ss_plugin_t *s)
{
	return s ? ((struct pdig_plugin *)s)->err : "pdig plugin: no state";
}

/* ---- init: which schema ---------------------------------------------------- */

/* Decides p->schema from the host's memory and the config. */
static int choose_schema(struct pdig_plugin *p, const ss_plugin_init_input *in)
{
	char why[256], s[16], h[16];
	bool automatic = !p->cfg.schema[0] || !strcmp(p->cfg.schema, "auto");
	uint32_t wanted = automatic ? 0 : schema_by_name(p->cfg.schema);
	if (!automatic && !wanted) {
		snprintf(p->err, sizeof p->err, "pdig: init config: unknown schema \"%s\" (known: auto, "
			 "4.0.1 or 0.22 or falco-0.42, 4.1.0 or 0.23 or falco-0.43, 4.5.1 or 0.25 or "
			 "falco-0.44)", p->cfg.schema);
		return -1;
	}
	uint64_t t0 = mono_ns();
	int found = host_table_find(p->table, why, sizeof why);
	p->scan_ms = (mono_ns() - t0) / 1000000;
	p->table_found = found > 0;
	uint32_t host = p->table_found ? host_table_schema(p->table) : 0;
	/* The logger's signature changed within API 3.x; a host whose table
	 * we recognise (libs 0.22 or later) passes the current one. */
	if (host && in)
		p->owner = in->owner, p->log_fn = in->log_fn;
	if (p->table_found && !host && automatic) {
		snprintf(p->err, sizeof p->err, "pdig: the host's event table (%u events, execve exit "
			 "with %u params) is no schema pdig knows (4.0.1, 4.1.0, 4.5.1); set init_config "
			 "{\"schema\":\"VERSION\"} to use one anyway", p->table->nevents,
			 p->table->nevents > 293 ? p->table->ev[293].nparams : 0);
		return -1;
	}
	if (!p->table_found && automatic) {
		snprintf(p->err, sizeof p->err, "pdig: cannot tell the host's event schema (%s); set "
			 "init_config {\"schema\":\"0.25\"} for Falco 0.44, \"0.23\" for Falco 0.43 or "
			 "sysdig 0.41, \"0.22\" for Falco 0.42", why);
		return -1;
	}
	if (wanted && host && wanted != host) {
		snprintf(p->err, sizeof p->err, "pdig: init config asks for event schema %s, but the "
			 "host parses schema %s (%s); remove \"schema\" or set it to %s",
			 ring_schema_str(wanted, s, sizeof s), ring_schema_str(host, h, sizeof h),
			 hosts_of(host), h);
		return -1;
	}
	p->schema = wanted ? wanted : host;
	const struct pdig_schema *own = schema_of(p->schema);
	if (!p->table_found) {
		/* The user named the schema and we cannot read the host's table:
		 * events are checked against pdig's table of that schema. */
		host_table_from_schema(p->table, own);
		validate_prepare(p->table, own);
		plog(p, SS_PLUGIN_LOG_SEV_WARNING, "%s; trusting init_config: schema %s", why, own->version);
		return 0;
	}
	if (host) {
		/* pdig's table of the host's schema must be the host's: else pdig
		 * would write events the host drops as bad */
		struct host_table *mine = malloc(sizeof *mine);
		if (mine) {
			host_table_from_schema(mine, own);
			int at = host_table_diff(p->table, mine);
			if (at >= 0)
				plog(p, SS_PLUGIN_LOG_SEV_WARNING, "pdig's table of schema %s differs from the "
				     "host's at event %d; such events will be skipped", own->version, at);
			free(mine);
		}
	}
	/* only what pdig sends in that schema gets through (validate.h) */
	validate_prepare(p->table, own);
	return 0;
}

ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc)
{
	*rc = SS_PLUGIN_FAILURE;
	struct pdig_plugin *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->table = calloc(1, sizeof *p->table);
	if (!p->table) {
		snprintf(p->err, sizeof p->err, "pdig: out of memory");
		return p;
	}
	if (plugin_config_parse(in ? in->config : NULL, &p->cfg, p->err, sizeof p->err) < 0)
		return p;
	if (choose_schema(p, in) < 0)
		return p;
	char s[16];
	plog(p, SS_PLUGIN_LOG_SEV_INFO, "event schema %s (%s); host event table: %u events in %s "
	     "(found in %llu ms)", ring_schema_str(p->schema, s, sizeof s), hosts_of(p->schema),
	     p->table->nevents, p->table->where, (unsigned long long)p->scan_ms);
	*rc = SS_PLUGIN_SUCCESS;
	return p;
}

void plugin_destroy(ss_plugin_t *s)
{
	struct pdig_plugin *p = s;
	if (!p)
		return;
	free(p->table);
	free(p);
}

/* ---- open / close ------------------------------------------------------------ */

ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc)
{
	struct pdig_plugin *p = s;
	*rc = SS_PLUGIN_FAILURE;
	if (!p)
		return NULL;
	/* The ring's folder: open params, else the init config, else the
	 * environment pdig itself reads, else /dev/shm. */
	const char *dir = params && *params ? params
			  : p->cfg.ring_dir[0] ? p->cfg.ring_dir : getenv(RING_DIR_ENV);
	struct pdig_instance *h = calloc(1, sizeof *h);
	if (h) {
		h->buf = malloc(BATCH_BYTES);
		h->evts = malloc(BATCH_MAX_EVENTS * sizeof *h->evts);
	}
	if (!h || !h->buf || !h->evts) {
		snprintf(p->err, sizeof p->err, "pdig: out of memory");
		goto fail;
	}
	char err[768];
	uint32_t snaplen = p->cfg.snaplen;
	if (ring_consumer_open(&h->ring, dir, p->cfg.ring_size, p->schema, snaplen, err, sizeof err) < 0) {
		snprintf(p->err, sizeof p->err, "pdig: %s", err);
		goto fail;
	}
	plog(p, SS_PLUGIN_LOG_SEV_INFO, "reading %s (run programs as `pdig CMD`%s)", h->ring.path,
	     dir && *dir && strcmp(dir, RING_DIR_DEFAULT) ? " with PDIG_RING_DIR set to its folder" : "");
	*rc = SS_PLUGIN_SUCCESS;
	return h;
fail:
	if (h) {
		free(h->buf);
		free(h->evts);
		free(h);
	}
	return NULL;
}

static void log_drops(struct pdig_plugin *p, const char *when, uint64_t evts, uint64_t drops, uint64_t shed);

void plugin_close(ss_plugin_t *s, ss_instance_t *hh)
{
	struct pdig_instance *h = hh;
	if (!h)
		return;
	/* Events pdig wrote after the host's last read are lost with the ring:
	 * say how many, so a restart's loss is counted (pdig counts the rest,
	 * written after this, as discarded). A host that stops in the middle
	 * of the last batch it took (Falco on SIGTERM) does not process the
	 * rest of it, which only the host could count: give its size. */
	/* drops since the last (rate-limited) log: the final count, once */
	uint64_t evts, drops;
	ring_consumer_counters(&h->ring, &evts, &drops);
	if (drops > h->drops_logged)
		log_drops(s, "in all", evts, drops, ring_consumer_shed(&h->ring));
	uint64_t unread = ring_consumer_close(&h->ring);
	if (unread)
		plog(s, SS_PLUGIN_LOG_SEV_WARNING, "closing %s with %llu events unread: they are lost "
		     "(the host's last batch held %u)", h->ring.path, (unsigned long long)unread, h->last_batch);
	free(h->buf);
	free(h->evts);
	free(h);
}

/* ---- events ------------------------------------------------------------------ */

static void log_drops(struct pdig_plugin *p, const char *when, uint64_t evts, uint64_t drops, uint64_t shed)
{
	uint64_t full = drops > shed ? drops - shed : 0;
	plog(p, SS_PLUGIN_LOG_SEV_WARNING, "pdig producers dropped %llu events %s (%llu shed to keep within "
	     "pdig --max-cpu, %llu because the ring was full; %llu offered)", (unsigned long long)drops, when,
	     (unsigned long long)(drops - full), (unsigned long long)full, (unsigned long long)evts);
}

static void note_drops(struct pdig_plugin *p, struct pdig_instance *h)
{
	uint64_t evts, drops;
	ring_consumer_counters(&h->ring, &evts, &drops);
	p->n_producer_evts = evts;
	p->n_drops_seen = drops;
	/* pdig --max-cpu counts what it sheds as drops, like the driver;
	 * n_shed says how many of them, so the message names both causes */
	uint64_t shed = ring_consumer_shed(&h->ring);
	p->n_shed_seen = shed;
	uint64_t now = mono_ns();
	if (drops > h->drops_logged && now >= h->next_drop_log) {
		log_drops(p, "so far", evts, drops, shed);
		h->drops_logged = drops;
		h->next_drop_log = now + DROP_LOG_EVERY_NS;
	}
	/* Events pdig could not deliver while no Falco held a ring (before
	 * this one started, or while it restarted): pdig adds them to the
	 * header when it attaches, so they are seen here, not only in pdig's
	 * own exit counts. A ring made again starts from 0. */
	uint64_t missed = ring_consumer_missed(&h->ring);
	if (missed < h->missed_logged)
		h->missed_logged = 0;
	p->n_missed_seen = missed;
	if (missed > h->missed_logged && now >= h->next_missed_log) {
		plog(p, SS_PLUGIN_LOG_SEV_WARNING, "pdig producers discarded %llu events while no consumer "
		     "held their ring (before this one was made, or while Falco restarted)",
		     (unsigned long long)missed);
		h->missed_logged = missed;
		h->next_missed_log = now + DROP_LOG_EVERY_NS;
	}
}

/* A resync throws away what producers wrote: the user must hear of it
 * (someone wrote garbage into the ring), not only the metric. */
static void note_resyncs(struct pdig_plugin *p, struct pdig_instance *h)
{
	p->n_resyncs = h->ring.corrupt;
	uint64_t now = mono_ns();
	if (h->ring.corrupt > h->resyncs_logged && now >= h->next_resync_log) {
		plog(p, SS_PLUGIN_LOG_SEV_ERROR, "the ring's framing was broken (something other "
		     "than pdig wrote into %s): skipped what was in it, %llu times so far; "
		     "counted in pdig.ring_resyncs", h->ring.path,
		     (unsigned long long)h->ring.corrupt);
		h->resyncs_logged = h->ring.corrupt;
		h->next_resync_log = now + DROP_LOG_EVERY_NS;
	}
}

/* Every RING_CHECK_NS: is the ring's path still our file? Anyone who can
 * write the folder can remove or replace it, and then no pdig finds us:
 * say so, count it, and make the ring again. */
static void check_ring(struct pdig_plugin *p, struct pdig_instance *h)
{
	uint64_t now = mono_ns();
	if (now < h->next_ring_check)
		return;
	h->next_ring_check = now + RING_CHECK_NS;
	if (ring_consumer_intact(&h->ring))
		return;
	p->n_ring_lost++;
	char err[768];
	int rc = ring_consumer_recreate(&h->ring, err, sizeof err);
	if (p->n_ring_lost > h->lost_logged && now >= h->next_lost_log) {
		if (rc == 0)
			plog(p, SS_PLUGIN_LOG_SEV_ERROR, "%s was removed or replaced by someone else "
			     "(%llu times so far; counted in pdig.ring_lost): made it again; %llu events "
			     "left unread in the old rings so far are lost",
			     h->ring.path, (unsigned long long)p->n_ring_lost,
			     (unsigned long long)h->ring.lost_unread);
		else
			plog(p, SS_PLUGIN_LOG_SEV_ERROR, "%s was removed or replaced by someone else, "
			     "and making it again failed (retrying): %s", h->ring.path, err);
		h->lost_logged = p->n_ring_lost;
		h->next_lost_log = now + DROP_LOG_EVERY_NS;
	}
}

/* Validated events of one read into h->evts; returns how many. */
static uint32_t take(struct pdig_plugin *p, struct pdig_instance *h, size_t n)
{
	uint32_t k = 0;
	for (size_t at = 0; at + RING_REC_HDR <= n && k < BATCH_MAX_EVENTS;) {
		uint32_t len;
		memcpy(&len, h->buf + at, RING_REC_HDR);
		uint8_t *ev = h->buf + at + RING_REC_HDR;
		at += RING_REC_HDR + (size_t)len;
		const char *why = validate_event(p->table, ev, len);
		if (why) {
			p->n_bad++;
			if (!h->bad_logged) {
				uint16_t type = 0;
				if (len >= 22)
					memcpy(&type, ev + 20, 2);
				plog(p, SS_PLUGIN_LOG_SEV_ERROR, "skipping events the host could not "
				     "parse (first: type %u, %s); counted in pdig.bad_events", type, why);
				h->bad_logged = true;
			}
			continue;
		}
		h->evts[k++] = (ss_plugin_event *)ev;
	}
	p->n_events += k;
	return k;
}

ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *hh, uint32_t *nevts,
			       ss_plugin_event ***evts)
{
	struct pdig_plugin *p = s;
	struct pdig_instance *h = hh;
	*nevts = 0;
	if (!p || !h)
		return SS_PLUGIN_FAILURE;
	uint64_t start = mono_ns();
	long nap = 200000; /* 0.2 ms, doubling up to 8 ms */
	for (;;) {
		/* at most one batch of records: BATCH_MAX_EVENTS can hold them */
		check_ring(p, h);
		size_t n = ring_consumer_read(&h->ring, h->buf, BATCH_BYTES);
		note_resyncs(p, h);
		if (n) {
			uint32_t k = take(p, h, n);
			note_drops(p, h);
			if (k) {
				h->last_batch = k;
				*nevts = k;
				*evts = h->evts;
				return SS_PLUGIN_SUCCESS;
			}
		}
		if (mono_ns() - start >= IDLE_RETURN_NS) {
			note_drops(p, h);
			return SS_PLUGIN_TIMEOUT;
		}
		if (n)
			continue; /* all of it was bad: read on at once */
		struct timespec ts = { 0, nap };
		nanosleep(&ts, NULL);
		if (nap < 8000000)
			nap *= 2;
	}
}

/* ---- metrics ------------------------------------------------------------------ */

static void metric(ss_plugin_metric *m, const char *name, ss_plugin_metric_type type, uint64_t v)
{
	m->name = name;
	m->type = type;
	m->value.u64 = v;
	m->value_type = SS_PLUGIN_METRIC_VALUE_TYPE_U64;
}

ss_plugin_metric *plugin_get_metrics(ss_plugin_t *s, uint32_t *num_metrics)
{
	struct pdig_plugin *p = s;
	*num_metrics = 0;
	if (!p)
		return NULL;
	metric(&p->metrics[0], "pdig.events", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_events);
	metric(&p->metrics[1], "pdig.producer_events", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_producer_evts);
	metric(&p->metrics[2], "pdig.drops", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_drops_seen);
	metric(&p->metrics[3], "pdig.bad_events", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_bad);
	metric(&p->metrics[4], "pdig.ring_resyncs", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_resyncs);
	metric(&p->metrics[5], "pdig.ring_lost", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_ring_lost);
	metric(&p->metrics[6], "pdig.discarded_unattached", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_missed_seen);
	metric(&p->metrics[7], "pdig.shed", SS_PLUGIN_METRIC_TYPE_MONOTONIC, p->n_shed_seen);
	*num_metrics = 8;
	return p->metrics;
}
