#!/bin/bash
# pdig -p PID on a running two-thread program: events from both threads,
# named from the start; signals sent meanwhile arrive exactly once; SIGINT
# detaches promptly and leaves the program running, untraced.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/l
start_looper "$D" || { fail "looper"; finish; }
N=5

attached_session() {
	"$PDIG" -p "$LPID" 2>"$WORK/pdig.err" &
	PP=$!
	wait_for 5 traced_by "$LPID" "$PP" || echo "not attached in 5 s"
	# let both threads make a few rounds under the tracer
	local t0; t0=$(worker_ticks "$D")
	wait_for 5 eval '[ $(worker_ticks "$D") -ge $((t0 + 5)) ] && [ $(ticks "$D") -ge 5 ]'
	# one at a time, each counted before the next: two pending at once
	# would merge into one (standard signals do not queue)
	local i
	for i in $(seq $N); do
		kill -USR1 "$LPID"
		wait_for 5 eval '[ "$(st_u64 "$D" 8)" -ge $i ]' || echo "SIGUSR1 #$i not counted in 5 s"
	done
	T_INT=$(date +%s%N)
	kill -INT "$PP"
	wait_exit "$PP" 5
	T_INT=$((($(date +%s%N) - T_INT) / 1000000))
}

consume_run "$WORK/out" '%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%fd.name' \
	evt.type=openat -- attached_session

expect_eq "$WRC" 0 "pdig exits 0 after SIGINT"
[ "$T_INT" -lt 3000 ] && ok "detach took ${T_INT} ms" || fail "detach took ${T_INT} ms"
expect_eq "$(cat "$WORK/pdig.err")" "" "pdig printed nothing on stderr"
expect_grep "$WORK/out" "^looper\|$LPID\|$MTID\|<\|openat\|$D/main.txt$" "main thread's openat, named looper, pid $LPID"
expect_grep "$WORK/out" "^looper\|$LPID\|$WTID\|<\|openat\|$D/worker.txt$" "worker thread's openat, named looper, pid $LPID"
expect_no_grep "$WORK/out" "^looper\|$LPID\|$MTID\|<\|openat\|.*worker" "no worker file on the main tid"
expect_no_grep "$WORK/out" "^(<NA>|looper\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|$)" "every event is named and has its fd name"

# the looper after the detach
kill -0 "$LPID" 2>/dev/null && ok "looper still runs" || fail "looper is gone"
expect_eq "$(status_field "$LPID" TracerPid)" 0 "main thread no longer traced"
expect_eq "$(status_field "$LPID/task/$WTID" TracerPid)" 0 "worker thread no longer traced"
case "$(proc_state "$LPID")" in t|T|Z|"") fail "looper state '$(proc_state "$LPID")'" ;; *) ok "looper not stopped" ;; esac
advances ticks "$D" && ok "main thread makes progress" || fail "main thread stuck"
advances worker_ticks "$D" && ok "worker thread makes progress" || fail "worker thread stuck"
expect_eq "$(st_u64 "$D" 8)" $N "each of the $N SIGUSR1 arrived exactly once"
expect_eq "$(st_u64 "$D" 16)/$(st_u32 "$D" 24)" 0/0 "no other signal reached the looper"

# and it can be attached again (nothing left behind)
"$PDIG" -p "$LPID" -o "$WORK/second.txt" 2>"$WORK/pdig2.err" &
PP=$!
wait_for 5 traced_by "$LPID" "$PP" && ok "attach again" || fail "second attach"
wait_for 5 grep -q openat "$WORK/second.txt"
kill -TERM "$PP"
wait_exit "$PP" 5
expect_eq "$WRC" 0 "SIGTERM detaches too, exit 0"
expect_grep "$WORK/second.txt" "looper\($WTID\) < openat" "text sink names the attached thread (not ?(tid))"

kill -KILL "$LPID"
finish
