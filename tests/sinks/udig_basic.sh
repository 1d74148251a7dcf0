#!/bin/bash
# N events from one producer reach `sysdig -u` intact, complete and in order.
source "$(dirname "$0")/udig_lib.sh"
N=20000
start_consumer -v -p '*%thread.tid %evt.dir %evt.type %evt.args'
"$PRODUCER" seq $N 4001 > "$WORK/prod" || fail "producer failed"
grep -q "written=$N dropped=0 discarded=0" "$WORK/prod" || fail "producer stats: $(cat "$WORK/prod")"
drain
stop_consumer
awk -v n=$N 'BEGIN { for (i = 0; i < n; i++)
  printf "4001 %s close %s=%d \n", i % 2 ? "<" : ">", i % 2 ? "res" : "fd", int(i / 2) }' > "$WORK/expect"
diff -q "$WORK/expect" "$WORK/out" >/dev/null ||
  { diff "$WORK/expect" "$WORK/out" | head; fail "events differ from what was written"; }
grep -qx "Driver Events:$N" "$WORK/out.err" || fail "wrong Driver Events"
grep -qx "Driver Drops:0" "$WORK/out.err" || fail "driver drops"
echo "PASS: $N events intact and in order"
