/* Open-addressing hash table of threads; grows by doubling. Removal uses
 * backward-shift deletion so lookups need no tombstones. */
#include <stdlib.h>
#include <string.h>

#include "threads.h"

static size_t hash(const struct thread_table *tt, pid_t tid)
{
	return ((uint32_t)tid * 2654435761u) & (tt->cap - 1);
}

static struct thread *slot_of(struct thread_table *tt, pid_t tid)
{
	if (!tt->cap)
		return NULL;
	for (size_t i = hash(tt, tid);; i = (i + 1) & (tt->cap - 1)) {
		if (tt->slots[i].tid == tid)
			return &tt->slots[i];
		if (!tt->slots[i].tid)
			return NULL;
	}
}

struct thread *threads_find(struct thread_table *tt, pid_t tid)
{
	return tid > 0 ? slot_of(tt, tid) : NULL;
}

static void count_owner(struct thread_table *tt, uint8_t owner, int by)
{
	__atomic_store_n(&tt->owned[owner], tt->owned[owner] + (uint32_t)by, __ATOMIC_RELAXED);
}

/* Place t in a free slot. The owner counts are the caller's: a rehash
 * moves entries without counting them again, so a worker reading its
 * count without the lock never sees it drop while the table grows. */
static void place(struct thread_table *tt, const struct thread *t)
{
	size_t i = hash(tt, t->tid);
	while (tt->slots[i].tid)
		i = (i + 1) & (tt->cap - 1);
	tt->slots[i] = *t;
	tt->used++;
}

static int grow(struct thread_table *tt)
{
	size_t oldcap = tt->cap;
	struct thread *old = tt->slots;
	size_t ncap = tt->cap ? tt->cap * 2 : 64;
	struct thread *n = calloc(ncap, sizeof *n);
	if (!n)
		return -1;
	tt->slots = n;
	tt->cap = ncap;
	tt->used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].tid)
			place(tt, &old[i]);
	free(old);
	return 0;
}

struct thread *threads_get(struct thread_table *tt, pid_t tid)
{
	if (tid <= 0)
		return NULL;
	struct thread *t = slot_of(tt, tid);
	if (t)
		return t;
	if ((tt->used + 1) * 2 > tt->cap && grow(tt) < 0)
		return NULL;
	struct thread fresh;
	memset(&fresh, 0, sizeof fresh);
	fresh.tid = tid;
	count_owner(tt, fresh.owner, 1);
	place(tt, &fresh);
	return slot_of(tt, tid);
}

void threads_remove(struct thread_table *tt, pid_t tid)
{
	struct thread *t = threads_find(tt, tid);
	if (!t)
		return;
	struct thread *slots = tt->slots;
	size_t mask = tt->cap - 1;
	size_t i = (size_t)(t - slots);
	count_owner(tt, t->owner, -1);
	memset(&slots[i], 0, sizeof slots[i]);
	tt->used--;
	/* shift back the entries of the probe run that follows */
	for (size_t j = (i + 1) & mask; slots[j].tid; j = (j + 1) & mask) {
		size_t home = hash(tt, slots[j].tid);
		/* move j into the hole i if its home is not in (i, j] cyclically */
		bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!in_range) {
			slots[i] = slots[j];
			memset(&slots[j], 0, sizeof slots[j]);
			i = j;
		}
	}
}

struct thread *threads_rename(struct thread_table *tt, pid_t old_tid, pid_t new_tid)
{
	struct thread *t = threads_find(tt, old_tid);
	if (!t)
		return threads_get(tt, new_tid);
	struct thread copy = *t;
	threads_remove(tt, old_tid);
	threads_remove(tt, new_tid);
	copy.tid = new_tid;
	struct thread *n = threads_get(tt, new_tid);
	if (n) {
		count_owner(tt, n->owner, -1);
		*n = copy;
		count_owner(tt, n->owner, 1);
	}
	return n;
}

size_t threads_count(const struct thread_table *tt) { return tt->used; }

void threads_set_owner(struct thread_table *tt, struct thread *t, uint8_t owner)
{
	count_owner(tt, t->owner, -1);
	t->owner = owner;
	count_owner(tt, owner, 1);
}

size_t threads_owned(const struct thread_table *tt, uint8_t owner)
{
	return __atomic_load_n(&tt->owned[owner], __ATOMIC_RELAXED);
}

void threads_each(struct thread_table *tt, void (*fn)(struct thread *t, void *arg), void *arg)
{
	for (size_t i = 0; i < tt->cap; i++)
		if (tt->slots[i].tid)
			fn(&tt->slots[i], arg);
}

void threads_free(struct thread_table *tt)
{
	free(tt->slots);
	memset(tt, 0, sizeof *tt);
}
