/* The YAML of Falco rule files, as far as pdig reads it (rules_yaml.c):
 * block sequences and mappings by indentation, plain scalars over several
 * lines, single- and double-quoted scalars, block scalars (`>`, `|`),
 * flow sequences and flow mappings. Not accepted (an error naming the
 * line): anchors, aliases, tags, tabs in indentation, complex keys (`?`).
 * The rules file is user input: every depth and count is bounded. */
#ifndef PDIG_RULES_YAML_H
#define PDIG_RULES_YAML_H

#include <stddef.h>

enum ynode_kind { YN_SCALAR, YN_SEQ, YN_MAP };

struct ynode {
	enum ynode_kind kind;
	unsigned line;       /* 1-based line where the node starts */
	char *text;          /* YN_SCALAR: its value (NUL-terminated) */
	unsigned n;          /* YN_SEQ, YN_MAP: entries */
	struct ynode **kids; /* the items, or the mapping's values */
	char **keys;         /* YN_MAP: the keys */
};

/* Limits on what one file may hold. */
#define YAML_MAX_DEPTH 32
#define YAML_MAX_NODES (1u << 20)

struct yaml_doc;

/* Parses text (NUL-terminated). Returns the document (its root is NULL for
 * an empty file), or NULL with "LINE: what" in err. */
struct yaml_doc *yaml_parse(const char *text, char *err, size_t errlen);
const struct ynode *yaml_root(const struct yaml_doc *doc);
void yaml_free(struct yaml_doc *doc);

/* The value of key in map (NULL when absent or map is not a mapping). */
const struct ynode *yaml_get(const struct ynode *map, const char *key);

#endif
