/* The plugin's init config: a JSON object, every key optional. */
#ifndef PDIG_PLUGIN_CONFIG_H
#define PDIG_PLUGIN_CONFIG_H

#include <stddef.h>
#include <stdint.h>

struct plugin_config {
	char schema[32];      /* "" or "auto" = the host's, found in its memory */
	char ring_dir[1024];  /* "" = $PDIG_RING_DIR, else /dev/shm */
	uint32_t ring_size;   /* bytes; 0 = the default */
	uint32_t snaplen;     /* 0 = the default */
};

/* Fills c from text (NULL or blank = all defaults). Returns 0, or -1 with
 * a one-line reason in err. */
int plugin_config_parse(const char *text, struct plugin_config *c, char *err, size_t errlen);

/* The JSON schema of the config, for get_init_schema. */
extern const char plugin_config_schema[];

#endif
