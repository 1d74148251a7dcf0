#!/bin/bash
# pdig -S -p PID: the filter is injected (Seccomp: 2), events flow; a
# SIGINT ends pdig at once, exit 0, and its tracer stays as pdig-keeper
# (the filter cannot be removed), so the process keeps running and its
# traced syscalls keep working (test_attach_keeper.sh hammers that); a
# process that exits while attached gives pdig its exit status.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/l
start_looper "$D" || { fail "looper"; finish; }

session() {
	"$PDIG" -S -p "$LPID" 2>"$WORK/pdig.err" &
	PP=$!
	# with -S the tracer is a child of pdig (keeper.c)
	wait_for 5 eval 'TP=$(s_tracer "$PP"); [ -n "$TP" ] && traced_by "$LPID" "$TP"' || echo "not attached in 5 s"
	wait_for 5 eval '[ "$(status_field "$LPID" Seccomp)" = 2 ]'
	SECCOMP_MAIN=$(status_field "$LPID" Seccomp)
	SECCOMP_WORKER=$(status_field "$LPID/task/$WTID" Seccomp)
	local t0; t0=$(ticks "$D")
	wait_for 5 eval '[ $(ticks "$D") -ge $((t0 + 5)) ]'
	T1=$(date +%s%N)
	kill -INT "$PP"
	wait_exit "$PP" 5
	T2=$(date +%s%N)
	# still traced 300 ms (~30 rounds) later, by the same task
	sleep 0.3
	TRACED_AFTER_1=$(traced_by "$LPID" "$TP" && echo yes)
	KEEPER=$(cat "/proc/$TP/comm" 2>/dev/null)
}

consume_run "$WORK/out" '%evt.rawtime|%proc.name|%thread.tid|%evt.dir|%evt.type|%fd.name' \
	evt.type=openat -- session

expect_eq "$SECCOMP_MAIN/$SECCOMP_WORKER" 2/2 "both threads run under a seccomp filter"
expect_grep "$WORK/out" "^[0-9]+\|looper\|$MTID\|<\|openat\|$D/main.txt$" "openat of the main thread"
expect_grep "$WORK/out" "^[0-9]+\|looper\|$WTID\|<\|openat\|$D/worker.txt$" "openat of the worker thread"
expect_eq "$(wc -l <"$WORK/pdig.err")" 1 "the SIGINT prints one line"
expect_grep "$WORK/pdig.err" "seccomp filter, which cannot be removed" "... the documented one"
expect_eq "$WRC" 0 "the first SIGINT ends pdig, exit 0"
[ $(((T2 - T1) / 1000000)) -lt 1000 ] && ok "... within 1 s" || fail "pdig took $(((T2 - T1) / 1000000)) ms"
expect_eq "$TRACED_AFTER_1/$KEEPER" yes/pdig-keeper "after the SIGINT pdig's tracer keeps the looper, as pdig-keeper"
# still traced: it passes through 't' at each traced syscall, but never stays
running() { case "$(proc_state "$LPID")" in t|T|Z|"") return 1 ;; esac; }
wait_for 2 running && ok "looper not stopped" || fail "looper state '$(proc_state "$LPID")'"
advances ticks "$D" && ok "looper keeps running" || fail "looper stuck"
rm -f "$D/main.txt" "$D/worker.txt"
wait_for 2 test -e "$D/main.txt" && wait_for 2 test -e "$D/worker.txt" &&
	ok "its traced syscalls still work (both threads create their file again)" || fail "openat fails under the keeper"
expect_eq "$(st_u64 "$D" 16)/$(st_u32 "$D" 24)" 0/0 "no signal reached the looper"
kill -KILL "$LPID"
wait "$LPID" 2>/dev/null
wait_for 3 gone "$TP" && ok "the keeper exits with the looper" || fail "the keeper outlived the looper"

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
