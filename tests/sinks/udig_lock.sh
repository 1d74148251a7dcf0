#!/bin/bash
# m_buffer_lock: a producer SIGKILLed while holding the lock does not block
# others for long; a live holder is waited for, never robbed; one that
# never lets go makes us drop events (bounded wait) instead of blocking.
source "$(dirname "$0")/udig_lib.sh"
start_consumer -p '*%thread.tid %evt.dir %evt.type %evt.args'
"$PRODUCER" lock dead 4300 > "$WORK/prod" 2>&1 || fail "dead owner: $(cat "$WORK/prod")"
echo "dead owner: $(tr "\n" " " < "$WORK/prod")"
"$PRODUCER" lock live 4301 > "$WORK/prod" 2>&1 || fail "live owner: $(cat "$WORK/prod")"
echo "live owner: $(tr "\n" " " < "$WORK/prod")"
"$PRODUCER" lock stuck 4302 > "$WORK/prod" 2>&1 || fail "stuck owner: $(cat "$WORK/prod")"
echo "stuck owner: $(tr "\n" " " < "$WORK/prod")"
drain
stop_consumer
for t in 4300 4301 4302; do
  grep -qx "$t > close fd=0 " "$WORK/out" && grep -qx "$t < close res=0 " "$WORK/out" ||
    fail "events of $t missing"
done
grep -q '^5302 ' "$WORK/out" && fail "events given up on were written"
echo "PASS: lock owner death and live owner"
