#!/bin/bash
# pdig's side of the pdig ring, with a bare consumer (no Falco): pdig
# feeds a ring asking for a schema it writes, in that schema, records that
# each pass the plugin's checks against pdig's own table; a ring asking
# for a schema pdig cannot write gets one line and no events, and the
# program runs all the same; a tracee cannot write the ring; a consumer
# that goes away mid-run is let go; --wait-consumer holds the program back
# until a consumer comes, so its first event reaches it.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

ring=$WORK/ring
mkdir -p "$ring"
for schema in 4.5.1 4.0.1 1.0.0; do
	"$RING_FEED" consume "$ring" "$schema" 4 >"$WORK/c-$schema" 2>&1 &
	cp=$!
	"$RING_FEED" wait "$ring" 10 >/dev/null || fail "$schema: no consumer"
	PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null' 2>"$WORK/p-$schema.err"
	expect_eq "$?" 0 "$schema: the program ran"
	written=$(sed -n 's/^pdig: ring: events written \([0-9]*\), dropped 0,.*/\1/p' "$WORK/p-$schema.err")
	[ -n "$written" ] && [ "$written" -gt 20 ] && ok "$schema: pdig wrote $written events" ||
		fail "$schema: pdig wrote nothing: $(cat "$WORK/p-$schema.err")"
	wait $cp
	expect_eq "$(cat "$WORK/c-$schema")" "records $written bad 0" \
		"$schema: the consumer got every event, each in schema $schema by pdig's table"
done

# a schema pdig does not know
"$RING_FEED" consume "$ring" 9.9.9 3 >"$WORK/c-999" 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null
PDIG_RING_DIR=$ring "$PDIG" -v /bin/true 2>"$WORK/p-999.err"
expect_eq "$?" 0 "9.9.9: the program ran"
expect_eq "$(grep -c 'the consumer wants event schema 9.9.9, which this pdig cannot write' "$WORK/p-999.err")" 1 \
	"9.9.9: pdig says so once"
expect_grep "$WORK/p-999.err" '^pdig: ring: events written 0,' "9.9.9: and writes nothing"
wait $cp
expect_eq "$(cat "$WORK/c-999")" "records 0 bad 0" "9.9.9: the consumer got nothing"

# the ring is pdig's file: its tracees may not write it
"$RING_FEED" consume "$ring" 4.5.1 3 >"$WORK/c-tamper" 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null
PDIG_RING_DIR=$ring "$PDIG" sh -c "echo garbage >>'$ring/pdig-ring'" 2>"$WORK/p-tamper.err"
[ $? -ne 0 ] && ok "a tracee cannot open the ring for writing" || fail "a tracee wrote the ring"
expect_grep "$WORK/p-tamper.err" 'Permission denied' "... it gets EACCES"
wait $cp
expect_grep "$WORK/c-tamper" '^records [1-9][0-9]* bad 0$' "... and the consumer read only good records"

# the consumer leaves while pdig runs: pdig lets go and discards; a new
# consumer (a restarted Falco) is told how many events it discarded
"$RING_FEED" consume "$ring" 4.5.1 1 >/dev/null 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null
PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'cat /etc/hostname >/dev/null; sleep 2; cat /etc/hostname >/dev/null
	while [ ! -e "$0/pdig-ring" ]; do sleep 0.1; done; sleep 0.5; cat /etc/hostname >/dev/null' "$ring" 2>"$WORK/p-gone.err" &
pp=$!
wait $cp
sleep 1.5
"$RING_FEED" consume "$ring" 4.5.1 3 >"$WORK/c-back" 2>&1 &
cp=$!
wait $pp
expect_eq "$?" 0 "consumer gone: the program ran"
expect_grep "$WORK/p-gone.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0, discarded \(no plugin attached\) [1-9]' \
	"consumer gone: pdig wrote while it was there, then discarded"
wait $cp
discarded=$(sed -n 's/^pdig: ring: .*discarded (no plugin attached) \([0-9]*\)$/\1/p' "$WORK/p-gone.err")
expect_grep "$WORK/c-back" "^records [1-9][0-9]* bad 0 missed ${discarded:-x}\$" \
	"consumer back: the new consumer is told of the $discarded events pdig discarded meanwhile"

# --wait-consumer: pdig started before its consumer; the program's very
# first read (the mark is made at run time) still reaches the consumer
rm -f "$ring/pdig-ring"
PDIG_RING_DIR=$ring "$PDIG" -v --wait-consumer 20 sh -c 'cat /nonexistent/pdig-first-$((0))read 2>/dev/null; true' \
	2>"$WORK/p-wait.err" &
pp=$!
sleep 1
"$RING_FEED" consume "$ring" 4.5.1 3 pdig-first-0read >"$WORK/c-wait" 2>&1 &
cp=$!
wait $pp
expect_eq "$?" 0 "wait: the program ran"
wait $cp
expect_grep "$WORK/c-wait" ' marked [1-9]' "wait: the program's first read reached the consumer that came 1 s after pdig"
expect_grep "$WORK/p-wait.err" 'discarded \(no plugin attached\) 0$' "wait: pdig discarded nothing"
expect_no_grep "$WORK/p-wait.err" 'no consumer of the pdig ring' "wait: and gave no warning"
# nobody comes: one line after the wait, then the program runs
rm -f "$ring/pdig-ring"
t0=$(date +%s%N)
PDIG_WAIT_CONSUMER=0.5 PDIG_RING_DIR=$ring "$PDIG" sh -c 'echo ran' >"$WORK/p-nowait.out" 2>"$WORK/p-nowait.err"
took=$((($(date +%s%N) - t0) / 1000000))
expect_eq "$(cat "$WORK/p-nowait.out")" ran "wait: with no consumer the program runs all the same"
expect_eq "$(grep -c 'no consumer of the pdig ring after 0.5 s: starting without one' "$WORK/p-nowait.err")" 1 \
	"wait: ... after one warning line (PDIG_WAIT_CONSUMER)"
[ "$took" -ge 500 ] && ok "wait: pdig waited ($took ms)" || fail "wait: pdig did not wait ($took ms)"
# PDIG_RING_DIR set: the consumer wanted is Falco's plugin, not `sysdig -u`
expect_grep "$WORK/p-nowait.err" "^pdig: no consumer of the pdig ring in $ring yet \\(Falco with the pdig plugin\\); events are being discarded" \
	"no consumer: with PDIG_RING_DIR set, pdig names the pdig ring's consumer"
expect_no_grep "$WORK/p-nowait.err" 'sysdig -u' "no consumer: ... and does not send the user to sysdig -u"
PDIG_WAIT_CONSUMER=soon "$PDIG" true 2>"$WORK/p-badwait.err"
expect_eq "$?" 2 "wait: a bad PDIG_WAIT_CONSUMER is a usage error"
finish
