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

uint32_t sinks_wanted(void)
{
	uint32_t mask = 0;
	for (int i = 0; i < nsinks; i++)
		if (all[i]->wants(all[i]))
			mask |= SCHEMA_BIT(sink_schema(all[i]));
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
	for (int i = 0; i < nsinks; i++)
		if (sink_schema(all[i]) == schema)
			all[i]->write(all[i], ev, len);
}

void sinks_skipped(uint64_t n)
{
	/* wants() is free of side effects: asking again names the sinks
	 * that declined */
	for (int i = 0; i < nsinks; i++)
		if (!all[i]->wants(all[i]))
			all[i]->stats.discarded += n;
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
