#!/bin/bash
# A hostile tracee (hostile.c: every syscall number with bad pointers, huge
# lengths, bad fds) under `pdig -a`, live into `sysdig -u -v`, then again
# into a capture file: pdig neither crashes nor hangs and exits with the
# program's status; sysdig decodes every event, nothing is dropped, and
# every enter has its exit.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
HOSTILE=${HELPERS:?}/hostile
[ "$(id -u)" = 0 ] || { echo "SKIP: the hostile tracee needs root for its namespaces"; exit 77; }

F='*%thread.tid %evt.dir %evt.type'
# check_pairs OUT TID: every enter of every thread is followed by its
# exit before the thread's next enter; only a thread's very last enter
# may lack one (exit_group, execve, or a child killed in a syscall), and a
# new thread may start with the child side of its clone/fork. For TID (the
# namespace's init, which is never killed) nothing may stay open but its
# exit. A thread's state is forgotten at its procexit (tid reuse).
check_pairs() {
	awk -v main="$2" '
	# a tid is free again after its procexit: after pid wrap a new thread
	# may get it, and starts afresh (the main thread is checked at the end)
	$3 == "procexit" { if ($1 != main) { delete seen[$1]; delete open[$1] } next }
	$3 == "signaldeliver" { next }
	{
		t = $1
		first = !seen[t]; seen[t] = 1
		if ($2 == ">") {
			if (open[t] != "") { bad++; if (bad < 5) print "enter without exit: tid " t " " open[t] " then " $3 }
			open[t] = $3
		} else if ($2 == "<") {
			if (first && $3 ~ /^(clone|clone3|fork|vfork)$/) { n++; next }
			if (open[t] != $3) { bad++; if (bad < 5) print "exit without its enter: tid " t " " $3 " (open: " open[t] ")" }
			open[t] = ""
		}
		n++
	}
	END {
		if (open[main] !~ /^(|exit|exit_group)$/) { bad++; print "main thread " main " ends in " open[main] }
		print "pairs: " n " events, " bad + 0 " bad"
		exit bad ? 1 : 0
	}' "$1"
}

run_live() {
	timeout -k 5 100 "$PDIG" -a -v "$HOSTILE" "$WORK/tid" </dev/null >/dev/null 2>"$WORK/pdig.err"
}
consume_run "$WORK/out" "$F" -- run_live
[ "$PRC" = 77 ] && { echo "SKIP: $(cat "$WORK/pdig.err")"; exit 77; }
expect_eq "$PRC" 0 "live: pdig exits with the hostile program's status 0 (no crash, no hang)"
grep '^hostile:' "$WORK/pdig.err" | tail -3
expect_no_grep "$WORK/out.err" 'corrupt|res = 1' "live: sysdig reports no corruption"
expect_grep "$WORK/out.err" '^Driver Drops:0$' "live: no drops"
expect_no_grep "$WORK/out" '^[0-9]+ [<>] NA$|<NA>.*<NA>' "live: every event type known"
TID=$(cat "$WORK/tid")
if check_pairs "$WORK/out" "$TID" >"$WORK/pairs"; then ok "live: every enter has its exit ($(tail -1 "$WORK/pairs"))"
else fail "live: enter/exit pairs: $(head -5 "$WORK/pairs" | tr '\n' ';')"; fi
ntypes=$(awk '{print $3}' "$WORK/out" | sort -u | wc -l)
[ "$ntypes" -ge 120 ] && ok "live: $ntypes distinct event types" || fail "live: only $ntypes distinct event types"

# The same into a capture file, no consumer.
timeout -k 5 100 "$PDIG" -a -w "$WORK/h.scap" "$HOSTILE" "$WORK/tid" </dev/null >/dev/null 2>"$WORK/pdigw.err"
expect_eq "$?" 0 "-w: pdig exits 0"
sysdig -r "$WORK/h.scap" -p "$F" >"$WORK/file.out" 2>"$WORK/file.err"
expect_eq "$?" 0 "-w: sysdig -r exits 0"
expect_no_grep "$WORK/file.err" 'corrupt|error' "-w: sysdig -r reports no error"
TID=$(cat "$WORK/tid")
if check_pairs "$WORK/file.out" "$TID" >"$WORK/pairs"; then ok "-w: every enter has its exit ($(tail -1 "$WORK/pairs"))"
else fail "-w: enter/exit pairs: $(head -5 "$WORK/pairs" | tr '\n' ';')"; fi
n1=$(wc -l <"$WORK/out"); n2=$(wc -l <"$WORK/file.out")
echo "events: live $n1, file $n2"
[ "$n2" -gt 10000 ] && ok "-w: $n2 events in the file" || fail "-w: only $n2 events in the file"
finish
