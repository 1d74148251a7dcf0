#!/bin/bash
# 50 000 close(-1) traced by pdig into a live `sysdig -u -v`: sysdig
# decodes exactly 50 000 enters and 50 000 exits (all EBADF), or the drop
# counters of both sides explain the difference exactly.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
N=50000
consume_run "$WORK/out" '*%evt.dir %evt.res' "evt.type=close" -- \
	"$PDIG" -v -e trace=close "$HELPERS/loss_calls" close $N 2>"$WORK/pdig.err"
expect_eq "$PRC" 0 "loss_calls exits 0"
cat "$WORK/pdig.err" "$WORK/out.err"
E=$(grep -c '^> ' "$WORK/out") X=$(grep -c '^< EBADF$' "$WORK/out")
PD=$(sed -n 's/^pdig: udig: .*dropped \([0-9]*\),.*/\1/p' "$WORK/pdig.err")
PW=$(sed -n 's/^pdig: udig: events written \([0-9]*\),.*/\1/p' "$WORK/pdig.err")
SD=$(sed -n 's/^Driver Drops:\([0-9]*\)$/\1/p' "$WORK/out.err")
SE=$(sed -n 's/^Driver Events:\([0-9]*\)$/\1/p' "$WORK/out.err")
expect_eq "$SD" "$PD" "sysdig's Driver Drops equal pdig's dropped count"
# Driver Events counts attempts (written, dropped and drop markers).
[ "${SE:-0}" -ge $((PW + PD)) ] && ok "Driver Events ($SE) >= written + dropped" || fail "Driver Events $SE < $PW + $PD"
expect_eq "$((E + X + PD))" $((2 * N)) "enters ($E) + exits ($X) + dropped ($PD) = 2 x $N"
expect_eq "$(grep -vc '^> <NA>$\|^< EBADF$' "$WORK/out")" 0 "every close exit is EBADF"
finish
