#!/bin/bash
# Strangers against the plugin's ring in the real Falco 0.44.1 (anyone who
# can write the ring's folder can do these): a record whose length lies
# makes the plugin skip the ring's contents and say so in Falco's log (not
# only in a metric); the ring's file removed, or replaced by a foreign
# file, is noticed, logged, and made again, and pdig's events reach Falco
# through the new one.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

# wait_log OUT REGEX: up to 5 s for Falco to log it
wait_log() {
	local i
	for i in $(seq 50); do grep -Eq -- "$2" "$1" && return 0; sleep 0.1; done
	return 1
}

ring=$WORK/ring
mkdir -p "$ring"
out=$WORK/falco.out
start_falco 0.44.1 "$out" '' "$ring"
expect_eq "$(wait_ring "$ring")" 4.5.1 "Falco made the ring"

# a resync is logged
"$RING_FEED" garbage "$ring" >/dev/null || fail "garbage"
wait_log "$out" "the ring's framing was broken .* counted in pdig.ring_resyncs" &&
	ok "a resync is logged" || fail "no log line for a resync: $(tail -3 "$out")"

# shown_alerts N WHAT: Falco printed N SENSITIVE_READ alerts within 10 s
shown_alerts() {
	local i
	for i in $(seq 100); do [ "$(count "$out" SENSITIVE_READ)" -ge "$1" ] && break; sleep 0.1; done
	expect_eq "$(count "$out" SENSITIVE_READ)" "$1" "$2"
}

# removed
rm -f "$ring/pdig-ring"
"$RING_FEED" wait "$ring" 5 >/dev/null && ok "removed: the plugin made the ring again" ||
	fail "removed: no ring 5 s later"
expect_grep "$out" "pdig-ring was removed or replaced by someone else \(1 times so far; counted in pdig.ring_lost\): made it again" \
	"removed: the plugin says so"
PDIG_RING_DIR=$ring "$PDIG" sh -c 'cat /etc/shadow >/dev/null' 2>"$WORK/pdig1.err"
shown_alerts 1 "removed: pdig's events reach Falco through the new ring"

# replaced by a foreign file
head -c 10000 /dev/urandom >"$ring/foreign"
mv "$ring/foreign" "$ring/pdig-ring"
"$RING_FEED" wait "$ring" 5 >/dev/null && ok "replaced: the plugin made the ring again" ||
	fail "replaced: no ring 5 s later"
PDIG_RING_DIR=$ring "$PDIG" sh -c 'cat /etc/shadow >/dev/null' 2>"$WORK/pdig2.err"
shown_alerts 2 "replaced: pdig's events reach Falco through the new ring"

stop_falco "$out" "0.44.1 after the attacks"
expect_eq "$FRC" 0 "0.44.1 after the attacks: a clean exit"
finish
