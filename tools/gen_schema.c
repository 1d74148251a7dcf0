/* Developer tool: dump the consumer's event schema from libscap.so into
 * pdig's own table format (src/schema/event_table.c). Only facts cross over:
 * names, ids, types and flag values. Reads the library by raw offsets (see
 * docs/schema.md section 2), so it needs no falcosecurity headers,
 * only Debian's libfalcosecurity0 at run time. Its companion
 * gen_event_ids.py names the ids (src/schema/include/schema/event_ids.h) from the JSON
 * schema dumps, since the PPME_* names are not in the library.
 * The table names ids, param types and formats with that header's enums.
 * Regenerate both with the build target (see tools/README.md):
 *   cmake --build build --target regen-schema
 * By hand, after gen_event_ids.py:
 *   gen_schema /usr/lib/x86_64-linux-gnu/libscap.so \
 *     /usr/include/x86_64-linux-gnu/asm/unistd_64.h src/schema/include/schema/event_ids.h > event_table.c */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVT_STRIDE 1612
#define PAR_STRIDE 49
#define NEVENTS 336
#define NSYSCALLS 512
#define NSC 329

struct name_value { const char *name; uint32_t value; };

/* Enum names read from event_ids.h: event ids, PT_*, PF_*. */
enum { NAMES_EV, NAMES_PT, NAMES_PF, NAMES_N };
#define NAMES_MAX 1024
static char *names[NAMES_N][NAMES_MAX];

/* Reads the "\tNAME = VALUE," members of event_ids.h's three enums; an
 * alias (VALUE another name) is skipped, so each value keeps its first
 * name. */
static int read_names(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[256], name[128];
	int which = -1, value;
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "enum pdig_event_id", 18))
			which = NAMES_EV;
		else if (!strncmp(line, "enum pdig_ptype", 15))
			which = NAMES_PT;
		else if (!strncmp(line, "enum pdig_pfmt", 14))
			which = NAMES_PF;
		else if (line[0] == '}')
			which = -1;
		else if (which >= 0 && sscanf(line, " %127[A-Z0-9_] = %d,", name, &value) == 2 &&
			 value >= 0 && value < NAMES_MAX && !names[which][value])
			names[which][value] = strdup(name);
	}
	fclose(f);
	return 0;
}

/* The name of value in enum which; every value the table uses must have one. */
static const char *name_of(int which, uint32_t value)
{
	if (value >= NAMES_MAX || !names[which][value]) {
		fprintf(stderr, "gen_schema: no name for value %u of enum %d in event_ids.h\n", value, which);
		exit(1);
	}
	return names[which][value];
}

static const void *flag_tables[256];
static int nflag_tables;

static int flag_table_id(const void *p)
{
	for (int i = 0; i < nflag_tables; i++)
		if (flag_tables[i] == p)
			return i;
	flag_tables[nflag_tables] = p;
	return nflag_tables++;
}

static void print_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static uint32_t u32at(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static const void *ptrat(const uint8_t *p) { const void *v; memcpy(&v, p, 8); return v; }

/* Print one param list as a static array named prefix<idx>. */
static void print_params(const char *prefix, int idx, const uint8_t *params, uint32_t n, int is_dyn_list)
{
	/* nested dynamic tables first */
	for (uint32_t j = 0; j < n && !is_dyn_list; j++) {
		const uint8_t *p = params + j * PAR_STRIDE;
		if (u32at(p + 32) == 27 && ptrat(p + 40))
			print_params("dyn_", idx * 32 + j, ptrat(p + 40), p[48], 1);
	}
	printf("static const struct pdig_param %s%d[] = {\n", prefix, idx);
	for (uint32_t j = 0; j < n; j++) {
		const uint8_t *p = params + j * PAR_STRIDE;
		uint32_t type = u32at(p + 32), fmt = u32at(p + 36);
		const void *info = ptrat(p + 40);
		printf("\t{ ");
		print_str((const char *)p);
		printf(", %s, %s, ", name_of(NAMES_PT, type), name_of(NAMES_PF, fmt));
		if (type == 43)
			printf("%u, 0, NULL, NULL },\n", (unsigned)(uintptr_t)info);
		else if (type == 27 && info && !is_dyn_list)
			printf("0, %u, NULL, dyn_%d },\n", p[48], idx * 32 + j);
		else if ((type == 28 || type == 29 || type == 30 || type == 42) && info)
			printf("0, 0, flags_%d, NULL },\n", flag_table_id(info));
		else
			printf("0, 0, NULL, NULL },\n");
	}
	printf("};\n");
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s libscap.so unistd_64.h event_ids.h\n", argv[0]);
		return 2;
	}
	if (read_names(argv[3]) < 0) {
		perror(argv[3]);
		return 1;
	}
	void *h = dlopen(argv[1], RTLD_NOW);
	if (!h) {
		fprintf(stderr, "%s\n", dlerror());
		return 1;
	}
	const uint8_t *ev = dlsym(h, "g_event_info");
	const uint8_t *sc = dlsym(h, "g_syscall_table");
	const uint32_t *route = dlsym(h, "g_syscall_code_routing_table");
	const uint8_t *scinfo = dlsym(h, "g_syscall_info_table");
	if (!ev || !sc || !route || !scinfo) {
		fprintf(stderr, "missing symbols\n");
		return 1;
	}

	/* Body goes to a temp buffer so the flag tables, discovered while
	 * walking params, can be printed before it. */
	char *body = NULL;
	size_t bodylen = 0;
	FILE *real = stdout;
	stdout = open_memstream(&body, &bodylen);

	for (int i = 0; i < NEVENTS; i++) {
		const uint8_t *e = ev + (size_t)i * EVT_STRIDE;
		uint32_t np = u32at(e + 40);
		if (np)
			print_params("params_", i, e + 44, np, 0);
	}
	printf("\nconst struct pdig_event pdig_events[PDIG_EVENT_MAX] = {\n");
	for (int i = 0; i < NEVENTS; i++) {
		const uint8_t *e = ev + (size_t)i * EVT_STRIDE;
		uint32_t np = u32at(e + 40);
		printf("\t[%s] = { ", name_of(NAMES_EV, (uint32_t)i));
		print_str((const char *)e);
		printf(", %u, 0x%x, %u, %s", u32at(e + 32), u32at(e + 36), np, np ? "" : "NULL");
		if (np)
			printf("params_%d", i);
		printf(" },\n");
	}
	printf("};\n\nconst struct pdig_syscall pdig_syscalls[PDIG_SYSCALL_MAX] = {\n");
	for (int i = 0; i < NSYSCALLS; i++) {
		const uint8_t *s = sc + (size_t)i * 12;
		uint32_t fl = u32at(s), en = u32at(s + 4), ex = u32at(s + 8);
		if (fl || en || ex || route[i])
			printf("\t[%d] = { 0x%x, %s, %s, %u },\n", i, fl, name_of(NAMES_EV, en),
			       name_of(NAMES_EV, ex), route[i]);
	}
	printf("};\n\nconst char *const pdig_sc_names[PDIG_SC_MAX] = {\n");
	for (int i = 0; i < NSC; i++) {
		const char *name = ptrat(scinfo + (size_t)i * 16 + 8);
		printf("\t[%d] = ", i);
		print_str(name ? name : "");
		printf(",\n");
	}
	printf("};\n");

	/* Native syscall names, from the kernel's uapi header. */
	printf("\nconst char *const pdig_native_names[PDIG_SYSCALL_MAX] = {\n");
	FILE *u = fopen(argv[2], "r");
	char line[256];
	while (u && fgets(line, sizeof line, u)) {
		char name[128];
		int nr;
		if (sscanf(line, "#define __NR_%127s %d", name, &nr) == 2 && nr >= 0 && nr < NSYSCALLS)
			printf("\t[%d] = \"%s\",\n", nr, name);
	}
	printf("};\n");
	fclose(stdout);
	stdout = real;

	printf("/* Generated by tools/gen_schema from the consumer's libscap "
	       "(falcosecurity/libs e5c53d64,\n * schema 1.0.0). Facts only: "
	       "ids, names, types, flag values. Do not edit by hand. */\n");
	printf("#include <stddef.h>\n#include \"schema.h\"\n\n");
	for (int t = 0; t < nflag_tables; t++) {
		const struct name_value *nv = flag_tables[t];
		printf("static const struct pdig_flag_name flags_%d[] = {", t);
		for (; nv->name; nv++) {
			printf(" { ");
			print_str(nv->name);
			printf(", 0x%x },", nv->value);
		}
		printf(" { NULL, 0 } };\n");
	}
	printf("\n");
	fwrite(body, 1, bodylen, stdout);
	return 0;
}
