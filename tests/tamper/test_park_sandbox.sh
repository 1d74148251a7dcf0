#!/bin/bash
# A process with a seccomp filter of its own is not parked (docs/scale.md
# "The park"): its filter could refuse the park's clone (Chromium's and
# Firefox's sandboxes answer unusual clone flags with SIGSYS; other
# profiles kill or fail the call), and the park's clone would then kill
# the program, reset its SIGSYS handler or bypass its policy. With
# --threads 2 park_sandbox's sandboxed child must fare exactly as with
# --threads 1 (the first park: every child killed by SIGSYS in kill mode,
# the whole program dead of SIGSYS in trap mode).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

for mode in trap kill errno; do
	for n in 1 2; do
		timeout -k 2 60 "$PDIG" --threads $n -v -o "$WORK/$mode-$n.txt" "$HELPERS/park_sandbox" "$mode" 30 \
			>"$WORK/$mode-$n.out" 2>"$WORK/$mode-$n.err"
		expect_eq "$?" 0 "$mode, --threads $n: pdig and the program end normally"
	done
	cat "$WORK/$mode-2.out"
	grep -E '^pdig: parks' "$WORK/$mode-2.err"
	expect_eq "$(cat "$WORK/$mode-2.out")" "$(cat "$WORK/$mode-1.out")" "$mode: --threads 2 ends as --threads 1 does"
	expect_grep "$WORK/$mode-2.out" '^children ok 30 killed 0 .* sigsys 0 threads 30 sandboxed exit 0$' \
		"$mode: every child and thread of the sandboxed process ran"
	# its forks and threads stayed on their tracer thread (not parked)
	expect_grep "$WORK/$mode-2.err" 'not parked [^:]*: [1-9]' \
		"$mode: the sandboxed process's new tasks were not parked"
	if grep -qE 'sig=SIGSYS' "$WORK/$mode-2.txt"; then
		fail "$mode: a SIGSYS was delivered under --threads 2"
	else
		ok "$mode: no SIGSYS delivered"
	fi
done
finish
