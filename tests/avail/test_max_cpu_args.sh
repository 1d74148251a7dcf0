#!/bin/bash
# --max-cpu and $PDIG_MAX_CPU: a fraction of one CPU, 0.01-64. A bad value
# is refused before anything runs, with one line naming both spellings,
# and exit status 2 (a usage error); the option beats the variable.
. "$(dirname "$0")/../e2e/lib.sh"
for bad in 0 -1 abc 0.001 65 1e9 0.5x nan inf; do
	"$PDIG" --max-cpu "$bad" true >"$WORK/o" 2>"$WORK/e"; rc=$?
	expect_eq "$rc" 2 "--max-cpu '$bad' is refused with status 2"
	expect_eq "$(wc -l < "$WORK/e")" 1 "... in one line: $(cat "$WORK/e")"
	expect_grep "$WORK/e" "^pdig: --max-cpu / PDIG_MAX_CPU: expected a fraction of one CPU \\(0.01-64\\), got '" "... naming the option and the variable"
	PDIG_MAX_CPU="$bad" "$PDIG" true >"$WORK/o" 2>"$WORK/e"; rc=$?
	expect_eq "$rc" 2 "PDIG_MAX_CPU='$bad' is refused with status 2"
done
# the empty variable means unset, as PDIG_WAIT_CONSUMER's
PDIG_MAX_CPU= "$PDIG" true 2>"$WORK/e"; expect_eq "$?" 0 "PDIG_MAX_CPU= (empty) is no budget"
for good in 0.01 0.3 1 64; do
	"$PDIG" -v --max-cpu "$good" true 2>"$WORK/e"; rc=$?
	expect_eq "$rc" 0 "--max-cpu $good runs the program"
	expect_grep "$WORK/e" "^pdig: --max-cpu $(printf %.2f "$good"): used" "... and -v reports the budget"
done
PDIG_MAX_CPU=0.5 "$PDIG" -v true 2>"$WORK/e"
expect_grep "$WORK/e" '^pdig: --max-cpu 0.50: used' "PDIG_MAX_CPU=0.5 sets the budget"
PDIG_MAX_CPU=abc "$PDIG" -v --max-cpu 0.2 true 2>"$WORK/e"
expect_eq "$?" 0 "--max-cpu beats a bad PDIG_MAX_CPU"
expect_grep "$WORK/e" '^pdig: --max-cpu 0.20: used' "... and its value is the budget"
"$PDIG" -v true 2>"$WORK/e"
expect_no_grep "$WORK/e" 'max-cpu' "no budget: nothing about it in -v"
finish
