/* The schemas pdig can write, and the names users give them. */
#include <string.h>

#include "schema/schema.h"
#include "schema_tables.h"

static const struct pdig_schema schema_1_0_0 = {
	.id = SCHEMA_1_0_0,
	.version = PDIG_SCHEMA_VERSION,
	.libs = "e5c53d64",
	.event_max = PDIG_EVENT_MAX,
	.events = pdig_events,
	.syscalls = pdig_syscalls,
	/* the 2022 drivers sent every enter event */
	.exit_only = false,
};

static const struct pdig_schema *const schemas[SCHEMA_COUNT] = {
	[SCHEMA_1_0_0] = &schema_1_0_0,
	[SCHEMA_4_0_1] = &pdig_schema_4_0_1,
	[SCHEMA_4_1_0] = &pdig_schema_4_1_0,
	[SCHEMA_4_5_1] = &pdig_schema_4_5_1,
};

const struct pdig_schema *pdig_schema_get(enum pdig_schema_id id)
{
	return (unsigned)id < SCHEMA_COUNT ? schemas[id] : NULL;
}

/* What users call each schema besides its version and libs release: the
 * consumers built on it. Falco 0.42.x ships libs 0.22, 0.43.x libs 0.23,
 * 0.44.x libs 0.25; sysdig 0.41 is on libs 0.23. */
static const struct {
	const char *name;
	enum pdig_schema_id id;
} aliases[] = {
	{ "1.0.0", SCHEMA_1_0_0 }, { "e5c53d64", SCHEMA_1_0_0 }, { "sysdig-0.29", SCHEMA_1_0_0 },
	{ "4.0.1", SCHEMA_4_0_1 }, { "0.22", SCHEMA_4_0_1 }, { "falco-0.42", SCHEMA_4_0_1 },
	{ "4.1.0", SCHEMA_4_1_0 }, { "0.23", SCHEMA_4_1_0 }, { "falco-0.43", SCHEMA_4_1_0 },
	{ "sysdig-0.41", SCHEMA_4_1_0 },
	{ "4.5.1", SCHEMA_4_5_1 }, { "0.25", SCHEMA_4_5_1 }, { "falco-0.44", SCHEMA_4_5_1 },
};

int pdig_schema_parse(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
		size_t n = strlen(aliases[i].name);
		/* "0.25" also names its patch releases ("0.25.4"), and
		 * "falco-0.44" Falco's ("falco-0.44.1") */
		if (!strncmp(name, aliases[i].name, n) &&
		    (name[n] == 0 || (name[n] == '.' && strchr(aliases[i].name, '.') &&
		                      aliases[i].name[0] != '1' && aliases[i].name[0] != '4')))
			return (int)aliases[i].id;
	}
	return -1;
}

const char *pdig_schema_names(void)
{
	return "1.0.0 (sysdig 0.29), 4.0.1 (libs 0.22, Falco 0.42), 4.1.0 (libs 0.23, Falco 0.43, "
	       "sysdig 0.41), 4.5.1 (libs 0.25, Falco 0.44)";
}
