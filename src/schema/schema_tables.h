/* The generated schema values (event_table_modern.c), for schemas.c. */
#ifndef PDIG_SCHEMA_TABLES_H
#define PDIG_SCHEMA_TABLES_H

#include "schema/schema.h"

extern const struct pdig_schema pdig_schema_4_0_1;
extern const struct pdig_schema pdig_schema_4_1_0;
extern const struct pdig_schema pdig_schema_4_5_1;

#endif
