/* The capture-file sink. Events are framed as EV_V2 blocks in memory and
 * written with write(2) in whole blocks: at least every FLUSH_NS or
 * FLUSH_BYTES, on flush and on close. So a pdig killed with SIGKILL leaves
 * a file that reads up to its last flush. No threads: the time check rides
 * on write(), so events buffered before an idle spell wait for the next
 * event or the final flush. (A SIGKILL landing inside a large write(2)
 * can still cut a block: the kernel may stop between pages. The window is
 * microseconds per flush.)
 *
 * Rotation (-C): the names follow `sysdig -C` without -W (path + index,
 * from 0). Each file is a whole capture; its process list describes the
 * threads alive at the switch (tids seen in events, minus procexit), as
 * the state source describes them now, so names and fds carry over. A switch is made before an
 * enter event when possible, so an exit stays with its enter. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "abi/time_ns.h"
#include "schema/event_layout.h"
#include "sinks/scapfile.h"
#include "scapfile_int.h"
#include "sinks/sink.h"

#define FLUSH_BYTES (256u * 1024)
#define FLUSH_NS (100ull * 1000 * 1000)
/* Before an enter event, switch files early if this little room is left,
 * so its exit (usually small) fits in the same file. */
#define ENTER_SLACK (16u * 1024)

struct scap_sink {
	struct sink s;
	char *base;          /* -w FILE */
	char *path;          /* current file */
	uint64_t rotate;     /* bytes per file, 0 = no rotation */
	unsigned index;      /* current file index when rotating */
	int fd;
	uint64_t file_bytes; /* written + buffered in the current file */
	uint64_t file_events;
	bool started;        /* an event block is in this file: no state blocks now */
	bool failed;         /* a write error: later events are dropped */
	struct sbuf out;     /* blocks not yet written */
	enum pdig_schema_id schema; /* of the events (--schema) */
	uint64_t pending;    /* events in out */
	uint64_t last_flush;
	struct sbuf pl;      /* PL_V9 entries for the header section */
	struct sbuf fdl;     /* FDL_V2 blocks for the header section */
	/* tids alive as far as the events tell (open addressing; 0 = empty,
	 * UINT64_MAX = deleted) */
	uint64_t *tids;
	size_t tids_cap, tids_used;
	struct state_source src; /* NULL functions until use_source */
};

static uint64_t mono_ns(void)
{
	/* coarse: a vDSO read, cheap enough for every event */
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

/* --- the live tid set --- */

#define TID_DEL UINT64_MAX

static size_t tid_slot(const struct scap_sink *k, uint64_t tid)
{
	return (size_t)(tid * 0x9E3779B97F4A7C15ull) & (k->tids_cap - 1);
}

static void tids_add(struct scap_sink *k, uint64_t tid);

static void tids_grow(struct scap_sink *k)
{
	uint64_t *old = k->tids;
	size_t ocap = k->tids_cap, ncap = ocap ? ocap * 2 : 64;
	uint64_t *n = calloc(ncap, sizeof *n);
	if (!n)
		return;
	k->tids = n;
	k->tids_cap = ncap;
	k->tids_used = 0;
	for (size_t i = 0; i < ocap; i++)
		if (old[i] && old[i] != TID_DEL)
			tids_add(k, old[i]);
	free(old);
}

static void tids_add(struct scap_sink *k, uint64_t tid)
{
	if (!tid || tid == TID_DEL)
		return;
	/* used counts deleted slots too, so probes always end at an empty one */
	if ((k->tids_used + 1) * 2 > k->tids_cap)
		tids_grow(k);
	if (!k->tids_cap)
		return;
	size_t i = tid_slot(k, tid), del = SIZE_MAX;
	for (;; i = (i + 1) & (k->tids_cap - 1)) {
		if (k->tids[i] == tid)
			return;
		if (k->tids[i] == TID_DEL && del == SIZE_MAX)
			del = i;
		if (!k->tids[i])
			break;
	}
	if (del != SIZE_MAX) {
		k->tids[del] = tid;
		return;
	}
	k->tids[i] = tid;
	k->tids_used++;
}

static void tids_del(struct scap_sink *k, uint64_t tid)
{
	if (!k->tids_cap)
		return;
	for (size_t i = tid_slot(k, tid); k->tids[i]; i = (i + 1) & (k->tids_cap - 1))
		if (k->tids[i] == tid) {
			k->tids[i] = TID_DEL;
			return;
		}
}

/* --- files and flushing --- */

static void flush_out(struct scap_sink *k)
{
	size_t off = 0;
	while (!k->failed && off < k->out.len) {
		ssize_t n = write(k->fd, k->out.p + off, k->out.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "pdig: %s: write: %s; the capture stops here\n", k->path,
			        n < 0 ? strerror(errno) : "short write");
			k->failed = true;
			/* what was still buffered is lost */
			k->s.stats.written -= k->pending;
			k->s.stats.dropped += k->pending;
			break;
		}
		off += (size_t)n;
	}
	k->out.len = 0;
	k->out.oom = false;
	k->pending = 0;
	k->last_flush = mono_ns();
}

static int open_file(struct scap_sink *k, char *err, size_t errlen)
{
	free(k->path);
	k->path = NULL;
	if (k->rotate) {
		if (asprintf(&k->path, "%s%u", k->base, k->index) < 0)
			k->path = NULL;
	} else {
		k->path = strdup(k->base);
	}
	if (!k->path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	k->fd = open(k->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (k->fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", k->path, strerror(errno));
		return -1;
	}
	k->started = false;
	k->file_events = 0;
	size_t before = k->out.len;
	scap_put_header(&k->out);
	k->file_bytes = k->out.len - before;
	return 0;
}

/* Adds thread p and, for a main thread, its fds to the state blocks. */
static void add_thread(struct scap_sink *k, const struct proc_desc *p)
{
	int64_t tid = p->tid, pid = p->pid;
	scap_put_proc_entry(&k->pl, p); /* before the source's next call reuses p */
	scap_put_fd_block(&k->fdl, tid, pid, k->src.each_fd ? &k->src : NULL);
}

/* Process list + fd lists: the recorded ones, then (for a rotated file)
 * the threads the events showed alive, as the source describes them now. */
static void put_state(struct scap_sink *k)
{
	size_t before = k->out.len;
	if (k->index > 0) {
		sb_free(&k->pl);
		sb_free(&k->fdl);
		for (size_t i = 0; i < k->tids_cap && k->src.process; i++) {
			uint64_t tid = k->tids[i];
			if (!tid || tid == TID_DEL)
				continue;
			const struct proc_desc *p = k->src.process(k->src.ctx, (int64_t)tid);
			if (p)
				add_thread(k, p);
		}
	}
	size_t s = scap_block_begin(&k->out, SCAP_BT_PL_V9);
	sb_put(&k->out, k->pl.p, k->pl.len);
	scap_block_end(&k->out, s);
	sb_put(&k->out, k->fdl.p, k->fdl.len);
	sb_free(&k->pl);
	sb_free(&k->fdl);
	k->file_bytes += k->out.len - before;
	k->started = true;
}

static void rotate(struct scap_sink *k)
{
	flush_out(k);
	close(k->fd);
	k->fd = -1;
	k->index++;
	char err[256];
	if (open_file(k, err, sizeof err) < 0) {
		fprintf(stderr, "pdig: %s; the capture stops here\n", err);
		k->failed = true;
	}
}

/* --- the sink --- */

static bool scap_wants(struct sink *s) { (void)s; return true; }
static uint32_t scap_snaplen(struct sink *s) { (void)s; return PDIG_SNAPLEN_DEFAULT; }

static void scap_write(struct sink *s, const uint8_t *ev, size_t len)
{
	struct scap_sink *k = (struct scap_sink *)s;
	if (len < EVT_HDR_LEN || k->failed) {
		s->stats.dropped++;
		return;
	}
	uint64_t blk = (8 + 2 + len + 3) / 4 * 4 + 4;
	if (k->rotate && k->file_events) {
		bool enter = (evt_type(ev) & 1) == 0;
		uint64_t room = k->file_bytes + blk + (enter ? ENTER_SLACK : 0);
		if (room > k->rotate)
			rotate(k);
		if (k->failed) {
			s->stats.dropped++;
			return;
		}
	}
	if (!k->started)
		put_state(k);
	size_t before = k->out.len;
	if (!scap_put_event(&k->out, ev, len)) {
		k->out.len = before;
		s->stats.dropped++;
		return;
	}
	if (evt_type(ev) == EV_PROCEXIT_1_E)
		tids_del(k, evt_tid(ev));
	else
		tids_add(k, evt_tid(ev));
	k->file_bytes += k->out.len - before;
	k->file_events++;
	k->pending++;
	s->stats.written++;
	if (k->out.len >= FLUSH_BYTES || mono_ns() - k->last_flush >= FLUSH_NS)
		flush_out(k);
}

static void scap_flush(struct sink *s)
{
	flush_out((struct scap_sink *)s);
}

static void scap_close(struct sink *s)
{
	struct scap_sink *k = (struct scap_sink *)s;
	flush_out(k);
	if (k->fd >= 0)
		close(k->fd);
	sb_free(&k->out);
	sb_free(&k->pl);
	sb_free(&k->fdl);
	free(k->tids);
	free(k->path);
	free(k->base);
	free(k);
}

/* A thread that exists before the first event; later calls are ignored
 * (the format allows no state blocks after events: later processes are
 * learnt from their clone/execve). */
static void scap_describe(struct sink *s, const struct proc_desc *p)
{
	struct scap_sink *k = (struct scap_sink *)s;
	if (!p || k->started)
		return;
	add_thread(k, p);
	tids_add(k, (uint64_t)p->tid);
}

static void scap_use_source(struct sink *s, const struct state_source *src)
{
	((struct scap_sink *)s)->src = *src;
}

static enum pdig_schema_id scap_schema(struct sink *s)
{
	return ((struct scap_sink *)s)->schema;
}

void scap_sink_set_schema(struct sink *s, enum pdig_schema_id id)
{
	((struct scap_sink *)s)->schema = id;
}

const char *scap_sink_current_path(struct sink *s)
{
	return ((struct scap_sink *)s)->path;
}

struct sink *scap_sink_open(const char *path, uint64_t rotate_bytes, char *err, size_t errlen)
{
	struct scap_sink *k = calloc(1, sizeof *k);
	if (!k || !(k->base = strdup(path))) {
		snprintf(err, errlen, "out of memory");
		free(k);
		return NULL;
	}
	k->fd = -1;
	k->rotate = rotate_bytes;
	if (open_file(k, err, errlen) < 0) {
		free(k->path);
		free(k->base);
		sb_free(&k->out);
		free(k);
		return NULL;
	}
	k->last_flush = mono_ns();
	k->s.name = "capture";
	k->s.wants = scap_wants;
	k->s.snaplen = scap_snaplen;
	k->s.schema = scap_schema;
	k->s.write = scap_write;
	k->s.flush = scap_flush;
	k->s.close = scap_close;
	k->s.use_source = scap_use_source;
	k->s.describe_process = scap_describe;
	return &k->s;
}
