#!/bin/bash
# No consumer (never started, or SIGKILLed): nothing is written, the events
# are counted as discarded, and the warning is printed exactly once.
source "$(dirname "$0")/udig_lib.sh"
MSG='pdig: no udig consumer attached (start `sysdig -u`); events are being discarded'
check() {
  "$PRODUCER" nocons 5000 > "$WORK/prod" 2> "$WORK/prod.err" || fail "$1: $(cat "$WORK/prod.err")"
  grep -q "written=0 dropped=0 discarded=5000" "$WORK/prod" || fail "$1: stats $(cat "$WORK/prod")"
  [ "$(wc -l < "$WORK/prod.err")" = 1 ] || fail "$1: stderr: $(cat "$WORK/prod.err")"
  grep -qxF "$MSG" "$WORK/prod.err" || fail "$1: message: $(cat "$WORK/prod.err")"
}
# 1. Nothing in /dev/shm: the producer creates both objects like the consumer.
check "empty /dev/shm"
[ "$(stat -c '%s %a' /dev/shm/udig_buf)" = "8388608 666" ] || fail "udig_buf: $(stat -c '%s %a' /dev/shm/udig_buf)"
[ "$(stat -c '%s %a' /dev/shm/udig_descs)" = "128 666" ] || fail "udig_descs"
[ "$(rd 56)" = 1 ] || fail "m_initialized not set"
# 2. A consumer ran and exited cleanly.
start_consumer -q; stop_consumer
check "after clean exit"
# 3. A consumer was SIGKILLed: its stale PID is detected as dead.
start_consumer -q
kill -KILL "$SP"; wait "$SP" 2>/dev/null; DEADPID=$SP; SP=
[ "$(rd 60)" = "$DEADPID" ] || fail "stale pid not left behind"
check "dead consumer"
# 4. A consumer attached afterwards still works with the objects we made.
start_consumer -p '*%thread.tid %evt.type %evt.args'
"$PRODUCER" seq 2 4200 > /dev/null || fail "producer with consumer"
drain; stop_consumer
grep -q '^4200 close fd=0' "$WORK/out" || fail "consumer after discard saw nothing"
echo "PASS: nothing written without a consumer, one message per run"
