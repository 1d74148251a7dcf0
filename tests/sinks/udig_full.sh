#!/bin/bash
# Ring full: a flood far larger than 8 MiB. The producer never blocks, and
# seen + n_drops_buffer == attempted; as with the driver, no DROP_E/DROP_X
# marks the gap (the driver writes those only on dropping-mode changes).
source "$(dirname "$0")/udig_lib.sh"
N=1000000   # 36 bytes each: ~34 MiB
# -D shows the internal drop events; sysdig's debug log goes to stderr.
start_consumer -D -v -p '*%thread.tid %evt.dir %evt.type %evt.args'
"$PRODUCER" flood $N 4100 > "$WORK/prod" || fail "producer failed"
drain
stop_consumer
read -r W D X < <(sed -n 's/^written=\([0-9]*\) dropped=\([0-9]*\) discarded=\([0-9]*\)/\1 \2 \3/p' "$WORK/prod")
ms=$(sed -n 's/elapsed_ms=\([0-9]*\).*/\1/p' "$WORK/prod")
seen=$(grep -c '^4100 . close ' "$WORK/out")
drv_ev=$(sed -n 's/^Driver Events://p' "$WORK/out.err")
drv_drops=$(sed -n 's/^Driver Drops://p' "$WORK/out.err")
echo "written=$W dropped=$D seen=$seen driver: events=$drv_ev drops=$drv_drops producer ${ms}ms"
[ "$ms" -lt 3000 ] || fail "producer blocked: ${ms} ms"
[ "$D" -gt 0 ] || fail "flood did not overflow the ring"
[ "$W" = "$seen" ] || fail "written $W != seen $seen"
[ $((seen + drv_drops)) = $N ] || fail "seen + Driver Drops != $N"
[ "$D" = "$drv_drops" ] || fail "producer drops $D != Driver Drops $drv_drops"
grep -q "^after written=2 dropped=0" "$WORK/prod" || fail "events after the gap: $(cat "$WORK/prod")"
# A full ring is counted in n_drops_buffer only, as the driver does: no
# DROP_E/DROP_X anywhere (those mean a dropping-mode change to a consumer),
# and the two late events come right after the last flood event delivered.
grep -q ' drop ' "$WORK/out" && fail "drop markers after an overflow: $(grep -c ' drop ' "$WORK/out")"
last=$(grep '^4100 ' "$WORK/out" | tail -1)
printf '%s\n' "$last" '4101 > close fd=0 ' '4101 < close res=0 ' > "$WORK/expect"
tail -3 "$WORK/out" | cmp -s - "$WORK/expect" || { tail -3 "$WORK/out"; fail "late events not right after the flood"; }
[ "$drv_ev" = $((N + 2)) ] || fail "Driver Events $drv_ev, want $((N + 2))"
# Order and content: fd/res values never go backwards, pairs never mixed up.
awk '$1 == 4100 && $3 == "close" { split($4, a, "="); v = a[2] + 0;
       if ((($2 == ">") != (a[1] == "fd")) || v < last) { print "bad: " $0; exit 1 } last = v }' \
  "$WORK/out" || fail "events out of order or corrupt"
echo "PASS: flood of $N: $seen seen, $D dropped, no drop markers"
