/* The Falco/sysdig plugin ABI that libpdig.so implements, as this project
 * states it: the types and exported names a host (falcosecurity/libs'
 * plugin loader) expects, taken as facts from that project's
 * userspace/plugin/plugin_api.h and plugin_types.h (plugin API 3.12.0 in
 * libs 0.22.1, 0.23.x and 0.25.4). Only what pdig uses is declared.
 *
 * The host finds each function by its symbol name (dlsym), so no function
 * table layout matters here; the structs the host passes in, and the event
 * header the plugin passes out, do. */
#ifndef PDIG_PLUGIN_ABI_H
#define PDIG_PLUGIN_ABI_H

#include <stdint.h>

/* The API version pdig requires: 3.0.0 brought syscall sources (a plugin
 * with the event-sourcing capability and no id/source). A host accepts a
 * plugin whose required major equals its own and minor is not above it. */
#define PDIG_PLUGIN_REQUIRED_API "3.0.0"

typedef enum {
	SS_PLUGIN_SUCCESS = 0,
	SS_PLUGIN_FAILURE = 1,
	SS_PLUGIN_TIMEOUT = -1,
	SS_PLUGIN_EOF = 2,
	SS_PLUGIN_NOT_SUPPORTED = 3,
} ss_plugin_rc;

typedef enum {
	SS_PLUGIN_SCHEMA_NONE = 0,
	SS_PLUGIN_SCHEMA_JSON = 1,
} ss_plugin_schema_type;

typedef enum {
	SS_PLUGIN_LOG_SEV_FATAL = 1,
	SS_PLUGIN_LOG_SEV_CRITICAL = 2,
	SS_PLUGIN_LOG_SEV_ERROR = 3,
	SS_PLUGIN_LOG_SEV_WARNING = 4,
	SS_PLUGIN_LOG_SEV_NOTICE = 5,
	SS_PLUGIN_LOG_SEV_INFO = 6,
	SS_PLUGIN_LOG_SEV_DEBUG = 7,
	SS_PLUGIN_LOG_SEV_TRACE = 8,
} ss_plugin_log_severity;

/* Opaque handles: the plugin's state (from init), a capture instance
 * (from open), and the host's owner handle. */
typedef void ss_plugin_t;
typedef void ss_instance_t;
typedef void ss_plugin_owner_t;

/* The event header: the scap event header (ts, tid, len, type, nparams),
 * packed, followed by the param lengths and values. A syscall source hands
 * out whole scap events through pointers of this type. */
#pragma pack(push, 1)
typedef struct {
	uint64_t ts;      /* ns since the epoch; UINT64_MAX = "stamp it now" */
	uint64_t tid;
	uint32_t len;     /* whole event, header included */
	uint16_t type;
	uint32_t nparams;
} ss_plugin_event;
#pragma pack(pop)
_Static_assert(sizeof(ss_plugin_event) == 26, "scap event header");

/* The host's logger as API 3.12 passes it (the owner argument first; API
 * 3.3-era hosts passed a logger without it). */
typedef void (*ss_plugin_log_fn_t)(ss_plugin_owner_t *owner, const char *component,
				   const char *msg, ss_plugin_log_severity sev);

/* What init receives. Later API minors only append members. */
typedef struct {
	const char *config;                 /* init_config, as a string */
	ss_plugin_owner_t *owner;
	const char *(*get_owner_last_error)(ss_plugin_owner_t *owner);
	const void *tables;                 /* unused: pdig parses and extracts nothing */
	ss_plugin_log_fn_t log_fn;          /* API >= 3.? hosts; NULL-checked */
} ss_plugin_init_input;

/* Metrics (get_metrics), reported by the host with its own. */
typedef enum {
	SS_PLUGIN_METRIC_VALUE_TYPE_U32 = 0,
	SS_PLUGIN_METRIC_VALUE_TYPE_S32 = 1,
	SS_PLUGIN_METRIC_VALUE_TYPE_U64 = 2,
	SS_PLUGIN_METRIC_VALUE_TYPE_S64 = 3,
	SS_PLUGIN_METRIC_VALUE_TYPE_D = 4,
	SS_PLUGIN_METRIC_VALUE_TYPE_F = 5,
	SS_PLUGIN_METRIC_VALUE_TYPE_I = 6,
} ss_plugin_metric_value_type;

typedef enum {
	SS_PLUGIN_METRIC_TYPE_MONOTONIC = 0,
	SS_PLUGIN_METRIC_TYPE_NON_MONOTONIC = 1,
} ss_plugin_metric_type;

typedef union {
	uint32_t u32;
	int32_t s32;
	uint64_t u64;
	int64_t s64;
	double d;
	float f;
	int i;
} ss_plugin_metric_value;

typedef struct {
	const char *name;
	ss_plugin_metric_type type;
	ss_plugin_metric_value value;
	ss_plugin_metric_value_type value_type;
} ss_plugin_metric;

/* The symbols a host looks up. Those marked "required" must exist for a
 * plugin with the event-sourcing capability; get_id/get_event_source are
 * left out on purpose, which makes this a syscall source. */
#define PDIG_EXPORT __attribute__((visibility("default")))
PDIG_EXPORT const char *plugin_get_required_api_version(void);           /* required */
PDIG_EXPORT const char *plugin_get_version(void);                        /* required */
PDIG_EXPORT const char *plugin_get_name(void);                           /* required */
PDIG_EXPORT const char *plugin_get_description(void);                    /* required */
PDIG_EXPORT const char *plugin_get_contact(void);                        /* required */
PDIG_EXPORT const char *plugin_get_init_schema(ss_plugin_schema_type *schema_type);
PDIG_EXPORT ss_plugin_t *plugin_init(const ss_plugin_init_input *in, ss_plugin_rc *rc); /* required */
PDIG_EXPORT void plugin_destroy(ss_plugin_t *s);                         /* required */
PDIG_EXPORT const char *plugin_get_last_error(ss_plugin_t *s);           /* required */
PDIG_EXPORT ss_instance_t *plugin_open(ss_plugin_t *s, const char *params, ss_plugin_rc *rc);
PDIG_EXPORT void plugin_close(ss_plugin_t *s, ss_instance_t *h);
PDIG_EXPORT ss_plugin_rc plugin_next_batch(ss_plugin_t *s, ss_instance_t *h,
					   uint32_t *nevts, ss_plugin_event ***evts);
PDIG_EXPORT const char *plugin_list_open_params(ss_plugin_t *s, ss_plugin_rc *rc);
PDIG_EXPORT ss_plugin_metric *plugin_get_metrics(ss_plugin_t *s, uint32_t *num_metrics);

#endif
