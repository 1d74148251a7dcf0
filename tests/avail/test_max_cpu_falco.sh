#!/bin/bash
# --max-cpu through Falco 0.44.1 with the pdig plugin: pdig sheds (a budget
# below the floor) while feeding the pdig ring. The plugin tells Falco, in
# its log, how many events pdig dropped in all and that they were shed for
# the budget (the ring header's n_drops and n_shed): exactly the events a
# schema 4.5.1 driver would have sent for the calls Falco did not see,
# counted from the calls the program made and the exits Falco alerted on
# (avail_rules.yaml), not from pdig's own count. The drop markers pdig writes elsewhere never enter the ring (the
# plugin refuses them as a forgery risk), so it skips nothing.
. "$(dirname "$0")/avail_lib.sh"
[ -n "${PLUGIN:-}" ] || skip_test "no plugin in this build (musl)"
. "$(dirname "$0")/../plugin/plugin_lib.sh"
RULES=$(cd "$(dirname "$0")" && pwd)/avail_rules.yaml
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
# what was shed: sendto (no destination) and the opens of /dev/null only
expect_grep "$WORK/pdig.err" '^pdig: --max-cpu: events shed by syscall: sendto [0-9]+ openat [0-9]+$' \
	"pdig shed sendto and openat only"
# Schema 4.5.1 (libs 0.25): sendto's enter is old (EF_OLD_VERSION, not
# sent), openat's (PPME_SYSCALL_OPENAT_2_E) is sent: 1 and 2 events a call.
# Falco alerts on exits; each call not seen was shed.
made_sendto=$(( $(made sendto phase1 "$WORK/pdig.out") + $(made sendto phase2 "$WORK/pdig.out") ))
made_openat=$(( $(made openat phase1 "$WORK/pdig.out") + $(made openat phase2 "$WORK/pdig.out") + 1 ))
seen_sendto=$(grep -c 'AVAIL_EVT sendto <' "$out") seen_openat=$(grep -c 'AVAIL_EVT openat <' "$out")
total=$(( (made_sendto - seen_sendto) + 2 * (made_openat - seen_openat) ))
echo "sendto: $made_sendto made, $seen_sendto seen; openat: $made_openat made, $seen_openat seen: $total events shed"
[ "$seen_sendto" -ge "$(made sendto phase2 "$WORK/pdig.out")" ] && [ "$seen_sendto" -lt "$made_sendto" ] &&
	ok "Falco saw every sendto of phase 2 and not all of phase 1" || fail "Falco saw $seen_sendto of $made_sendto sendto calls"
expect_grep "$WORK/pdig.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' "pdig fed the ring and lost nothing to it"
expect_grep "$out" "pdig producers dropped $total events in all \\($total shed to keep within pdig --max-cpu, 0 because the ring was full;" \
	"Falco's log: the plugin counts exactly the $total events pdig shed"
expect_no_grep "$out" 'skipping events|bad event' "the plugin skipped no event (no drop marker entered the ring)"
finish
