/* A pdig producer without pdig, for the plugin tests: it writes prepared
 * events (or damage) into the pdig ring through the same ring layer the
 * ring sink uses, so the real Falco can be fed exact events.
 *   ring_feed wait DIR SECONDS   wait for a live consumer, print its schema
 *   ring_feed feed DIR FILE      put each event of FILE (scap events back
 *                                to back) into the ring; print "put N"
 *   ring_feed garbage DIR        publish a record whose length lies
 *   ring_feed header DIR         scribble on the header as a stranger would
 *   ring_feed consume DIR SCHEMA SECONDS [MARK]
 *                                be the consumer: create a ring asking for
 *                                SCHEMA ("4.5.1"), read it for SECONDS, and
 *                                print "records N bad M", bad = records the
 *                                plugin's checks refuse against pdig's own
 *                                table of SCHEMA; with MARK, then
 *                                " marked K": records holding those bytes;
 *                                then " missed J" if producers told of J
 *                                records no consumer got (before they
 *                                attached) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "host_table.h"
#include "ring/ring.h"
#include "schema/schema.h"
#include "validate.h"

static int consume(const char *dir, const char *schema, double seconds, const char *mark)
{
	unsigned maj, min, pat;
	if (sscanf(schema, "%u.%u.%u", &maj, &min, &pat) != 3)
		return 2;
	static struct host_table table;
	int id = pdig_schema_parse(schema);
	if (id >= 0) {
		host_table_from_schema(&table, pdig_schema_get((enum pdig_schema_id)id));
		validate_prepare(&table, pdig_schema_get((enum pdig_schema_id)id));
	}
	struct ring_consumer c;
	char err[512];
	if (ring_consumer_open(&c, dir, 0, RING_SCHEMA(maj, min, pat), 0, err, sizeof err) < 0) {
		fprintf(stderr, "ring_feed: %s\n", err);
		return 1;
	}
	static uint8_t buf[RING_REC_MAX + RING_REC_HDR];
	unsigned long records = 0, bad = 0, marked = 0;
	for (int i = 0; i < (int)(seconds * 1000); i++) {
		size_t n;
		while ((n = ring_consumer_read(&c, buf, sizeof buf)) > 0)
			for (size_t at = 0; at < n;) {
				uint32_t len;
				memcpy(&len, buf + at, 4);
				const char *why = id >= 0 ? validate_event(&table, buf + at + 4, len) : "no table";
				if (why && bad++ == 0)
					fprintf(stderr, "ring_feed: bad record: %s\n", why);
				records++;
				if (mark && memmem(buf + at + 4, len, mark, strlen(mark)))
					marked++;
				at += 4 + len;
			}
		usleep(1000);
	}
	uint64_t missed = ring_consumer_missed(&c);
	ring_consumer_close(&c);
	printf("records %lu bad %lu", records, bad);
	if (mark)
		printf(" marked %lu", marked);
	if (missed)
		printf(" missed %llu", (unsigned long long)missed);
	printf("\n");
	return 0;
}

static int attach(struct ring_producer *p, const char *dir, double seconds)
{
	char path[4096], err[512] = "";
	ring_path(dir, path, sizeof path);
	for (int i = 0; i < (int)(seconds * 100); i++) {
		if (ring_producer_attach(p, path, err, sizeof err) == 0) {
			if (ring_producer_consumer_live(p))
				return 0;
			ring_producer_detach(p);
		}
		usleep(10000);
	}
	fprintf(stderr, "ring_feed: no live consumer at %s (%s)\n", path, err);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	struct ring_producer p;
	const char *cmd = argv[1], *dir = argv[2];
	if (!strcmp(cmd, "consume") && argc > 4)
		return consume(dir, argv[3], atof(argv[4]), argc > 5 ? argv[5] : NULL);
	if (!strcmp(cmd, "wait")) {
		if (attach(&p, dir, argc > 3 ? atof(argv[3]) : 10) < 0)
			return 1;
		char s[16];
		printf("%s\n", ring_schema_str(ring_producer_schema(&p), s, sizeof s));
		return 0;
	}
	if (attach(&p, dir, 10) < 0)
		return 1;
	if (!strcmp(cmd, "feed") && argc > 3) {
		FILE *f = fopen(argv[3], "rb");
		if (!f)
			return perror(argv[3]), 1;
		static uint8_t buf[1 << 20];
		size_t n = fread(buf, 1, sizeof buf, f), at = 0;
		fclose(f);
		unsigned put = 0, lost = 0;
		while (at + 26 <= n) {
			uint32_t len;
			memcpy(&len, buf + at + 16, 4);
			if (len < 26 || len > n - at)
				break;
			if (ring_producer_put(&p, buf + at, len) == RING_PUT_OK)
				put++;
			else
				lost++;
			at += len;
		}
		printf("put %u lost %u\n", put, lost);
		return 0;
	}
	if (!strcmp(cmd, "garbage")) {
		/* a record claiming 2 GiB, published as if complete */
		uint64_t head = p.h->head;
		uint32_t lie = 0x80000000u;
		memcpy(p.data + head % p.size, &lie, 4);
		memset(p.data + (head + 4) % p.size, 0xab, 64);
		__atomic_store_n(&p.h->head, head + 68, __ATOMIC_RELEASE);
		printf("garbage published\n");
		return 0;
	}
	if (!strcmp(cmd, "header")) {
		/* head far ahead of tail, counters nonsense */
		__atomic_store_n(&p.h->head, p.h->head + 3ull * p.size, __ATOMIC_RELEASE);
		printf("header scribbled\n");
		return 0;
	}
	return 2;
}
