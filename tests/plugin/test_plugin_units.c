/* The plugin's two parsers of untrusted input, without a host: the init
 * config (the user's YAML, as JSON) and the event checker (whatever is in
 * the ring). */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "config.h"
#include "schema/event_ids.h"
#include "schema/schema.h"
#include "validate.h"

static void config(void)
{
	struct plugin_config c;
	char err[256];
	CHECK_EQ_INT(plugin_config_parse(NULL, &c, err, sizeof err), 0);
	CHECK_EQ_INT(plugin_config_parse("  ", &c, err, sizeof err), 0);
	CHECK_EQ_INT(plugin_config_parse("{}", &c, err, sizeof err), 0);
	CHECK_EQ_INT(plugin_config_parse("{\"schema\":\"0.25\", \"ring_dir\" : \"/x/y\", "
					 "\"ring_size_mb\": 16, \"snaplen\":200}", &c, err, sizeof err), 0);
	CHECK_EQ_STR(c.schema, "0.25");
	CHECK_EQ_STR(c.ring_dir, "/x/y");
	CHECK_EQ_INT(c.ring_size, 16u << 20);
	CHECK_EQ_INT(c.snaplen, 200);
	/* what Falco makes of `schema: "0.25"` in falco.yaml */
	CHECK_EQ_INT(plugin_config_parse("{\"schema\":0.25}", &c, err, sizeof err), 0);
	CHECK_EQ_STR(c.schema, "0.25");
	static const char *const bad[] = {
		"schema", "{", "{\"schema\"}", "{\"schema\":true}", "{\"bogus\":\"x\"}",
		"{\"ring_size_mb\":0}", "{\"ring_size_mb\":99999999999999999999}",
		"{\"snaplen\":-1}", "{\"schema\":\"a\\u0041\"}", "{\"schema\":\"x\"} trailing",
		"{\"schema\":\"0123456789012345678901234567890123456789\"}", "{\"a\":\"b\",}",
		"[1]", "{\"schema\":\"unterminated",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = 0;
		CHECK_MSG(plugin_config_parse(bad[i], &c, err, sizeof err) == -1, "accepted %s", bad[i]);
		CHECK_MSG(!strncmp(err, "init config: ", 13), "%s: %s", bad[i], err);
	}
}

/* A two-event table: type 0 with (u64, charbuf), type 1 with a large
 * payload and (sockaddr, fdlist). */
static struct host_table t;

static size_t build(uint8_t *e, uint16_t type, uint32_t nparams, const uint32_t *lens,
		    const uint8_t *vals, size_t vlen, int lw)
{
	size_t len = 26 + nparams * (size_t)lw + vlen;
	uint64_t z = 0;
	uint32_t l32 = (uint32_t)len;
	memcpy(e, &z, 8);
	memcpy(e + 8, &z, 8);
	memcpy(e + 16, &l32, 4);
	memcpy(e + 20, &type, 2);
	memcpy(e + 22, &nparams, 4);
	for (uint32_t i = 0; i < nparams; i++)
		memcpy(e + 26 + i * lw, &lens[i], lw);
	memcpy(e + 26 + nparams * lw, vals, vlen);
	return len;
}

static void validate(void)
{
	t.nevents = 2;
	t.ev[0].nparams = 2;
	t.ev[0].type[0] = 8;  /* PT_UINT64 */
	t.ev[0].type[1] = 9;  /* PT_CHARBUF */
	t.ev[1].nparams = 2;
	t.ev[1].large = true;
	t.ev[1].type[0] = 12; /* PT_SOCKADDR */
	t.ev[1].type[1] = 16; /* PT_FDLIST */
	uint8_t e[256];
	uint8_t v[] = { 1, 2, 3, 4, 5, 6, 7, 8, 'h', 'i', 0 };
	uint32_t lens[] = { 8, 3 };
	size_t n = build(e, 0, 2, lens, v, sizeof v, 2);
	CHECK(validate_event(&t, e, n) == NULL);
	CHECK(validate_event(&t, e, n - 1) != NULL);           /* header length disagrees */
	uint32_t empty[] = { 0, 0 };
	n = build(e, 0, 2, empty, v, 0, 2);
	/* an empty fixed-size value stops Falco ("expected length 8, found 0") */
	CHECK_EQ_STR(validate_event(&t, e, n), "an empty param of a type that must have a value");
	n = build(e, 0, 1, lens, v, 8, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "a param count other than the host's");
	n = build(e, 5, 0, lens, v, 0, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "an event type the host does not know");
	uint32_t short8[] = { 7, 4 };
	n = build(e, 0, 2, short8, v, sizeof v, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "a fixed-size param has the wrong length");
	uint32_t nonul[] = { 8, 2 };
	n = build(e, 0, 2, nonul, v, 10, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "a string param lacks its NUL");
	uint32_t over[] = { 8, 200 };
	n = build(e, 0, 2, over, v, sizeof v, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "its params run past the end");
	uint8_t v2[] = { 1, 2, 3, 4, 5, 6, 7, 8, 'h', 'i', 0, 9 };
	n = build(e, 0, 2, lens, v2, sizeof v2, 2);
	CHECK_EQ_STR(validate_event(&t, e, n), "bytes left over after its params");
	/* large payload: u32 lengths; an inet sockaddr is 7 bytes, an fd list
	 * its count's worth */
	uint8_t s[] = { 2, 127, 0, 0, 1, 0, 80, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0 };
	uint32_t sl[] = { 7, 12 };
	n = build(e, 1, 2, sl, s, sizeof s, 4);
	CHECK(validate_event(&t, e, n) == NULL);
	uint32_t sl_bad[] = { 6, 13 };
	n = build(e, 1, 2, sl_bad, s, sizeof s, 4);
	CHECK_EQ_STR(validate_event(&t, e, n), "a socket address of the wrong length");
	CHECK(validate_event(&t, e, 10) != NULL);              /* shorter than a header */
	uint32_t sl_empty[] = { 0, 2 };
	uint8_t fd0[] = { 0, 0 };
	n = build(e, 1, 2, sl_empty, fd0, sizeof fd0, 4);
	CHECK(validate_event(&t, e, n) == NULL);               /* an empty socket address is "none" */
}

/* Against a real schema's table, narrowed to what pdig sends in it. */
static struct host_table st;

static void validate_schema(void)
{
	const struct pdig_schema *s = pdig_schema_get(SCHEMA_4_5_1);
	host_table_from_schema(&st, s);
	validate_prepare(&st, s);
	uint8_t e[512];
	/* a generic exit: ID (syscall code), nativeID */
	uint8_t g[] = { 5, 0, 39, 0 };
	uint32_t gl[] = { 2, 2 };
	size_t n = build(e, EV_GENERIC_X, 2, gl, g, sizeof g, 2);
	CHECK(validate_event(&st, e, n) == NULL);
	g[0] = 0xff;
	g[1] = 0xff;
	n = build(e, EV_GENERIC_X, 2, gl, g, sizeof g, 2);
	CHECK_EQ_STR(validate_event(&st, e, n), "a syscall code the schema does not have");
	/* meta and internal events are not pdig's: a CPU hotplug, a drop
	 * marker, a container, a plugin event, a task iterator */
	const uint16_t meta[] = { EV_CPU_HOTPLUG_E, EV_DROP_E, EV_CONTAINER_JSON_2_E, EV_PLUGINEVENT_E,
	                          EV_ITER_TASK_X, EV_SCAPEVENT_E, EV_PROCINFO_E, EV_TRACER_E };
	for (size_t i = 0; i < sizeof meta / sizeof meta[0]; i++) {
		uint32_t zl[32] = { 0 };
		n = build(e, meta[i], st.ev[meta[i]].nparams, zl, g, 0, 2);
		CHECK_EQ_STR(validate_event(&st, e, n), "an event type pdig does not send");
	}
	/* an enter the 4.5.1 drivers do not send (close's) */
	uint8_t fd[8] = { 3 };
	uint32_t fl[] = { 8 };
	n = build(e, EV_SYSCALL_CLOSE_E, 1, fl, fd, sizeof fd, 2);
	CHECK_EQ_STR(validate_event(&st, e, n), "an event type pdig does not send");
	/* ptrace exit: res, addr (DYN), data (DYN), request, pid: a DYN value is its
	 * index and a value of the variant's size */
	uint32_t pn = st.ev[EV_SYSCALL_PTRACE_X].nparams;
	CHECK(pn >= 3);
	uint8_t pv[64] = { 0 };
	uint32_t pl[8] = { 8, 9, 9, 2, 8 };
	n = build(e, EV_SYSCALL_PTRACE_X, pn, pl, pv, 8 + 9 + 9 + 2 + 8, 2);
	CHECK(validate_event(&st, e, n) == NULL);
	uint32_t pl_short[8] = { 8, 1, 9, 2, 8 };
	n = build(e, EV_SYSCALL_PTRACE_X, pn, pl_short, pv, 8 + 1 + 9 + 2 + 8, 2);
	CHECK_EQ_STR(validate_event(&st, e, n), "a dynamic param whose value has the wrong length");
}

int main(void)
{
	config();
	validate();
	validate_schema();
	return check_done("plugin_units");
}
