/* Open-addressing hash table of threads; grows by doubling. Removal uses
 * backward-shift deletion so lookups need no tombstones. */
#include <stdlib.h>
#include <string.h>

#include "threads.h"

static struct thread *slots;
static size_t cap, used;

static size_t hash(pid_t tid) { return ((uint32_t)tid * 2654435761u) & (cap - 1); }

static struct thread *slot_of(pid_t tid)
{
	if (!cap)
		return NULL;
	for (size_t i = hash(tid);; i = (i + 1) & (cap - 1)) {
		if (slots[i].tid == tid)
			return &slots[i];
		if (!slots[i].tid)
			return NULL;
	}
}

struct thread *threads_find(pid_t tid)
{
	return tid > 0 ? slot_of(tid) : NULL;
}

static void insert_raw(const struct thread *t)
{
	size_t i = hash(t->tid);
	while (slots[i].tid)
		i = (i + 1) & (cap - 1);
	slots[i] = *t;
	used++;
}

static int grow(void)
{
	size_t oldcap = cap;
	struct thread *old = slots;
	size_t ncap = cap ? cap * 2 : 64;
	struct thread *n = calloc(ncap, sizeof *n);
	if (!n)
		return -1;
	slots = n;
	cap = ncap;
	used = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].tid)
			insert_raw(&old[i]);
	free(old);
	return 0;
}

struct thread *threads_get(pid_t tid)
{
	if (tid <= 0)
		return NULL;
	struct thread *t = slot_of(tid);
	if (t)
		return t;
	if ((used + 1) * 2 > cap && grow() < 0)
		return NULL;
	struct thread fresh;
	memset(&fresh, 0, sizeof fresh);
	fresh.tid = tid;
	insert_raw(&fresh);
	return slot_of(tid);
}

void threads_remove(pid_t tid)
{
	struct thread *t = threads_find(tid);
	if (!t)
		return;
	size_t i = (size_t)(t - slots);
	memset(&slots[i], 0, sizeof slots[i]);
	used--;
	/* shift back the entries of the probe run that follows */
	for (size_t j = (i + 1) & (cap - 1); slots[j].tid; j = (j + 1) & (cap - 1)) {
		size_t home = hash(slots[j].tid);
		/* move j into the hole i if its home is not in (i, j] cyclically */
		bool in_range = i <= j ? (home > i && home <= j) : (home > i || home <= j);
		if (!in_range) {
			slots[i] = slots[j];
			memset(&slots[j], 0, sizeof slots[j]);
			i = j;
		}
	}
}

struct thread *threads_rename(pid_t old_tid, pid_t new_tid)
{
	struct thread *t = threads_find(old_tid);
	if (!t)
		return threads_get(new_tid);
	struct thread copy = *t;
	threads_remove(old_tid);
	threads_remove(new_tid);
	copy.tid = new_tid;
	struct thread *n = threads_get(new_tid);
	if (n)
		*n = copy;
	return n;
}

size_t threads_count(void) { return used; }

void threads_each(void (*fn)(struct thread *t, void *arg), void *arg)
{
	for (size_t i = 0; i < cap; i++)
		if (slots[i].tid)
			fn(&slots[i], arg);
}
