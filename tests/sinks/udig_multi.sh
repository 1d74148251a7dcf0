#!/bin/bash
# 4 producers write concurrently into one consumer: the ring lock keeps every
# event of each intact and in per-producer order.
source "$(dirname "$0")/udig_lib.sh"
P=4; N=30000; BASE=5000
start_consumer -v -p '*%thread.tid %evt.dir %evt.type %evt.args'
"$PRODUCER" multi $P $N $BASE > "$WORK/prod" || fail "producer failed: $(cat "$WORK/prod")"
drain
stop_consumer
grep -qx "Driver Drops:0" "$WORK/out.err" || fail "driver drops"
grep -qx "Driver Events:$((P * N))" "$WORK/out.err" || fail "wrong Driver Events"
[ "$(wc -l < "$WORK/out")" = $((P * N)) ] || fail "got $(wc -l < "$WORK/out") lines, want $((P * N))"
for p in $(seq 0 $((P - 1))); do
  tid=$((BASE + p))
  awk -v n=$N -v t=$tid 'BEGIN { for (i = 0; i < n; i++)
    printf "%d %s close %s=%d \n", t, i % 2 ? "<" : ">", i % 2 ? "res" : "fd", int(i / 2) }' > "$WORK/expect"
  grep "^$tid " "$WORK/out" > "$WORK/got"
  cmp -s "$WORK/expect" "$WORK/got" || fail "producer $tid: $(wc -l < "$WORK/got") lines, differ from expected"
done
# Interleaving proves they really ran concurrently.
runs=$(awk '{ if ($1 != last) r++; last = $1 } END { print r }' "$WORK/out")
[ "$runs" -gt $P ] || fail "producers never interleaved ($runs runs)"
echo "PASS: $P x $N events intact, $runs interleaved runs"
