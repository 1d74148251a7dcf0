#!/bin/bash
# Dropping mode (never enabled by sysdig 0.29.3, so the producer switches it
# on by hand): sub-second sampling, never/always-drop syscalls, stateless
# failed close exits, and DROP_E/DROP_X around the dropping period.
source "$(dirname "$0")/udig_lib.sh"
start_consumer -D -p '*%thread.tid %evt.dir %evt.type %evt.args'
"$PRODUCER" sample 4400 > "$WORK/prod" || fail "producer: $(cat "$WORK/prod")"
drain
stop_consumer
printf '%s \n' '4400 > getuid' '4400 < getuid uid=900001(<NA>)' '4400 > drop ratio=2' \
  '4400 > close fd=9' '4400 < drop ratio=2' '4400 > getuid' '4400 < getuid uid=900003(<NA>)' > "$WORK/expect"
diff "$WORK/expect" "$WORK/out" || fail "sampled stream differs"
echo "PASS: dropping mode"
