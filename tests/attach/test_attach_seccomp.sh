#!/bin/bash
# pdig -S -p PID: the filter is injected (Seccomp: 2), events flow; the
# first SIGINT only warns (tracing goes on), the second detaches; a process
# that exits while attached gives pdig its exit status.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/l
start_looper "$D" || { fail "looper"; finish; }

session() {
	"$PDIG" -S -p "$LPID" 2>"$WORK/pdig.err" &
	PP=$!
	wait_for 5 traced_by "$LPID" "$PP" || echo "not attached in 5 s"
	wait_for 5 eval '[ "$(status_field "$LPID" Seccomp)" = 2 ]'
	SECCOMP_MAIN=$(status_field "$LPID" Seccomp)
	SECCOMP_WORKER=$(status_field "$LPID/task/$WTID" Seccomp)
	local t0; t0=$(ticks "$D")
	wait_for 5 eval '[ $(ticks "$D") -ge $((t0 + 5)) ]'
	T1=$(date +%s%N)
	kill -INT "$PP"
	wait_for 5 grep -q . "$WORK/pdig.err"
	# still traced 300 ms (~30 rounds) later
	sleep 0.3
	ALIVE_AFTER_1=$(kill -0 "$PP" 2>/dev/null && echo yes)
	TRACED_AFTER_1=$(traced_by "$LPID" "$PP" && echo yes)
	T2=$(date +%s%N)
	kill -INT "$PP"
	wait_exit "$PP" 5
}

consume_run "$WORK/out" '%evt.rawtime|%proc.name|%thread.tid|%evt.dir|%evt.type|%fd.name' \
	evt.type=openat -- session

expect_eq "$SECCOMP_MAIN/$SECCOMP_WORKER" 2/2 "both threads run under a seccomp filter"
expect_grep "$WORK/out" "^[0-9]+\|looper\|$MTID\|<\|openat\|$D/main.txt$" "openat of the main thread"
expect_grep "$WORK/out" "^[0-9]+\|looper\|$WTID\|<\|openat\|$D/worker.txt$" "openat of the worker thread"
expect_eq "$(wc -l <"$WORK/pdig.err")" 1 "the first SIGINT prints one line"
expect_grep "$WORK/pdig.err" "seccomp filter cannot be removed" "... the documented warning"
expect_eq "$ALIVE_AFTER_1/$TRACED_AFTER_1" yes/yes "after the first SIGINT pdig still traces"
late=$(awk -F'|' -v a="$T1" -v b="$T2" '$1 > a + 100000000 && $1 < b && $4 == "<"' "$WORK/out" | wc -l)
[ "$late" -ge 5 ] && ok "events keep arriving after the first SIGINT ($late exits)" ||
	fail "only $late events between the two SIGINTs"
expect_eq "$WRC" 0 "the second SIGINT detaches, exit 0"
expect_eq "$(status_field "$LPID" TracerPid)" 0 "looper no longer traced"
case "$(proc_state "$LPID")" in t|T|Z|"") fail "looper state '$(proc_state "$LPID")'" ;; *) ok "looper not stopped" ;; esac
advances ticks "$D" && ok "looper keeps running (its traced syscalls now fail)" || fail "looper stuck"
expect_eq "$(st_u64 "$D" 16)/$(st_u32 "$D" 24)" 0/0 "no signal reached the looper"
kill -KILL "$LPID"
wait "$LPID" 2>/dev/null

# the process exits on its own while attached with -S
D2=$WORK/l2
start_looper "$D2" || { fail "looper 2"; finish; }
"$PDIG" -S -p "$LPID" -o "$WORK/text2.txt" 2>"$WORK/pdig2.err" &
PP=$!
wait_for 5 eval '[ "$(status_field "$LPID" Seccomp)" = 2 ]' && ok "filter injected (second run)" || fail "no filter (second run)"
looper_quit "$D2" 7
wait_exit "$PP" 5
expect_eq "$WRC" 7 "pdig -S exits with the process's status (7)"
expect_grep "$WORK/text2.txt" "looper\($LPID\) > procexit" "procexit of the looper"
finish
