#!/bin/bash
# SIGTERM, SIGINT and SIGHUP end pdig (README, Usage): the signal goes on
# to the program while it runs; once the program has exited, pdig kills
# the processes it still traces (they carry its seccomp filter, so they
# cannot be left running untraced), reaps them, says so and exits with the
# program's status; a second signal while the program still runs kills
# everything at once. The leftovers here ignore the three signals and keep
# forking, so only pdig can end them; the real `sysdig -u` sees them die.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

export PIDS=$WORK/pids
# background loops that ignore TERM, INT and HUP and fork sleeps and
# shells, each noting its pid
LEFT='(trap "" TERM INT HUP; while :; do sleep 0.2; done) & echo $! >>"$PIDS"
(trap "" TERM INT HUP; while :; do sh -c "echo \$\$ >>\"\$PIDS\"; sleep 0.3"; done) & echo $! >>"$PIDS"'

# end_run NAME SIG SCRIPT: `timeout -s SIG 2 pdig sh -c SCRIPT` (a pdig
# still there 15 s later is killed, and its tracees with it); sets RC
# (pdig's own status) and MS (elapsed)
end_run() {
	local name=$1 sig=$2 script=$3 t0
	: >"$PIDS"
	t0=$(date +%s%N)
	timeout --preserve-status -k 15 -s "$sig" 2 \
		"$PDIG" sh -c "$script" 2>"$WORK/$name.err"
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
}

# every noted process is gone (or a zombie its new parent has yet to reap)
expect_gone() {
	local p st left=""
	sleep 0.2
	for p in $(cat "$PIDS"); do
		st=$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)
		[ -n "$st" ] && [ "$st" != Z ] && left="$left $p($st)"
	done
	[ "$(grep -c . "$PIDS")" -ge 2 ] || fail "$1: the leftovers did not start"
	if [ -z "$left" ]; then ok "$1: no traced process left"; else fail "$1: still running:$left"; fi
}

# the program exits at once, the leftovers run on; SIGTERM at 2 s
consume_run "$WORK/term.out" '%proc.name %evt.type %evt.args' evt.type=procexit -- \
	end_run term TERM "$LEFT
exit 3"
expect_eq "$RC" 3 "SIGTERM after the program exited: the program's status"
[ "$MS" -lt 5000 ] && ok "SIGTERM: pdig ended in ${MS} ms" || fail "SIGTERM: pdig took ${MS} ms"
expect_gone "SIGTERM"
expect_grep "$WORK/term.err" '^pdig: ended by SIGTERM: killed [0-9]+ traced process' "SIGTERM: pdig says what it killed"
n=$(grep -c 'procexit .*sig=9(SIGKILL)' "$WORK/term.out")
[ "$n" -ge 2 ] && ok "sysdig sees $n leftovers killed (procexit sig=9)" ||
	fail "sysdig sees $n procexit with sig=9 ($WORK/term.out)"

for sig in INT HUP; do
	end_run "$sig" "$sig" "$LEFT
exit 3"
	expect_eq "$RC" 3 "SIG$sig after the program exited: the program's status"
	[ "$MS" -lt 5000 ] && ok "SIG$sig: pdig ended in ${MS} ms" || fail "SIG$sig: pdig took ${MS} ms"
	expect_gone "SIG$sig"
	expect_grep "$WORK/$sig.err" "^pdig: ended by SIG$sig: killed" "SIG$sig: pdig says what it killed"
done

# the program still runs and dies of the signal: its status, then the rest
end_run dies TERM "$LEFT
while :; do sleep 0.1; done"
expect_eq "$RC" 143 "SIGTERM kills the program: 128+15"
[ "$MS" -lt 5000 ] && ok "program killed: pdig ended in ${MS} ms" || fail "program killed: pdig took ${MS} ms"
expect_gone "program killed"

# the program ignores SIGTERM: its shutdown is its own, pdig waits; a
# second SIGTERM a second later ends everything
: >"$PIDS"
"$PDIG" sh -c "trap '' TERM; $LEFT
while :; do sleep 0.1; done" 2>"$WORK/twice.err" &
pp=$!
sleep 1
kill -TERM $pp
kill -TERM $pp # twice at once counts once
sleep 1.2
if kill -0 $pp 2>/dev/null; then ok "one SIGTERM the program ignores: pdig goes on"; else fail "pdig ended on the first SIGTERM"; fi
t0=$(date +%s%N)
kill -TERM $pp
timeout -s KILL 10 tail --pid=$pp -f /dev/null
kill -KILL $pp 2>/dev/null # a pdig that did not end
wait $pp
RC=$?
MS=$((($(date +%s%N) - t0) / 1000000))
expect_eq "$RC" 137 "second SIGTERM: the program was killed (128+9)"
[ "$MS" -lt 3000 ] && ok "second SIGTERM: pdig ended in ${MS} ms" || fail "second SIGTERM: pdig took ${MS} ms"
expect_gone "second SIGTERM"
finish
