#!/bin/bash
# -w in attach mode: the capture names the attached process from its very
# first event (process records written before any event), for every
# thread, and knows the fds opened before the attach. Read back with the
# real `sysdig -r`.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/l
start_looper "$D" || { fail "looper"; finish; }

"$PDIG" -p "$LPID" -e trace=openat,close,write -w "$WORK/cap.scap" 2>"$WORK/pdig.err" &
PP=$!
wait_for 5 traced_by "$LPID" "$PP" || fail "not attached in 5 s"
t0=$(ticks "$D")
wait_for 5 eval '[ $(ticks "$D") -ge $((t0 + 5)) ] && [ $(worker_ticks "$D") -ge 5 ]'
kill -INT "$PP"
wait_exit "$PP" 5
expect_eq "$WRC" 0 "pdig -w exits 0 after SIGINT"

F='*%evt.num|%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%fd.name|%proc.cmdline'
sysdig -r "$WORK/cap.scap" -p "$F" >"$WORK/read" 2>"$WORK/read.err"
expect_eq "$?" 0 "sysdig -r reads the capture"
first=$(head -1 "$WORK/read")
expect_grep <(echo "$first") "^[0-9]+\|looper\|$LPID\|($MTID|$WTID)\|" "first event is named looper, pid $LPID: $first"
expect_grep <(echo "$first") "\|looper $D$" "first event has the cmdline 'looper $D'"
expect_no_grep "$WORK/read" "^[0-9]+\|<NA>\|" "no event of an unknown thread"
expect_grep "$WORK/read" "^[0-9]+\|looper\|$LPID\|$WTID\|<\|openat\|$D/worker.txt\|" "worker thread named, with its pid"
expect_grep "$WORK/read" "^[0-9]+\|looper\|$LPID\|$MTID\|>\|write\|$D/log.txt\|" "write to the fd opened before the attach has its file name"
expect_no_grep "$WORK/read" "\|write\|[^/]" "every write names its file"
kill -KILL "$LPID"
wait "$LPID" 2>/dev/null

# -P -w: the children present at the attach are described too
D=$WORK/f
mkdir -p "$D"
"$HELPERS/forker" "$D" &
wait_for 5 test -s "$D/ids" || { fail "forker did not start"; finish; }
read -r FP K1 K2 <"$D/ids"
"$PDIG" -P "$FP" -w "$WORK/tree.scap" 2>"$WORK/pdig2.err" &
PP=$!
wait_for 5 eval 'traced_by $FP $PP && traced_by $K1 $PP && traced_by $K2 $PP' || fail "-P: not attached in 5 s"
sleep 0.3
kill -INT "$PP"
wait_exit "$PP" 5
expect_eq "$WRC" 0 "pdig -P -w exits 0"
sysdig -r "$WORK/tree.scap" -p '%proc.name|%proc.pid|%proc.ppid|%evt.type|%fd.name' evt.type=openat >"$WORK/tree" 2>&1
expect_grep "$WORK/tree" "^oldkid\|$K1\|$FP\|openat\|$D/old.txt$" "-P -w: pre-existing child named, with its parent"
expect_grep "$WORK/tree" "^forker\|[0-9]+\|$FP\|openat\|$D/new.txt$" "-P -w: new child named, with its parent"
expect_no_grep "$WORK/tree" "^<NA>" "-P -w: no unknown thread"
kill -KILL "$FP"
finish
