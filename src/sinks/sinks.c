#include "schema/schema.h"
#include "sinks/sink.h"

static struct sink *all[SINKS_MAX];
static int nsinks;
static const struct state_source *source;

void sinks_add(struct sink *s)
{
	if (!s || nsinks >= SINKS_MAX)
		return;
	all[nsinks++] = s;
	if (source && s->use_source)
		s->use_source(s, source);
}

void sinks_set_source(const struct state_source *src)
{
	source = src;
	for (int i = 0; i < nsinks; i++)
		if (all[i]->use_source)
			all[i]->use_source(all[i], src);
}

enum pdig_schema_id sink_schema(struct sink *s)
{
	return s->schema ? s->schema(s) : SCHEMA_1_0_0;
}

/* The last answer of sinks_wanted(): the schemas events are built in
 * until it is asked again. */
static uint32_t built;

uint32_t sinks_wanted(void)
{
	uint32_t mask = 0;
	for (int i = 0; i < nsinks; i++)
		if (all[i]->wants(all[i]))
			mask |= SCHEMA_BIT(sink_schema(all[i]));
	built = mask;
	return mask;
}

uint32_t sinks_snaplen(void)
{
	uint32_t max = 0;
	for (int i = 0; i < nsinks; i++) {
		uint32_t n = all[i]->snaplen ? all[i]->snaplen(all[i]) : 0;
		if (n > max)
			max = n;
	}
	return max ? max : PDIG_SNAPLEN_DEFAULT;
}

void sinks_emit(enum pdig_schema_id schema, const uint8_t *ev, size_t len)
{
	/* an event comes once per schema built; the first time, a sink whose
	 * schema is not built (it declined, or its schema changed since
	 * sinks_wanted()) counts it as discarded, as a declining sink of a
	 * built schema does in its write() */
	bool first = built && schema == (enum pdig_schema_id)__builtin_ctz(built);
	for (int i = 0; i < nsinks; i++) {
		enum pdig_schema_id mine = sink_schema(all[i]);
		if (mine == schema)
			all[i]->write(all[i], ev, len);
		else if (first && !(built & SCHEMA_BIT(mine)))
			all[i]->stats.discarded++;
	}
}

uint32_t sinks_intro(void)
{
	uint32_t mask = 0;
	for (int i = 0; i < nsinks; i++)
		if (all[i]->take_intro && all[i]->take_intro(all[i]))
			mask |= SCHEMA_BIT(sink_schema(all[i]));
	return mask;
}

void sinks_skipped(uint64_t n)
{
	/* wants() is free of side effects: asking again names the sinks
	 * that declined */
	for (int i = 0; i < nsinks; i++)
		if (!all[i]->wants(all[i]))
			all[i]->stats.discarded += n;
}

void sinks_shed(enum pdig_schema_id schema, uint64_t n)
{
	for (int i = 0; i < nsinks; i++)
		if (all[i]->shed && sink_schema(all[i]) == schema && all[i]->wants(all[i]))
			all[i]->shed(all[i], n);
}

void sinks_describe_process(int64_t tid)
{
	if (!source)
		return;
	/* asked anew for each sink: a sink may call the source itself,
	 * which reuses the description's storage */
	for (int i = 0; i < nsinks; i++) {
		if (!all[i]->describe_process)
			continue;
		const struct proc_desc *p = source->process(source->ctx, tid);
		if (p)
			all[i]->describe_process(all[i], p);
	}
}

void sinks_flush(void)
{
	for (int i = 0; i < nsinks; i++)
		if (all[i]->flush)
			all[i]->flush(all[i]);
}

void sinks_close(void)
{
	for (int i = 0; i < nsinks; i++)
		if (all[i]->close)
			all[i]->close(all[i]);
	nsinks = 0;
}

void sinks_each_stats(void (*fn)(void *arg, const struct sink *s), void *arg)
{
	for (int i = 0; i < nsinks; i++)
		fn(arg, all[i]);
}

struct sink_stats sinks_totals(void)
{
	struct sink_stats t = {0, 0, 0};
	for (int i = 0; i < nsinks; i++) {
		t.written += all[i]->stats.written;
		t.dropped += all[i]->stats.dropped;
		t.discarded += all[i]->stats.discarded;
	}
	return t;
}
