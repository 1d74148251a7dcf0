#!/bin/bash
# The program ends (SIGKILL of its process, exit_group from a sibling)
# while its new threads are parked on their way between pdig's tracer
# threads (docs/scale.md "The park"): pdig ends with it, in time, with the
# program's status, every handover given either taken or counted failed,
# and no park left unfinished (the parked thread's helper reaped).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

# run MODE DELAY_US WANT_STATUS
run() {
	local mode=$1 delay=$2 want=$3 name="$1-$2"
	timeout -k 2 30 "$PDIG" --threads 2 -v -o /dev/null "$HELPERS/park_kill" "$mode" "$delay" \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	local rc=$?
	expect_eq "$rc" "$want" "$name: pdig ends with the program's status (124 would be a hang)"
	expect_grep "$WORK/$name.err" 'parks left unfinished: 0$' "$name: no park left unfinished"
	# what was given was taken or failed (per thread: in, out, failed)
	local outs ins failed
	outs=$(awk '/^pdig: tracer thread/{s += $11} END{print s + 0}' "$WORK/$name.err")
	ins=$(awk '/^pdig: tracer thread/{s += $9} END{print s + 0}' "$WORK/$name.err")
	failed=$(awk '/^pdig: tracer thread/{s += $13} END{print s + 0}' "$WORK/$name.err")
	expect_eq "$((ins + failed))" "$outs" "$name: every handover given was taken or failed ($outs out, $ins in, $failed failed)"
	# parks the program's end cut short (a thread or its helper dead in
	# the clone, in the vfork wait, or between the taker's seize and its
	# first stop): what this test is about
	local d
	d=$(sed -n 's/.*parks ended by a death: \([0-9]*\);.*/\1/p' "$WORK/$name.err")
	deaths=$((deaths + ${d:-0}))
}

deaths=0
for delay in 2000 20000 100000; do
	run kill "$delay" 137
	run exit "$delay" 3
done
# a death lands in a park by chance: more short runs until one did (bounded)
for round in 1 2 3 4 5 6 7 8 9 10; do
	[ "$deaths" -gt 0 ] && break
	for delay in 1000 2000 3000 5000; do
		run kill "$delay" 137
		run exit "$delay" 3
	done
done
[ "$deaths" -gt 0 ] && ok "$deaths parks were ended by the program's end" ||
	fail "no park was ended by the program's end: the test did not test what it names"
# (park_kill exec, an execve from a sibling while threads are made, is
# test_park_exec.sh: it needs hundreds of runs)
finish
