/* The thread table's per-owner counts (src/tracer/threads.c). A worker
 * reads them without the table's lock (workers_own_threads) while another
 * worker changes the table under it; a count that drops to 0 for a moment
 * while the table grows made the reader think it served nothing. Here a
 * reader thread watches owner 1's count while this thread grows the table
 * with entries of owner 0, then the counts are checked against a recount
 * after adds, renames, removals and owner changes. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "threads.h"

#define OWNER1_KEEP 7

static struct thread_table table;
static int stop_reader;
static uint64_t low_seen = UINT64_MAX, reads;

static void *reader(void *arg)
{
	(void)arg;
	while (!__atomic_load_n(&stop_reader, __ATOMIC_ACQUIRE)) {
		uint64_t n = threads_owned(&table, 1);
		if (n < low_seen)
			low_seen = n;
		reads++;
	}
	return NULL;
}

struct recount {
	size_t by[256];
};

static void recount_one(struct thread *t, void *arg)
{
	((struct recount *)arg)->by[t->owner]++;
}

static void check_counts(struct thread_table *tt, const char *when)
{
	struct recount r;
	memset(&r, 0, sizeof r);
	threads_each(tt, recount_one, &r);
	for (unsigned o = 0; o < 256; o++)
		CHECK_MSG(threads_owned(tt, (uint8_t)o) == r.by[o], "%s: owner %u counted %zu, holds %zu", when, o,
			  threads_owned(tt, (uint8_t)o), r.by[o]);
}

int main(void)
{
	/* owner 1 holds a few from the start, then keeps them */
	for (pid_t tid = 1; tid <= OWNER1_KEEP; tid++)
		threads_set_owner(&table, threads_get(&table, tid), 1);
	pthread_t th;
	if (!CHECK(pthread_create(&th, NULL, reader, NULL) == 0))
		return check_done("tracer_threads_owned");
	/* many grows (64 -> 2^17 slots), each a rehash of what is there,
	 * again and again so the reader meets one mid-way */
	for (int round = 0; round < 8; round++) {
		for (pid_t tid = 1000; tid < 1000 + 20000; tid++)
			if (!threads_get(&table, tid))
				CHECK_FAIL("no memory");
		check_counts(&table, "grown");
		for (pid_t tid = 1000; tid < 1000 + 20000; tid++)
			threads_remove(&table, tid);
		/* a fresh table each round: every add grows it again */
		struct thread keep[OWNER1_KEEP];
		for (pid_t tid = 1; tid <= OWNER1_KEEP; tid++)
			keep[tid - 1] = *threads_find(&table, tid);
		struct thread_table fresh;
		memset(&fresh, 0, sizeof fresh);
		for (pid_t tid = 1; tid <= OWNER1_KEEP; tid++)
			threads_set_owner(&fresh, threads_get(&fresh, tid), keep[tid - 1].owner);
		/* the reader may be reading the old one: swap in place */
		struct thread *old = table.slots;
		table.slots = fresh.slots;
		table.cap = fresh.cap;
		table.used = fresh.used;
		for (unsigned o = 0; o < 256; o++)
			__atomic_store_n(&table.owned[o], fresh.owned[o], __ATOMIC_RELAXED);
		free(old);
	}
	__atomic_store_n(&stop_reader, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	CHECK_MSG(low_seen == OWNER1_KEEP, "owner 1's count read as %llu (of %d) while the table grew, in %llu reads",
		  (unsigned long long)low_seen, OWNER1_KEEP, (unsigned long long)reads);

	/* renames (an exec from a thread), removals, owner changes */
	threads_set_owner(&table, threads_get(&table, 100), 2);
	threads_set_owner(&table, threads_get(&table, 101), 3);
	threads_rename(&table, 101, 100); /* onto a tid held by another owner */
	check_counts(&table, "renamed onto a held tid");
	CHECK_EQ_INT(threads_find(&table, 100)->owner, 3);
	threads_rename(&table, 100, 200);
	threads_rename(&table, 555, 556); /* unknown: a fresh entry */
	check_counts(&table, "renamed");
	threads_remove(&table, 200);
	threads_remove(&table, 1);
	threads_remove(&table, 99999); /* not there */
	check_counts(&table, "removed");
	CHECK_EQ_INT(threads_owned(&table, 1), OWNER1_KEEP - 1);
	threads_free(&table);
	return check_done("tracer_threads_owned");
}
