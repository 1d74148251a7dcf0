#!/bin/bash
# Bad input to the plugin gets a clear error and never crashes Falco:
# init configs it cannot use, a schema that is not the host's, a folder
# it cannot use, a ring already held by a live consumer, a stale or
# foreign file where the ring goes, and damage done to the live ring.
# pdig, on its side, refuses a foreign ring with one line and runs its
# program all the same.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

# fails_with VERSION WHAT INIT PARAMS REGEX: Falco stops by itself, with a
# non-zero status that is not a signal's, and says REGEX
fails_with() {
	local out=$WORK/err-$RANDOM.out
	start_falco "$1" "$out" "$3" "$4"
	wait_falco "$out" "$1: $2"
	[ "$FRC" -ne 0 ] && ok "$1: $2: Falco refused to start" || fail "$1: $2: Falco ran (status 0)"
	expect_grep "$out" "$5" "$1: $2: the error says why"
}

for v in "${FALCO_VERSIONS[@]}"; do
	fails_with "$v" "unknown schema" '{"schema":"9.9.9"}' "" 'unknown schema "9.9.9"'
	fails_with "$v" "unknown key" '{"bogus":"x"}' "" "bogus"
	fails_with "$v" "not JSON" 'not json' "" "not a valid json"
	fails_with "$v" "a folder that does not exist" '' "$WORK/nonexistent" \
		"pdig: cannot create the ring in $WORK/nonexistent: No such file or directory"
done
fails_with 0.44.1 "Falco 0.42's schema forced on Falco 0.44" '{"schema":"0.22"}' "" \
	'asks for event schema 4.0.1, but the host parses schema 4.5.1'
fails_with 0.42.0 "Falco 0.44's schema forced on Falco 0.42" '{"schema":"4.5.1"}' "" \
	'asks for event schema 4.5.1, but the host parses schema 4.0.1'

# the matching override is accepted
ring=$WORK/ring-ok
mkdir -p "$ring"
start_falco 0.44.1 "$WORK/ok.out" '{"schema":"0.25"}' "$ring"
expect_eq "$(wait_ring "$ring")" 4.5.1 "0.44.1: {\"schema\":\"0.25\"} is the host's: accepted"
first=$FPID

# a second Falco on the same ring is refused while the first lives
fails_with 0.42.0 "a ring held by another consumer" '' "$ring" "$ring/pdig-ring is in use by another consumer"
FPID=$first

# damage to the live ring: a lying record length, then a head far ahead
# of the tail; the plugin skips what it cannot frame and goes on
dump=$SCHEMAS/libs-0.25.4.json
"$RING_FEED" garbage "$ring" >/dev/null || fail "garbage"
sleep 0.3
"$RING_FEED" header "$ring" >/dev/null || fail "header"
sleep 0.3
if [ -r "$dump" ]; then
	python3 "$TESTS_PLUGIN/make_events.py" "$dump" "$WORK/ev" || fail "make_events"
	"$RING_FEED" feed "$ring" "$WORK/ev" >/dev/null
	for i in $(seq 100); do grep -q SENSITIVE_READ "$WORK/ok.out" && break; sleep 0.1; done
	expect_grep "$WORK/ok.out" 'SENSITIVE_READ file=/etc/shadow' "0.44.1: after the damage, events flow again"
else
	skip_part "events after the damage" "no schema dump $dump"
fi
stop_falco "$WORK/ok.out" "0.44.1 after a damaged ring"
expect_eq "$FRC" 0 "0.44.1 after a damaged ring: a clean exit"

# a stale ring (its consumer was killed) and a foreign file are replaced
ring=$WORK/ring-stale
mkdir -p "$ring"
head -c 10000 /dev/urandom >"$ring/pdig-ring"
start_falco 0.42.0 "$WORK/stale.out" '' "$ring"
expect_eq "$(wait_ring "$ring")" 4.0.1 "0.42.0: a foreign file where the ring goes is replaced"
kill -KILL "$FPID"; wait "$FPID" 2>/dev/null
[ -e "$ring/pdig-ring" ] && ok "a killed consumer leaves its ring behind" || fail "ring vanished"
start_falco 0.44.1 "$WORK/stale2.out" '' "$ring"
expect_eq "$(wait_ring "$ring")" 4.5.1 "0.44.1: a dead consumer's ring is taken over"
stop_falco "$WORK/stale2.out" "0.44.1 on a taken-over ring"

# pdig meets a foreign file: one line, and the program runs
head -c 10000 /dev/urandom >"$ring/pdig-ring"
PDIG_RING_DIR=$ring "$PDIG" /bin/true 2>"$WORK/pdig.err"
expect_eq "$?" 0 "pdig with a foreign ring file: the program runs"
expect_eq "$(grep -c "pdig-ring: not a pdig ring" "$WORK/pdig.err")" 1 "pdig says once that it is not a ring"
finish
