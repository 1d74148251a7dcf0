/* The readable sink: one line per event, to stderr ("-") or a file.
 *
 * Text line:
 *   HH:MM:SS.nnnnnnnnn <comm>(<tid>) <dir> <type> name=value ...
 *   dir '>' = enter, '<' = exit; comm "?" until learned. Values by type:
 *   integers decimal (hex "0x.."/octal "0.." per the schema's fmt; MODE
 *   octal); ERRNO/PID/FD < 0 as "-2(ENOENT)"; FD -100 as "-100(AT_FDCWD)";
 *   known fds as "3(/etc/passwd)"; flags "A|B" (exact names for value
 *   tables such as fcntl cmds, leftover bits "|0x.."); strings as is with
 *   control chars as '.'; BYTEBUF printable ASCII else '.', at most 80
 *   bytes (4096 for args/env/cgroups) then "..."; SOCKADDR "ip:port" or a
 *   unix path, SOCKTUPLE "ip:port->ip:port" or "src->dst path", empty
 *   ones "NULL"; FDLIST "fd:flagshex ..."; SYSCALLID and SIGTYPE by name;
 *   UID/GID 0xffffffff as -1; DYN as its selected entry's value; a value
 *   of the wrong size "?". " <truncated>" ends a line whose event lacked
 *   params.
 *
 * JSON line (-j), one object per line, always valid JSON:
 *   {"ts":<ns since epoch>,"time":"HH:MM:SS.nnnnnnnnn","tid":<n>,
 *    "pid":<n>|null,"comm":"<comm>"|null,"dir":">"|"<","type":"<name>",
 *    "args":{"<param>":<value>,...}[,"truncated":true]}
 *   Numbers are JSON numbers (always decimal). Flags, syscall ids,
 *   signals, strings, buffers, addresses and fd lists are strings as in
 *   the text form; empty SOCKADDR/SOCKTUPLE and wrong-size values are
 *   null. Side notes become extra keys after the param:
 *   "<param>_errno":"ENOENT" for negative ERRNO/PID/FD values,
 *   "<param>_name":"/etc/passwd" (or "AT_FDCWD") for FDs. Strings escape
 *   '"', '\\', control chars (\n, \u00XX) and malformed UTF-8 bytes
 *   (\u00XX). A line that does not fit the buffer is replaced by its
 *   header fields plus "truncated":true; an undecodable event gives
 *   {"error":"malformed event","len":<n>}.
 *
 * comm/pid come from execve/execveat and clone-family exits, fd names
 * from open/openat/openat2/creat, connect and accept exits; close and
 * procexit forget them (text_track.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sinks/sink.h"
#include "text.h"
#include "text_int.h"

/* Worst useful line: 32 params of escaped 4 KiB strings is more, but then
 * the JSON fallback keeps the line valid. */
#define LINE_CAP (128 * 1024)

struct text_sink {
	struct sink s;
	FILE *f;
	bool json, own;
	char *line;
};

static bool text_wants(struct sink *s) { (void)s; return true; }
static uint32_t text_snaplen(struct sink *s) { (void)s; return PDIG_SNAPLEN_DEFAULT; }

static void text_write(struct sink *s, const uint8_t *ev, size_t len)
{
	struct text_sink *t = (struct text_sink *)s;
	size_t n = text_format_event(ev, len, t->json, t->line, LINE_CAP - 1);
	if (n == 0) {
		s->stats.dropped++;
		return;
	}
	t->line[n++] = '\n';
	if (fwrite(t->line, 1, n, t->f) != n) {
		clearerr(t->f);
		s->stats.dropped++;
		return;
	}
	s->stats.written++;
}

static void text_flush(struct sink *s)
{
	struct text_sink *t = (struct text_sink *)s;
	if (fflush(t->f))
		clearerr(t->f);
}

static void text_close(struct sink *s)
{
	struct text_sink *t = (struct text_sink *)s;
	fflush(t->f);
	if (t->own)
		fclose(t->f);
	free(t->line);
	free(t);
}

/* Attach mode: name threads that no execve/clone event will introduce. */
static void text_describe(struct sink *s, const struct proc_desc *p)
{
	(void)s;
	tt_describe((uint64_t)p->tid, p->pid, p->comm.p, p->comm.len);
}

struct sink *text_sink_open(const char *path, bool json, char *err, size_t errlen)
{
	struct text_sink *t = calloc(1, sizeof *t);
	char *line = malloc(LINE_CAP);
	if (!t || !line) {
		snprintf(err, errlen, "text sink: out of memory");
		goto fail;
	}
	if (!path || !strcmp(path, "-")) {
		t->f = stderr;
	} else {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || !(t->f = fdopen(fd, "w"))) {
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto fail;
		}
		t->own = true;
	}
	t->json = json;
	t->line = line;
	t->s.name = json ? "json" : "text";
	t->s.wants = text_wants;
	t->s.snaplen = text_snaplen;
	t->s.write = text_write;
	t->s.flush = text_flush;
	t->s.close = text_close;
	t->s.describe_process = text_describe;
	return &t->s;
fail:
	free(line);
	free(t);
	return NULL;
}
