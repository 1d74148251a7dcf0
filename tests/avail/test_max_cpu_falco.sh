#!/bin/bash
# --max-cpu through Falco 0.44.1 with the pdig plugin: pdig sheds (a budget
# below the floor) while feeding the pdig ring. The plugin tells Falco, in
# its log, how many events pdig dropped in all and that they were shed for
# the budget (the ring header's n_drops and n_shed): exactly pdig's own
# count. The drop markers pdig writes elsewhere never enter the ring (the
# plugin refuses them as a forgery risk), so it skips nothing.
. "$(dirname "$0")/avail_lib.sh"
[ -n "${PLUGIN:-}" ] || skip_test "no plugin in this build (musl)"
. "$(dirname "$0")/../plugin/plugin_lib.sh"
e2e_isolate "$@"

out=$WORK/falco.out
start_falco 0.44.1 "$out" "" ""
wait_ring /dev/shm >/dev/null || { fail "no ring in /dev/shm: $(tail -3 "$out")"; stop_falco "$out" falco; finish; }
"$PDIG" -v --max-cpu $FLOOR_BUDGET "$HELPERS/avail_load" 2 $PAUSE $ROUNDS2 $RATE $RATE2 \
	>"$WORK/pdig.out" 2>"$WORK/pdig.err"
expect_eq "$?" 0 "pdig and the program exit 0"
cat "$WORK/pdig.err"
sleep 1 # the plugin's last read of the ring
stop_falco "$out" falco
expect_eq "$FRC" 0 "Falco exited cleanly"
grep 'pdig producers dropped' "$out"
total=$(sed -n 's/^pdig: --max-cpu [0-9.]*: .*events shed \([0-9]*\):.*/\1/p' "$WORK/pdig.err")
[ "${total:-0}" -gt 0 ] && ok "pdig shed $total events" || fail "pdig shed nothing"
expect_grep "$WORK/pdig.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' "pdig fed the ring and lost nothing to it"
expect_grep "$out" "pdig producers dropped $total events in all \\($total shed to keep within pdig --max-cpu, 0 because the ring was full;" \
	"Falco's log: the plugin counts exactly the $total events pdig shed"
expect_no_grep "$out" 'skipping events|bad event' "the plugin skipped no event (no drop marker entered the ring)"
finish
