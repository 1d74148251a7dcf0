#!/bin/bash
# Four pthreads (created with clone3 by glibc) each open a file: each open
# is attributed to its own tid, under one pid.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%fd.name'
consume_run "$WORK/out" "$F" -- "$PDIG" "$HELPERS/threads_open" "$WORK" >"$WORK/stdout"
expect_eq "$PRC" 0 "threads_open exits 0"
pid=$(awk '/^pid/ {print $2}' "$WORK/stdout")
for i in 0 1 2 3; do
	tid=$(awk -v i=$i '$1 == i {print $2}' "$WORK/stdout")
	expect_grep "$WORK/out" "^threads_open\|$pid\|$tid\|<\|openat\|.*thread-$i\.txt$" "thread $i: open under tid $tid, pid $pid"
	expect_grep "$WORK/out" "^threads_open\|$pid\|$tid\|<\|clone3\|" "thread $i: child side of clone3"
	expect_grep "$WORK/out" "^threads_open\|$pid\|$tid\|>\|procexit\|" "thread $i: procexit"
done
expect_eq "$(grep -c '|<|clone3|' "$WORK/out")" 8 "clone3 exits: parent and child side for each thread"
finish
