/* Test producer for the udig sink: writes synthetic close enter/exit
 * events through udig_sink_open() so the real `sysdig -u` can check them.
 * Event i of a run is close_E(fd=i/2) for even i, close_X(res=i/2) for odd i.
 * Prints "written=W dropped=D discarded=X" and exits non-zero when its own
 * assertions fail. Usage: see main(). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "events/evbuf.h"
#include "schema/schema.h"
#include "sinks/sink.h"
#include "sinks/udig.h"

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static struct sink *open_sink(void)
{
	char err[256];
	struct sink *s = udig_sink_open(err, sizeof err);
	if (!s) {
		fprintf(stderr, "udig_sink_open: %s\n", err);
		exit(2);
	}
	return s;
}

/* Event i of a run, as described at the top. */
static size_t make_event(uint8_t *buf, size_t cap, uint64_t tid, uint64_t i)
{
	struct evbuf b;
	evb_begin(&b, buf, cap, (i & 1) ? 5 : 4, now_ns(CLOCK_REALTIME), tid);
	evb_s64(&b, (int64_t)(i / 2));
	return evb_finish(&b);
}

static void write_events(struct sink *s, uint64_t tid, uint64_t n, unsigned pace_us)
{
	uint8_t buf[64];
	for (uint64_t i = 0; i < n; i++) {
		size_t len = make_event(buf, sizeof buf, tid, i);
		if (!len) {
			fprintf(stderr, "evb_finish failed\n");
			exit(2);
		}
		s->write(s, buf, len);
		if (pace_us && i % 64 == 63)
			usleep(pace_us);
	}
}

static void print_stats(const char *tag, struct sink *s)
{
	printf("%swritten=%llu dropped=%llu discarded=%llu\n", tag,
	       (unsigned long long)s->stats.written, (unsigned long long)s->stats.dropped,
	       (unsigned long long)s->stats.discarded);
	fflush(stdout);
}

/* seq N TID [PACE_US]: one producer. */
static int cmd_seq(uint64_t n, uint64_t tid, unsigned pace)
{
	struct sink *s = open_sink();
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	write_events(s, tid, n, pace);
	uint64_t ms = (now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
	print_stats("", s);
	printf("elapsed_ms=%llu n_drops_buffer=%llu\n", (unsigned long long)ms,
	       (unsigned long long)udig_sink_descs(s)->n_drops_buffer);
	if (s->stats.written + s->stats.dropped + s->stats.discarded != n) {
		fprintf(stderr, "stats do not add up to %llu\n", (unsigned long long)n);
		return 1;
	}
	s->close(s);
	return 0;
}

/* multi P N TIDBASE: P forked producers start together, tid = TIDBASE+p. */
static int cmd_multi(int p, uint64_t n, uint64_t tidbase)
{
	int go[2];
	if (pipe(go) < 0)
		return 2;
	pid_t kids[16];
	for (int k = 0; k < p && k < 16; k++) {
		kids[k] = fork();
		if (kids[k] == 0) {
			struct sink *s = open_sink();
			char c;
			close(go[1]);
			if (read(go[0], &c, 1) != 0) /* EOF = start */
				_exit(2);
			write_events(s, tidbase + (uint64_t)k, n, 20);
			char tag[32];
			snprintf(tag, sizeof tag, "tid=%llu ", (unsigned long long)(tidbase + k));
			print_stats(tag, s);
			_exit(s->stats.written == n ? 0 : 1);
		}
	}
	close(go[0]);
	usleep(50000); /* let every child map the ring before the start */
	close(go[1]);
	int rc = 0;
	for (int k = 0; k < p; k++) {
		int st;
		waitpid(kids[k], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			rc = 1;
	}
	return rc;
}

/* flood N TID: seq, then once the consumer made room, two more events
 * (the first event after a gap must carry the DROP_E/DROP_X markers). */
static int cmd_flood(uint64_t n, uint64_t tid)
{
	int rc = cmd_seq(n, tid, 0);
	struct sink *s = open_sink();
	struct udig_descs *d = udig_sink_descs(s);
	for (int i = 0; i < 500 && __atomic_load_n(&d->head, __ATOMIC_ACQUIRE) !=
				     __atomic_load_n(&d->tail, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	write_events(s, tid + 1, 2, 0);
	print_stats("after ", s);
	s->close(s);
	return rc;
}

/* One event with a chosen timestamp; np = 0 or 1 s64 param. */
static void emit(struct sink *s, uint16_t type, uint64_t ts, uint64_t tid, int np, int64_t v)
{
	uint8_t buf[64];
	struct evbuf b;
	evb_begin(&b, buf, sizeof buf, type, ts, tid);
	if (np)
		evb_s64(&b, v);
	s->write(s, buf, evb_finish(&b));
}

/* sample TID: dropping mode as docs/udig-ring.md §10 describes, switched on by hand
 * (sysdig never does): interval 0.5 s, ratio 2. */
static int cmd_sample(uint64_t tid)
{
	struct sink *s = open_sink();
	struct udig_consumer *c = &udig_sink_descs(s)->consumer;
	c->sampling_ratio = 2;
	c->sampling_interval = 500000000;
	c->dropping_mode = 1;
	const uint64_t B = 1700000000ull * 1000000000ull, MSEC = 1000000;
	emit(s, EV_SYSCALL_GETUID_E, B + 100 * MSEC, tid, 0, 0);   /* kept: 0.1 s < 0.5 s */
	emit(s, EV_SYSCALL_GETUID_X, B + 110 * MSEC, tid, 1, 900001);
	emit(s, EV_SYSCALL_GETUID_E, B + 600 * MSEC, tid, 0, 0);   /* dropped: DROP_E */
	emit(s, EV_SYSCALL_GETUID_X, B + 610 * MSEC, tid, 1, 2);   /* dropped */
	emit(s, EV_SYSCALL_CLOSE_E, B + 700 * MSEC, tid, 1, 9); /* never dropped */
	emit(s, EV_SYSCALL_CLOSE_X, B + 710 * MSEC, tid, 1, -9); /* failed: dropped */
	emit(s, EV_SYSCALL_FSTAT_E, B + 1100 * MSEC, tid, 1, 3);   /* fstat: always dropped */
	emit(s, EV_SYSCALL_GETUID_E, B + 1200 * MSEC, tid, 0, 0);  /* kept again: DROP_X */
	emit(s, EV_SYSCALL_GETUID_X, B + 1210 * MSEC, tid, 1, 900003);
	print_stats("", s);
	int rc = s->stats.written == 5 && s->stats.discarded == 4 && !c->is_dropping ? 0 : 1;
	c->dropping_mode = 0;
	s->close(s);
	return rc;
}

/* nocons N: no live consumer; nothing may reach the ring. */
static int cmd_nocons(uint64_t n)
{
	struct sink *s = open_sink();
	struct udig_descs *d = udig_sink_descs(s);
	uint32_t head = d->head;
	uint64_t evts = d->n_evts;
	int rc = 0;
	if (s->wants(s)) {
		fprintf(stderr, "wants() is true without a consumer\n");
		rc = 1;
	}
	write_events(s, 7777, n, 0);
	/* A second sink in the same run must not repeat the message. */
	struct sink *s2 = open_sink();
	write_events(s2, 7778, 10, 0);
	print_stats("", s);
	if (d->head != head || d->n_evts != evts) {
		fprintf(stderr, "ring touched: head %u -> %u\n", head, d->head);
		rc = 1;
	}
	/* wants() and the write right after it are the same event. */
	if (s->stats.written != 0 || s->stats.discarded != n || s2->stats.discarded != 10) {
		fprintf(stderr, "bad stats\n");
		rc = 1;
	}
	s2->close(s2);
	s->close(s);
	return rc;
}

/* Child that takes the ring lock with its PID, then either waits to be
 * killed (hold_ms = 0) or releases it after hold_ms, exiting 1 if the lock
 * was stolen from it meanwhile. */
static pid_t lock_holder(int hold_ms)
{
	int ready[2];
	if (pipe(ready) < 0)
		exit(2);
	pid_t pid = fork();
	if (pid == 0) {
		struct sink *s = open_sink();
		uint64_t *l = &udig_sink_descs(s)->buffer_lock;
		uint64_t zero = 0, me = (uint64_t)getpid();
		while (!__atomic_compare_exchange_n(l, &zero, me, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			zero = 0, usleep(100);
		if (write(ready[1], "x", 1) != 1)
			_exit(2);
		if (!hold_ms)
			for (;;)
				pause();
		usleep((useconds_t)hold_ms * 1000);
		bool mine = __atomic_compare_exchange_n(l, &me, 0, false, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
		_exit(mine ? 0 : 1);
	}
	char c;
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1)
		exit(2);
	close(ready[0]);
	return pid;
}

static uint64_t timed_write(struct sink *s, uint64_t tid)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	write_events(s, tid, 2, 0);
	return (now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
}

/* lock dead|live|stuck TID: write two events while another process holds
 * the lock: dead (SIGKILLed), live (releases after 150 ms), or stuck (alive,
 * never releases until killed). */
static int cmd_lock(const char *how, uint64_t tid)
{
	struct sink *s = open_sink();
	struct udig_descs *d = udig_sink_descs(s);
	int rc = 0;
	if (!strcmp(how, "dead")) {
		pid_t holder = lock_holder(0);
		kill(holder, SIGKILL);
		waitpid(holder, NULL, 0);
		uint64_t ms = timed_write(s, tid);
		printf("elapsed_ms=%llu\n", (unsigned long long)ms);
		if (ms > 200)
			rc = 1;
	} else if (!strcmp(how, "live")) {
		pid_t holder = lock_holder(150);
		uint64_t ms = timed_write(s, tid);
		int st;
		waitpid(holder, &st, 0);
		printf("elapsed_ms=%llu\n", (unsigned long long)ms);
		/* It must have waited for the live owner, not stolen from it. */
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || ms < 100)
			rc = 1;
	} else {
		pid_t holder = lock_holder(0);
		uint64_t drops0 = d->n_drops_buffer;
		/* Both events are given up on, the second without waiting again. */
		uint64_t t0 = now_ns(CLOCK_MONOTONIC);
		write_events(s, tid + 1000, 1, 0);
		uint64_t t1 = now_ns(CLOCK_MONOTONIC);
		write_events(s, tid + 1000, 1, 0);
		uint64_t ms1 = (t1 - t0) / 1000000, ms2 = (now_ns(CLOCK_MONOTONIC) - t1) / 1000000;
		printf("stuck: elapsed_ms=%llu,%llu dropped=%llu\n", (unsigned long long)ms1,
		       (unsigned long long)ms2, (unsigned long long)s->stats.dropped);
		if (ms1 < 240 || ms1 > 1000 || ms2 > 100 || s->stats.dropped != 2 ||
		    d->buffer_lock != (uint64_t)holder)
			rc = 1;
		/* the consumer sees both losses in n_drops_buffer; no drop
		 * marker is owed (the driver writes those only when the
		 * dropping mode changes) */
		printf("stuck: n_drops_buffer+%llu drop markers owed=%d,%d\n",
		       (unsigned long long)(d->n_drops_buffer - drops0), d->consumer.need_to_insert_drop_e,
		       d->consumer.need_to_insert_drop_x);
		if (d->n_drops_buffer - drops0 != 2 || d->consumer.need_to_insert_drop_e ||
		    d->consumer.need_to_insert_drop_x)
			rc = 1;
		kill(holder, SIGKILL);
		waitpid(holder, NULL, 0);
		/* Once the owner is gone, writing resumes. */
		s->stats.dropped = 0;
		uint64_t ms = timed_write(s, tid);
		printf("elapsed_ms=%llu\n", (unsigned long long)ms);
		if (ms > 200)
			rc = 1;
		/* still none owed after the first event that got in */
		if (d->consumer.need_to_insert_drop_e || d->consumer.need_to_insert_drop_x)
			rc = 1;
	}
	print_stats("", s);
	if (s->stats.written != 2 || s->stats.dropped != 0 || d->buffer_lock != 0)
		rc = 1;
	s->close(s);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	uint64_t a2 = argc > 2 ? strtoull(argv[2], NULL, 0) : 0;
	uint64_t a3 = argc > 3 ? strtoull(argv[3], NULL, 0) : 0;
	uint64_t a4 = argc > 4 ? strtoull(argv[4], NULL, 0) : 0;
	if (!strcmp(cmd, "seq") && argc >= 4)
		return cmd_seq(a2, a3, (unsigned)a4);
	if (!strcmp(cmd, "multi") && argc == 5)
		return cmd_multi((int)a2, a3, a4);
	if (!strcmp(cmd, "flood") && argc == 4)
		return cmd_flood(a2, a3);
	if (!strcmp(cmd, "sample") && argc == 3)
		return cmd_sample(a2);
	if (!strcmp(cmd, "nocons") && argc == 3)
		return cmd_nocons(a2);
	if (!strcmp(cmd, "lock") && argc == 4)
		return cmd_lock(argv[2], a3);
	fprintf(stderr, "usage: %s seq N TID [PACE_US] | multi P N TIDBASE | nocons N |"
		" flood N TID | sample TID | lock dead|live|stuck TID\n", argv[0]);
	return 2;
}
