/* Garbage in, no crash out: random bytes, every prefix of real events and
 * events whose length fields lie are fed to text_format_event. Each input
 * sits in an exactly-sized heap block so an over-read hits ASan's redzone
 * (see the _asan build in CMakeLists.txt). Sampled JSON lines must parse. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "events/evbuf.h"
#include "sinks/text.h"

#define JSON_CHECK "python3 -c 'import json,sys; [json.loads(l.decode(\"utf-8\")) for l in sys.stdin.buffer]'"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static FILE *json_check;
static unsigned long lines;

static void feed(const uint8_t *src, size_t len)
{
	uint8_t *in = malloc(len ? len : 1);
	if (len)
		memcpy(in, src, len);
	static char out[1 << 17];
	for (int json = 0; json < 2; json++) {
		size_t cap = (rnd() & 3) ? sizeof out : 1 + rnd() % 300;
		memset(out, 'Z', cap < 512 ? cap : 512);
		size_t n = text_format_event(in, len, json, out, cap);
		bool ok = n < cap && strlen(out) == n && !memchr(out, '\n', n);
		/* millions of inputs: past 20 failures the test has failed anyway,
		 * so the rest are neither printed nor counted */
		if (!ok && check_failures < 20)
			CHECK_FAIL("bad result: json=%d len=%zu cap=%zu n=%zu out=%.60s", json, len, cap, n, out);
		if (json && n && (++lines % 7) == 0)
			fprintf(json_check, "%s\n", out);
	}
	free(in);
}

/* A well-formed event of the given type with random contents. */
static size_t random_event(uint8_t *buf, size_t cap, uint16_t type)
{
	struct evbuf b;
	evb_begin(&b, buf, cap, type, rnd(), rnd() % 64);
	uint8_t tmp[256];
	while (evb_next_type(&b) != PT_NONE) {
		size_t n = rnd() % 5 == 0 ? rnd() % sizeof tmp : (size_t[]){ 1, 2, 4, 8, 7, 13, 19, 37 }[rnd() % 8];
		for (size_t i = 0; i < n; i++)
			tmp[i] = (uint8_t)rnd();
		if (rnd() % 3 == 0 && n) /* mostly-ascii strings, sometimes */
			for (size_t i = 0; i < n; i++)
				tmp[i] = (uint8_t)(0x20 + tmp[i] % 0x60);
		if (rnd() % 4 == 0)
			evb_empty(&b);
		else
			evb_bytes(&b, tmp, n);
	}
	return evb_finish(&b);
}

static void mutate(uint8_t *e, size_t len)
{
	uint32_t v;
	switch (rnd() % 6) {
	case 0: /* header length lies */
		v = (uint32_t)rnd() % (uint32_t)(len * 2 + 64);
		memcpy(e + 16, &v, 4);
		break;
	case 1: /* nparams lies */
		v = (uint32_t)(rnd() % 3 ? rnd() % 40 : rnd());
		memcpy(e + 22, &v, 4);
		break;
	case 2: /* a param length lies */
		if (len >= 28) {
			uint16_t l = (uint16_t)rnd();
			size_t at = 26 + 2 * (rnd() % ((len - 26) / 2));
			memcpy(e + at, &l, 2);
		}
		break;
	case 3: /* type changes: same bytes read with another schema */
		v = (uint32_t)(rnd() % 400);
		memcpy(e + 20, &v, 2);
		break;
	default: /* flip random bytes */
		for (int i = 0; i < 4; i++)
			e[rnd() % len] = (uint8_t)rnd();
	}
}

int main(void)
{
	json_check = popen(JSON_CHECK, "w");
	if (!CHECK_MSG(json_check, "cannot run python3"))
		return check_done("test_text_fuzz");
	static uint8_t buf[70000];
	uint8_t raw[300];

	/* Pure noise. */
	for (int i = 0; i < 20000; i++) {
		size_t n = rnd() % sizeof raw;
		for (size_t k = 0; k < n; k++)
			raw[k] = (uint8_t)rnd();
		if (n >= 26 && rnd() % 2) { /* plausible header so decoding goes deeper */
			uint32_t l = (uint32_t)n;
			uint16_t t = (uint16_t)(rnd() % 336);
			memcpy(raw + 16, &l, 4);
			memcpy(raw + 20, &t, 2);
		}
		feed(raw, n);
	}

	/* Every type: intact, every prefix, and mutated copies. */
	for (int round = 0; round < 8; round++)
		for (uint16_t type = 0; type < PDIG_EVENT_MAX; type++) {
			size_t len = random_event(buf, sizeof buf, type);
			if (!CHECK_MSG(len, "could not build type %u", type))
				continue;
			feed(buf, len);
			for (size_t cut = 0; cut < len && round == 0; cut++)
				feed(buf, cut);
			for (int m = 0; m < 20; m++) {
				static uint8_t copy[70000];
				memcpy(copy, buf, len);
				mutate(copy, len);
				feed(copy, len);
				feed(copy, rnd() % (len + 1));
			}
		}

	CHECK_MSG(pclose(json_check) == 0, "python rejected a JSON line");
	printf("%lu JSON lines checked\n", lines / 7);
	return check_done("test_text_fuzz");
}
