#!/bin/bash
# The driver's ptid is the id of the thread that forked (real_parent->pid),
# which /proc does not show: a child forked by a thread other than the main
# one must carry that thread's id, at its clone exit and at its execve exit,
# and sysdig's proc.ppid must be that thread's id (it shows the ptid). Once that thread has
# exited, the kernel hands its children to the main thread; an exec by a
# second thread of the child keeps its real parent. Truth: what the
# forking thread printed (gettid, getpid).
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
"$PDIG" -w "$WORK/cap.scap" "$HELPERS/thread_fork" >"$WORK/truth"
expect_eq "$?" 0 "thread_fork exits 0"
expect_eq "$(grep -c '^\(forker\|orphan\|thexec\)|' "$WORK/truth")" 3 "three forks"
sysdig -r "$WORK/cap.scap" -p '*%evt.type|%evt.rawres|%thread.tid|%evt.rawarg.ptid|%proc.ppid' \
	"evt.dir=< and evt.type in (clone,clone3,fork,vfork,execve)" >"$WORK/events" 2>"$WORK/events.err"
while IFS="|" read -r what forker child pid; do
	expect_grep "$WORK/events" "^(clone|clone3|fork|vfork)\|0\|$child\|$forker\|$forker$" \
		"$what: the child's clone exit has ptid $forker (the forking thread, not process $pid), and proc.ppid $forker"
	case $what in
	forker) expect_grep "$WORK/events" "^execve\|0\|$child\|$forker\|$forker$" "$what: the child's execve exit has ptid $forker, and proc.ppid $forker" ;;
	orphan) expect_grep "$WORK/events" "^execve\|0\|$child\|$pid\|" "$what: after the forking thread exited, the execve exit has ptid $pid (the main thread)" ;;
	thexec) expect_grep "$WORK/events" "^execve\|0\|$child\|$forker\|" "$what: a second thread's exec keeps ptid $forker (exec keeps the real parent)" ;;
	esac
done < <(grep '^\(forker\|orphan\|thexec\)|' "$WORK/truth")
finish
