/* The ring layer alone: a consumer and producers in one process, over a
 * file in a temporary folder. Round trips, wrap-around, a full ring, and
 * everything a stranger can do to the file: the producer refuses what it
 * cannot trust, the consumer skips what does not frame. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ring/ring.h"

static char dir[] = "/tmp/pdig-ring-test.XXXXXX";
static char path[4096];
static uint8_t buf[RING_REC_MAX + RING_REC_HDR];

static void fill(uint8_t *rec, uint32_t len, uint32_t seq)
{
	for (uint32_t i = 0; i < len; i++)
		rec[i] = (uint8_t)(seq + i);
}

/* Reads everything waiting; checks each record is seq-filled in order. */
static uint32_t drain(struct ring_consumer *c, uint32_t *seq, uint32_t len)
{
	uint32_t got = 0;
	size_t n;
	uint8_t want[4096];
	while ((n = ring_consumer_read(c, buf, sizeof buf)) > 0) {
		for (size_t at = 0; at < n;) {
			uint32_t l;
			memcpy(&l, buf + at, 4);
			CHECK_EQ_INT(l, len);
			fill(want, len, *seq);
			CHECK_EQ_MEM(buf + at + 4, want, len);
			(*seq)++;
			got++;
			at += 4 + l;
		}
	}
	return got;
}

static void round_trip(void)
{
	struct ring_consumer c;
	struct ring_producer p, q;
	char err[512];
	CHECK_EQ_INT(ring_consumer_open(&c, dir, RING_DATA_MIN, RING_SCHEMA(4, 5, 1), 256, err, sizeof err), 0);
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), 0);
	CHECK_EQ_INT(ring_producer_attach(&q, path, err, sizeof err), 0);
	CHECK(p.slot != q.slot);
	CHECK(ring_producer_consumer_live(&p));
	CHECK_EQ_INT(ring_producer_schema(&p), RING_SCHEMA(4, 5, 1));
	CHECK_EQ_INT(ring_producer_snaplen(&p), 256);
	/* a second consumer in the same folder is refused while we live */
	struct ring_consumer c2;
	CHECK_EQ_INT(ring_consumer_open(&c2, dir, 0, 1, 0, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "in use by another consumer") != NULL, "%s", err);

	/* many laps round a 64 KiB ring, two producers taking turns */
	uint8_t rec[1000];
	uint32_t put_seq = 0, get_seq = 0, got = 0;
	for (int lap = 0; lap < 300; lap++) {
		for (int i = 0; i < 20; i++) {
			fill(rec, sizeof rec, put_seq++);
			CHECK_EQ_INT(ring_producer_put(i % 2 ? &q : &p, rec, sizeof rec), RING_PUT_OK);
		}
		got += drain(&c, &get_seq, sizeof rec);
	}
	CHECK_EQ_INT(got, 6000);
	/* full: no waiting, a drop, counted for the consumer */
	int full = 0;
	for (int i = 0; i < 100; i++)
		full += ring_producer_put(&p, rec, sizeof rec) == RING_PUT_FULL;
	CHECK(full > 30);
	uint64_t evts, drops;
	ring_consumer_counters(&c, &evts, &drops);
	CHECK_EQ_INT(drops, full);
	CHECK_EQ_INT(evts, 6100);
	CHECK_EQ_INT(ring_producer_put(&p, rec, 0), RING_PUT_TOO_BIG);
	CHECK_EQ_INT(ring_producer_put(&p, rec, RING_DATA_MIN), RING_PUT_TOO_BIG);

	/* a lying length: everything published so far is skipped, once */
	while (ring_consumer_read(&c, buf, sizeof buf))
		;
	uint64_t head = p.h->head;
	uint32_t lie = 0x7fffffff;
	memcpy(p.data + head % p.size, &lie, 4);
	__atomic_store_n(&p.h->head, head + 8, __ATOMIC_RELEASE);
	CHECK_EQ_INT(ring_consumer_read(&c, buf, sizeof buf), 0);
	CHECK_EQ_INT(c.corrupt, 1);
	fill(rec, 10, 7);
	CHECK_EQ_INT(ring_producer_put(&p, rec, 10), RING_PUT_OK);
	uint32_t s = 7;
	CHECK_EQ_INT(drain(&c, &s, 10), 1);
	/* a head far ahead of the tail: the producer sees no room, the
	 * consumer skips and both go on */
	__atomic_store_n(&p.h->head, p.h->head + 5ull * RING_DATA_MIN, __ATOMIC_RELEASE);
	CHECK_EQ_INT(ring_producer_put(&p, rec, 10), RING_PUT_FULL);
	CHECK_EQ_INT(ring_consumer_read(&c, buf, sizeof buf), 0);
	CHECK_EQ_INT(c.corrupt, 2);
	CHECK_EQ_INT(ring_producer_put(&p, rec, 10), RING_PUT_OK);
	s = 7;
	CHECK_EQ_INT(drain(&c, &s, 10), 1);
	/* a dead lock owner (a garbage owner value) is taken over */
	p.h->lock = 12345;
	CHECK_EQ_INT(ring_producer_put(&q, rec, 10), RING_PUT_OK);
	CHECK_EQ_INT(p.h->lock, 0);

	ring_consumer_close(&c);
	CHECK(!ring_producer_consumer_live(&p));
	CHECK(access(path, F_OK) != 0);
	ring_producer_detach(&p);
	ring_producer_detach(&q);
}

/* A stale ring (its consumer gone) is replaced; strangers' files are
 * refused by producers with a reason. */
static void strangers(void)
{
	char err[512];
	struct ring_producer p;
	/* no file */
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), -1);
	/* not a ring */
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	CHECK(fd >= 0);
	static uint8_t junk[RING_HDR_SIZE + RING_DATA_MIN];
	memset(junk, 'x', sizeof junk);
	CHECK(write(fd, junk, sizeof junk) == (ssize_t)sizeof junk);
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "bad magic") != NULL, "%s", err);
	/* the magic but a size that disagrees with the file */
	struct ring_hdr h;
	memset(&h, 0, sizeof h);
	memcpy(h.magic, RING_MAGIC, 8);
	h.format = RING_FORMAT;
	h.hdr_size = RING_HDR_SIZE;
	h.data_size = 1u << 30;
	CHECK(pwrite(fd, &h, sizeof h, 0) == (ssize_t)sizeof h);
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "disagree") != NULL, "%s", err);
	h.format = 99;
	CHECK(pwrite(fd, &h, sizeof h, 0) == (ssize_t)sizeof h);
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "format 99") != NULL, "%s", err);
	close(fd);
	/* nobody holds it: a consumer takes its place */
	struct ring_consumer c;
	CHECK_EQ_INT(ring_consumer_open(&c, dir, 0, RING_SCHEMA(4, 0, 1), 0, err, sizeof err), 0);
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), 0);
	CHECK_EQ_INT(p.size, RING_DATA_DEFAULT);
	ring_producer_detach(&p);
	/* the file cut short under the consumer: no SIGBUS, just nothing */
	CHECK_EQ_INT(truncate(path, 100), 0);
	CHECK_EQ_INT(ring_consumer_read(&c, buf, sizeof buf), 0);
	ring_consumer_close(&c);
	/* bad sizes and folders */
	CHECK_EQ_INT(ring_consumer_open(&c, dir, 12345, 1, 0, err, sizeof err), -1);
	CHECK_EQ_INT(ring_consumer_open(&c, "/nonexistent/dir", 0, 1, 0, err, sizeof err), -1);
	CHECK_MSG(strstr(err, "/nonexistent/dir") != NULL, "%s", err);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A small ring with a producer attached, and a record to put. */
static void small_pair(struct ring_consumer *c, struct ring_producer *p, uint8_t *rec, uint32_t len)
{
	char err[512];
	fill(rec, len, 1);
	CHECK_EQ_INT(ring_consumer_open(c, dir, RING_DATA_MIN, RING_SCHEMA(4, 5, 1), 0, err, sizeof err), 0);
	CHECK_EQ_INT(ring_producer_attach(p, path, err, sizeof err), 0);
}

/* Anyone may truncate the file (0666) while a producer has it mapped: the
 * producer must survive (a SIGBUS would kill pdig and its tracees) and
 * report the fault, so its caller detaches. Also: what the guard costs a
 * put. */
static void truncated_under_producer(void)
{
	struct ring_consumer c;
	struct ring_producer p;
	uint8_t rec[64];
	small_pair(&c, &p, rec, sizeof rec);
	enum { N = 200000 };
	uint64_t t0 = now_ns();
	for (int i = 0; i < N; i++) {
		if (ring_producer_put(&p, rec, sizeof rec) != RING_PUT_OK)
			ring_consumer_read(&c, buf, sizeof buf);
	}
	printf("put of 64 bytes, guarded: %.1f ns each\n", (double)(now_ns() - t0) / N);
	CHECK_EQ_INT(ring_consumer_read(&c, buf, sizeof buf) > 0, 1);
	CHECK_EQ_INT(truncate(path, RING_HDR_SIZE), 0);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_FAULT);
	CHECK(p.faulted);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_FAULT);
	/* the header gone too */
	CHECK_EQ_INT(truncate(path, 0), 0);
	p.faulted = false;
	CHECK(!ring_producer_consumer_live(&p));
	CHECK(p.faulted);
	CHECK_EQ_INT(ring_producer_schema(&p), 0);
	ring_producer_detach(&p);
	/* a SIGBUS outside any guard still kills: the handler is no blanket */
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGBUS);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS);
	ring_consumer_close(&c);
}

/* A tail scribbled by a stranger (far from head) makes producers drop
 * every record; the consumer's next read, with nothing to read, heals it. */
static void scribbled_tail(void)
{
	struct ring_consumer c;
	struct ring_producer p;
	uint8_t rec[64];
	small_pair(&c, &p, rec, sizeof rec);
	int fd = open(path, O_WRONLY);
	uint64_t bad = 0x123456789ull;
	CHECK(pwrite(fd, &bad, sizeof bad, __builtin_offsetof(struct ring_hdr, tail)) == sizeof bad);
	close(fd);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_FULL);
	CHECK_EQ_INT(ring_consumer_read(&c, buf, sizeof buf), 0);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_OK);
	uint32_t seq = 1;
	CHECK_EQ_INT(drain(&c, &seq, sizeof rec), 1);
	ring_producer_detach(&p);
	ring_consumer_close(&c);
}

/* The ring's file removed or replaced under the consumer: it notices and
 * makes a new one that producers attach to. */
static void replaced_under_consumer(void)
{
	char err[512];
	struct ring_consumer c;
	struct ring_producer p;
	CHECK_EQ_INT(ring_consumer_open(&c, dir, RING_DATA_MIN, RING_SCHEMA(4, 5, 1), 0, err, sizeof err), 0);
	CHECK(ring_consumer_intact(&c));
	CHECK_EQ_INT(unlink(path), 0);
	CHECK(!ring_consumer_intact(&c));
	CHECK_EQ_INT(ring_consumer_recreate(&c, err, sizeof err), 0);
	CHECK(ring_consumer_intact(&c));
	CHECK_EQ_INT(ring_producer_attach(&p, path, err, sizeof err), 0);
	CHECK(ring_producer_consumer_live(&p));
	CHECK_EQ_INT(ring_producer_schema(&p), RING_SCHEMA(4, 5, 1));
	ring_producer_detach(&p);
	ring_consumer_close(&c);
}

static bool always_alive(void *ctx, uint64_t owner)
{
	(void)ctx;
	(void)owner;
	return true;
}

/* A live owner that sits on the lock is given up on after 250 ms; one
 * that lets go for a moment now and then must not win back a 250 ms wait
 * on every later take. */
static void toggled_lock(void)
{
	uint64_t word = 999;
	struct owner_lock l = { &word, 1, always_alive, NULL, 0 };
	uint64_t t0 = now_ns();
	CHECK(!owner_lock_take(&l));
	CHECK((now_ns() - t0) >= 200000000ull);
	word = 0; /* the attacker lets go: we win */
	CHECK(owner_lock_take(&l));
	owner_lock_release(&l);
	word = 999; /* and takes it again */
	t0 = now_ns();
	CHECK(!owner_lock_take(&l));
	uint64_t ms = (now_ns() - t0) / 1000000;
	CHECK_MSG(ms < 50, "a take after a give-up waited %llu ms", (unsigned long long)ms);
}

/* Closing counts what producers wrote and nobody read (lost with the
 * ring, so the host can say how many), and a closed ring takes nothing
 * more: what comes after is the producer's to count. */
/* a small 4.5.1 ring at path and one producer attached to it */
static void open_pair(struct ring_consumer *c, struct ring_producer *p)
{
	char err[512];
	CHECK_EQ_INT(ring_consumer_open(c, dir, RING_DATA_MIN, RING_SCHEMA(4, 5, 1), 0, err, sizeof err), 0);
	CHECK_EQ_INT(ring_producer_attach(p, path, err, sizeof err), 0);
}

static void closing_counts(void)
{
	struct ring_consumer c;
	struct ring_producer p;
	uint8_t rec[100];
	open_pair(&c, &p);
	uint32_t put_seq = 0, get_seq = 0;
	for (int i = 0; i < 3; i++) {
		fill(rec, sizeof rec, put_seq++);
		CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_OK);
	}
	CHECK_EQ_INT(drain(&c, &get_seq, sizeof rec), 3);
	for (int i = 0; i < 2; i++)
		CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_OK);
	CHECK_EQ_INT(ring_consumer_close(&c), 2);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_CLOSED);
	CHECK_EQ_INT(p.h->lock, 0);
	ring_producer_detach(&p);
	CHECK_EQ_INT(ring_consumer_close(&c), 0); /* twice: nothing */
}

/* A producer that holds the lock longer than a moment (pdig as SCHED_IDLE
 * on a loaded machine) finishes its record before the close counts; a ring
 * made again counts what was left unread in the old one. */
static void closing_waits(void)
{
	struct ring_consumer c;
	struct ring_producer p;
	char err[512];
	uint8_t rec[100];
	open_pair(&c, &p);
	uint32_t seq = 0;
	fill(rec, sizeof rec, seq);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_OK);
	/* mid-put: the lock is ours, the state was seen open; the record
	 * lands 300 ms later (the consumer gave up after 50 ms before) */
	p.h->lock = p.slot + 1;
	pid_t pid = fork();
	if (pid == 0) {
		usleep(300000);
		uint32_t len = sizeof rec;
		uint64_t head = p.h->head;
		memcpy(p.data + head % p.size, &len, 4);
		memcpy(p.data + head % p.size + 4, rec, len);
		__atomic_store_n(&p.h->head, head + 4 + len, __ATOMIC_RELEASE);
		__atomic_store_n(&p.h->lock, 0, __ATOMIC_RELEASE);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK_EQ_INT(ring_consumer_close(&c), 2);
	waitpid(pid, NULL, 0);
	ring_producer_detach(&p);

	/* recreate: the old ring's unread records are counted */
	open_pair(&c, &p);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_OK);
	unlink(path);
	CHECK_EQ_INT(ring_consumer_recreate(&c, err, sizeof err), 0);
	CHECK_EQ_INT(c.lost_unread, 3);
	CHECK_EQ_INT(ring_producer_put(&p, rec, sizeof rec), RING_PUT_CLOSED);
	ring_producer_detach(&p);
	CHECK_EQ_INT(ring_consumer_close(&c), 0);
}

int main(void)
{
	if (!mkdtemp(dir))
		return perror("mkdtemp"), 1;
	ring_path(dir, path, sizeof path);
	round_trip();
	strangers();
	truncated_under_producer();
	scribbled_tail();
	replaced_under_consumer();
	toggled_lock();
	closing_counts();
	closing_waits();
	unlink(path);
	rmdir(dir);
	return check_done("plugin_ring");
}
