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

/* Lines are gathered here and written with write(2), retried on EINTR:
 * with several tracer threads a tracee can send pdig's wake signal, whose
 * handler has no SA_RESTART (it must interrupt a worker's wait), and
 * stdio would drop a buffer whose write was interrupted. */
#define OUT_CAP (64 * 1024)

struct text_sink {
	struct sink s;
	int fd;
	bool json, own;
	bool immediate; /* stderr: each line at once, as pdig's own messages */
	char *line;
	char *out;
	size_t out_len, out_lines;
};

static bool text_wants(struct sink *s) { (void)s; return true; }
static uint32_t text_snaplen(struct sink *s) { (void)s; return PDIG_SNAPLEN_DEFAULT; }

/* Writes all of p; false when the file refuses (EINTR is retried). */
static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

static void flush_out(struct text_sink *t)
{
	if (t->out_len && !write_all(t->fd, t->out, t->out_len)) {
		t->s.stats.written -= t->out_lines;
		t->s.stats.dropped += t->out_lines;
	}
	t->out_len = t->out_lines = 0;
}

static void text_write(struct sink *s, const uint8_t *ev, size_t len)
{
	struct text_sink *t = (struct text_sink *)s;
	size_t n = text_format_event(ev, len, t->json, t->line, LINE_CAP - 1);
	if (n == 0) {
		s->stats.dropped++;
		return;
	}
	t->line[n++] = '\n';
	if (t->out_len + n > OUT_CAP)
		flush_out(t);
	if (n > OUT_CAP) { /* a long line goes on its own */
		if (write_all(t->fd, t->line, n))
			s->stats.written++;
		else
			s->stats.dropped++;
		return;
	}
	memcpy(t->out + t->out_len, t->line, n);
	t->out_len += n;
	t->out_lines++;
	s->stats.written++;
	if (t->immediate)
		flush_out(t);
}

static void text_flush(struct sink *s)
{
	flush_out((struct text_sink *)s);
}

static void text_close(struct sink *s)
{
	struct text_sink *t = (struct text_sink *)s;
	flush_out(t);
	if (t->own)
		close(t->fd);
	free(t->line);
	free(t->out);
	free(t);
}

static void text_describe(struct sink *s, const struct proc_desc *p)
{
	(void)s;
	tt_describe((uint64_t)p->tid, p->pid, p->comm.p, p->comm.len);
}

struct sink *text_sink_open(const char *path, bool json, char *err, size_t errlen)
{
	struct text_sink *t = calloc(1, sizeof *t);
	char *line = malloc(LINE_CAP);
	char *out = malloc(OUT_CAP);
	if (!t || !line || !out) {
		snprintf(err, errlen, "text sink: out of memory");
		goto fail;
	}
	if (!path || !strcmp(path, "-")) {
		fflush(stderr);
		t->fd = STDERR_FILENO;
		t->immediate = true;
	} else {
		t->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (t->fd < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
			goto fail;
		}
		t->own = true;
	}
	t->out = out;
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
	free(out);
	free(t);
	return NULL;
}
