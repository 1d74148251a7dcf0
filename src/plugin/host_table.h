/* The host's own event table, found in its memory, and what the plugin
 * checks events against. */
#ifndef PDIG_PLUGIN_HOST_TABLE_H
#define PDIG_PLUGIN_HOST_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pdig_schema;

#define HT_MAX_EVENTS 1024
#define HT_MAX_PARAMS 32

struct ht_event {
	uint8_t nparams;
	bool large;                    /* EF_LARGE_PAYLOAD: u32 param lengths */
	uint8_t type[HT_MAX_PARAMS];   /* PT_* */
	uint8_t ninfo[HT_MAX_PARAMS];  /* PT_DYN: number of variants */
};

struct host_table {
	uint32_t nevents;
	struct ht_event ev[HT_MAX_EVENTS];
	/* where and how it was found, for the log */
	uintptr_t addr;
	uint32_t stride;
	char where[128];
	/* validate_prepare(): what pdig sends in the chosen schema */
	const struct pdig_schema *schema; /* NULL: no rules beyond the shapes */
	uint16_t sc_max;                  /* largest syscall code of its routing */
	bool sent[HT_MAX_EVENTS];         /* event types pdig sends in it */
};

/* Looks for the event table of the process we are loaded in (the host's
 * libscap, linked statically in Falco, as libscap.so in sysdig), reading
 * only through process_vm_readv or /proc/self/mem, so a wrong guess costs
 * an error code, never a fault. Returns 1 found, 0 not found (why says
 * why), -1 when several different tables were found. */
int host_table_find(struct host_table *t, char *why, size_t cap);

/* The schema a table is, by its shape (event count and a few param
 * counts that changed between libs releases): a ring schema code
 * (RING_SCHEMA), or 0 when it matches none pdig knows. */
uint32_t host_table_schema(const struct host_table *t);

struct pdig_schema;
/* The same view of one of pdig's own tables. */
void host_table_from_schema(struct host_table *t, const struct pdig_schema *s);
/* The first event id where the two tables disagree (param count, a
 * param's type, the payload flag), or -1 when they are the same. */
int host_table_diff(const struct host_table *a, const struct host_table *b);

#endif
