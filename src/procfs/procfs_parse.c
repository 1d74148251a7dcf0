/* Parsers of /proc/<tid>/stat and /proc/<tid>/status. The text is the
 * kernel's, but comm inside it is the tracee's choice (spaces, parentheses,
 * digits), and a read may be cut: nothing is read past n. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procfs_internal.h"

/* The events carry KiB in 32 bits: a larger size (a sanitizer's shadow
 * mapping reaches 20 TiB) saturates instead of wrapping. */
static uint32_t kb32(uint64_t kb)
{
	return kb > UINT32_MAX ? UINT32_MAX : (uint32_t)kb;
}

/* comm may hold spaces and ')', so fields start after the last ')'. */
int procfs_parse_stat(char *buf, size_t n, struct thread_stat *out)
{
	memset(out, 0, sizeof *out);
	char *p = memrchr(buf, ')', n);
	char *open_paren = memchr(buf, '(', n);
	if (!p || !open_paren || open_paren > p)
		return -1;
	/* comm is what lies between the first '(' and the last ')' */
	size_t clen = (size_t)(p - open_paren - 1);
	if (clen > sizeof(out->comm) - 1)
		clen = sizeof(out->comm) - 1;
	memcpy(out->comm, open_paren + 1, clen);
	out->comm[clen] = '\0';
	/* after ')': state ppid pgrp session tty_nr tpgid flags minflt
	 * cminflt majflt ...; f[i] is field i + 3 of proc(5) */
	char *end_of_buf = buf + n;
	uint64_t f[50] = {0};
	p++;
	while (p < end_of_buf && *p == ' ')
		p++;
	if (p < end_of_buf)
		p++; /* state letter */
	for (int i = 1; i < 50; i++) {
		/* a decimal, maybe negative; strtoll's locale handling was a
		 * third of pdig's user time at each clone */
		while (p < end_of_buf && *p == ' ')
			p++;
		bool neg = p < end_of_buf && *p == '-';
		if (neg)
			p++;
		if (p >= end_of_buf || *p < '0' || *p > '9')
			break;
		uint64_t v = 0;
		while (p < end_of_buf && *p >= '0' && *p <= '9')
			v = v * 10 + (uint64_t)(*p++ - '0');
		f[i] = neg ? -v : v;
	}
	out->ptid = (int64_t)f[1];
	out->pgid = (int64_t)f[2];
	out->sid = (int64_t)f[3];
	out->tty = (int32_t)f[4];
	out->pgft_min = f[7];
	out->pgft_maj = f[9];
	/* vsize in bytes and rss in pages: the mm counters status shows as
	 * VmSize and VmRSS */
	out->vm_size_kb = kb32(f[20] / 1024);
	static uint64_t page_kb; /* the process's page size: the same for every thread */
	if (!page_kb)
		page_kb = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
	out->vm_rss_kb = kb32(f[21] * page_kb);
	out->mm.arg_start = f[45];
	out->mm.arg_end = f[46];
	out->mm.env_start = f[47];
	out->mm.env_end = f[48];
	return 0;
}

/* Value of the last whitespace-separated number on the line. */
static int64_t last_num(const char *p)
{
	const char *last = NULL;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		last = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return last ? strtoll(last, NULL, 10) : 0;
}

/* The idx-th (0-based) number of the line. */
static uint64_t nth_num(const char *p, int idx)
{
	char *end;
	uint64_t v = 0;
	for (int i = 0; i <= idx; i++) {
		v = strtoull(p, &end, 10);
		if (end == p)
			return 0;
		p = end;
	}
	return v;
}

/* Every column of NSpid, outermost (pdig's namespace) first. */
static void ns_ids(const char *p, struct thread_status *s)
{
	char *end;
	s->ns_count = 0;
	while (s->ns_count < PIDNS_IDS_MAX) {
		long long v = strtoll(p, &end, 10);
		if (end == p)
			break;
		s->ns_tid[s->ns_count++] = (int32_t)v;
		p = end;
	}
}

static void status_line(char *line, char *v, struct thread_status *s, bool *have_tgid)
{
	if (!strcmp(line, "Tgid")) {
		s->pid = strtoll(v, NULL, 10);
		*have_tgid = true;
	} else if (!strcmp(line, "PPid")) {
		s->ppid = strtoll(v, NULL, 10);
	} else if (!strcmp(line, "Uid")) {
		s->ruid = (uint32_t)nth_num(v, 0);
		s->uid = (uint32_t)nth_num(v, 1);
		s->fsuid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Gid")) {
		s->gid = (uint32_t)nth_num(v, 1);
		s->fsgid = (uint32_t)nth_num(v, 3);
	} else if (!strcmp(line, "Groups")) {
		char *p = v, *end;
		while (s->ngroups < sizeof(s->groups) / sizeof(s->groups[0])) {
			unsigned long g = strtoul(p, &end, 10);
			if (end == p)
				break;
			s->groups[s->ngroups++] = (gid_t)g;
			p = end;
		}
	} else if (!strcmp(line, "VmSwap")) {
		s->vm_swap_kb = kb32(nth_num(v, 0));
	} else if (!strcmp(line, "NSpid")) {
		/* innermost namespace id = last column */
		s->vtid = last_num(v);
		ns_ids(v, s);
	} else if (!strcmp(line, "NStgid")) {
		s->vpid = last_num(v);
	} else if (!strcmp(line, "NSpgid")) {
		s->vpgid = last_num(v);
	} else if (!strcmp(line, "CapInh")) {
		s->cap_inh = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapPrm")) {
		s->cap_prm = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapEff")) {
		s->cap_eff = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapBnd")) {
		s->cap_bnd = strtoull(v, NULL, 16);
	} else if (!strcmp(line, "CapAmb")) {
		s->cap_amb = strtoull(v, NULL, 16);
	}
}

void procfs_parse_status(char *buf, size_t n, struct thread_status *out, bool *have_tgid)
{
	memset(out, 0, sizeof *out);
	out->vtid = out->vpid = out->vpgid = -1;
	*have_tgid = false;
	char *p = buf, *end = buf + n;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		*eol = '\0';
		char *colon = strchr(p, ':');
		if (colon) {
			*colon = '\0';
			status_line(p, colon + 1, out, have_tgid);
		}
		p = eol + 1;
	}
}

