/* Exit elision's table of clean fds (src/tracer/elide.c), driven by the
 * entries and exits pdig would see, without a tracee: which close may be
 * reported at its entry, and which must not. */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "elide.h"
#include "tracer_internal.h"

static bool close_elided(struct tracer *tr, pid_t pid, uint64_t fd)
{
	uint64_t args[6] = { fd };
	int64_t ret = -1;
	struct thread t;
	memset(&t, 0, sizeof t);
	bool known = elide_on_entry(tr, pid, pid, &t, SYS_close, args, &ret);
	return known && ret == 0;
}

int main(void)
{
	unsetenv("PDIG_NO_ELIDE");
	struct tracer *tr = calloc(1, sizeof *tr);
	for (int nr = 0; nr < PDIG_SYSCALL_MAX; nr++)
		tr->set.on[nr] = 1;
	elide_init(tr);
	CHECK(tr->elide.on);
	/* this process: no ring, so its table is trusted after the exec */
	pid_t pid = getpid();
	elide_on_exec(tr, pid);
	uint64_t none[6] = { 0 };

	elide_on_exit(tr, pid, SYS_socket, none, 5, NULL);
	CHECK(close_elided(tr, pid, 5));
	CHECK(!close_elided(tr, pid, 5)); /* a second close: EBADF, not known */

	/* a close pdig missed, then a new fd on the same number from a call
	 * elide does not learn from: unknown */
	static const uint64_t makers[] = { SYS_eventfd2, SYS_dup, SYS_epoll_create1, SYS_memfd_create,
		                           SYS_pidfd_open, SYS_timerfd_create };
	for (size_t i = 0; i < sizeof makers / sizeof *makers; i++) {
		elide_on_exit(tr, pid, SYS_socket, none, 6, NULL);
		elide_on_exit(tr, pid, makers[i], none, 6, NULL);
		CHECK_MSG(!close_elided(tr, pid, 6), "fd 6 still clean after syscall %llu returned it",
		          (unsigned long long)makers[i]);
	}
	uint64_t dupfd[6] = { 3, 1030 /* F_DUPFD_CLOEXEC */ };
	elide_on_exit(tr, pid, SYS_socket, none, 7, NULL);
	elide_on_exit(tr, pid, SYS_fcntl, dupfd, 7, NULL);
	CHECK(!close_elided(tr, pid, 7));
	/* fcntl's other commands return no fd */
	uint64_t getfl[6] = { 3, 3 /* F_GETFL */ };
	elide_on_exit(tr, pid, SYS_socket, none, 2, NULL);
	elide_on_exit(tr, pid, SYS_fcntl, getfl, 2, NULL);
	CHECK(close_elided(tr, pid, 2));

	/* the kernel reads an fd as 32 bits */
	elide_on_exit(tr, pid, SYS_socket, none, 8, NULL);
	CHECK(close_elided(tr, pid, (1ull << 32) | 8));
	CHECK(!close_elided(tr, pid, 8));

	/* a ring received: the table is not trusted any more */
	elide_on_exit(tr, pid, SYS_socket, none, 9, NULL);
	elide_on_exit(tr, pid, SYS_pidfd_getfd, none, 10, NULL);
	CHECK(!close_elided(tr, pid, 9));
	free(tr);
	return check_done("elide_table");
}
