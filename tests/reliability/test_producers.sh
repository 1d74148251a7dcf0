#!/bin/bash
# Several producers on one ring: 4 pdig processes flood one `sysdig -u`
# (12 000 opens of distinct names each); every open of every producer
# arrives, once, undamaged. Then, several times, one producer is killed
# with SIGKILL at a random moment while all flood: the survivors' events
# all still arrive and keep arriving (the udig lock of a dead owner is
# taken over: src/sinks/udig.c).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
OPENER=${HELPERS:?}/opener
N=12000
F='*%evt.rawtime %proc.pid %evt.dir %evt.type %fd.name'
FILTER='evt.type=openat and evt.dir=<'

# count OUT PREFIX: distinct arrived opens of PREFIX.0 .. PREFIX.N-1
count() { grep -E " $2\.[0-9]+$" "$1" | awk '{print $NF}' | sort -u | wc -l; }
dups() { grep -E " $2\.[0-9]+$" "$1" | awk '{print $NF}' | sort | uniq -d | wc -l; }
drops() { sed -n 's/^Driver Drops:\([0-9]*\)$/\1/p' "$1"; }

# ---- 1. four producers at full speed ----
four() {
	local p=() i rc=0
	for i in 1 2 3 4; do
		"$PDIG" "$OPENER" $N "$WORK/p$i" >/dev/null 2>"$WORK/p$i.err" & p+=($!)
	done
	for i in "${p[@]}"; do wait "$i" || rc=1; done
	return $rc
}
consume_run "$WORK/out" "$F" "$FILTER" -- four
expect_eq "$PRC" 0 "4 producers: all exit 0"
expect_no_grep "$WORK/out.err" 'corrupt|res = 1' "4 producers: no corruption"
D=$(drops "$WORK/out.err"); D=${D:-?}
missing=0
for i in 1 2 3 4; do
	c=$(count "$WORK/out" "$WORK/p$i")
	missing=$((missing + N - c))
	expect_eq "$(dups "$WORK/out" "$WORK/p$i")" 0 "producer $i: no open arrives twice"
	[ "$D" = 0 ] && expect_eq "$c" $N "producer $i: all $N opens arrive"
done
if [ "$D" = 0 ]; then ok "4 producers: Driver Drops:0"
elif [ "$D" != "?" ] && [ $missing -le "$D" ]; then ok "4 producers: $missing opens missing, explained by Driver Drops:$D"
else fail "4 producers: $missing opens missing, Driver Drops:$D"; fi
# Nothing else but these names in the output (no damaged event got through).
# (the dynamic loader's opens aside).
LD=' (/etc/ld\.so\.cache|/lib/.*|/usr/lib/.*)$'
expect_eq "$(grep -vE "$LD" "$WORK/out" | grep -cvE " $WORK/p[1-4]\.[0-9]+$")" 0 "4 producers: every line is an intact open of one of them"

# ---- 2. kill -9 one producer at random moments while all flood ----
# (Survivors make fewer opens here: the suite's time budget.)
ROUNDS=3 NS=5000
rounds() {
	local r i rc=0
	for r in $(seq $ROUNDS); do
		local p=()
		"$PDIG" "$OPENER" 100000000 "$WORK/v$r" >/dev/null 2>/dev/null & local v=$!
		for i in 1 2 3; do
			"$PDIG" "$OPENER" $NS "$WORK/s$r.$i" >/dev/null 2>"$WORK/s$r.$i.err" & p+=($!)
		done
		# once the victim has delivered (its second file exists: the
		# first open's exit event is in the ring; a loaded machine or a
		# sanitizer build may take a while to get there), then a random
		# moment within the survivors' run
		for i in $(seq 500); do [ -e "$WORK/v$r.1" ] && break; sleep 0.01; done
		sleep "0.$((RANDOM % 6 + 1))$((RANDOM % 10))"
		local t=$(pgrep -P $v)
		kill -KILL $v
		wait $v 2>/dev/null
		date +%s%N >"$WORK/kill$r"
		for i in "${p[@]}"; do wait "$i" || rc=1; done
		# The victim's program lost its tracer; it must not outlive the test.
		[ -n "$t" ] && kill -KILL $t 2>/dev/null
		# Round over: nothing of the survivors may be lost.
	done
	return $rc
}
consume_run "$WORK/kout" "$F" "$FILTER" -- rounds
expect_eq "$PRC" 0 "kill -9 rounds: every survivor exits 0"
expect_no_grep "$WORK/kout.err" 'corrupt|res = 1' "kill -9 rounds: no corruption"
D=$(drops "$WORK/kout.err"); D=${D:-?}
missing=0
for r in $(seq $ROUNDS); do
	for i in 1 2 3; do
		c=$(count "$WORK/kout" "$WORK/s$r.$i")
		missing=$((missing + NS - c))
		[ "$D" = 0 ] && expect_eq "$c" $NS "round $r survivor $i: all $NS opens arrive"
	done
	# The victim delivered something before its death, with no gap.
	v=$(count "$WORK/kout" "$WORK/v$r")
	[ "$v" -gt 0 ] && ok "round $r victim: $v opens before SIGKILL" || fail "round $r: the victim delivered nothing"
	# Survivors keep delivering right after the kill: the largest gap
	# between consecutive survivor events around the kill moment.
	k=$(cat "$WORK/kill$r")
	gap=$(grep -E " $WORK/s$r\.[1-3]\.[0-9]+$" "$WORK/kout" | awk -v k="$k" '
		{ t = $1 } prev && t > k - 2e9 && t < k + 2e9 && t - prev > g { g = t - prev } { prev = t }
		END { printf "%d", g / 1e6 }')
	echo "round $r: largest survivor gap around the kill: ${gap} ms"
	[ "$gap" -lt 1000 ] && ok "round $r: survivors keep delivering (gap ${gap} ms)" \
		|| fail "round $r: survivors stalled ${gap} ms around the kill"
done
if [ "$D" = 0 ]; then ok "kill -9 rounds: Driver Drops:0"
elif [ "$D" != "?" ] && [ $missing -le "$D" ]; then ok "kill -9 rounds: $missing survivor opens missing, explained by Driver Drops:$D"
else fail "kill -9 rounds: $missing survivor opens missing, Driver Drops:$D"; fi
expect_eq "$(grep -vE "$LD" "$WORK/kout" | grep -cvE " $WORK/[sv][0-9]+(\.[1-3])?\.[0-9]+$")" 0 "kill -9 rounds: every line is an intact open"
finish
