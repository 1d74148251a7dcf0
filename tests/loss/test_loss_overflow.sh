#!/bin/bash
# Overflow the 8 MiB udig ring on purpose: the consumer asks for 65000-byte
# snapshots (-s) and is stopped while pdig traces 400 writes of 64 KiB, so
# at most ~128 exits fit. After it resumes and drains, the write events it
# decoded plus the drops both sides report must add up to exactly 800.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
N=400
# Run pdig while the consumer (its PID is in udig_descs) is stopped.
with_consumer_stopped() {
	local sp; sp=$(rd_u32 60)
	kill -STOP "$sp"
	"$@"
	local rc=$?
	kill -CONT "$sp"
	return $rc
}
consume_run "$WORK/out" '*%evt.dir %evt.res' -s 65000 "evt.type=write" -- \
	with_consumer_stopped "$PDIG" -v -e trace=write "$HELPERS/loss_calls" write $N 65536 2>"$WORK/pdig.err"
expect_eq "$PRC" 0 "loss_calls exits 0"
cat "$WORK/pdig.err" "$WORK/out.err"
E=$(grep -c '^> ' "$WORK/out") X=$(grep -c '^< SUCCESS$' "$WORK/out")
PD=$(sed -n 's/^pdig: udig: .*dropped \([0-9]*\),.*/\1/p' "$WORK/pdig.err")
PW=$(sed -n 's/^pdig: udig: events written \([0-9]*\),.*/\1/p' "$WORK/pdig.err")
SD=$(sed -n 's/^Driver Drops:\([0-9]*\)$/\1/p' "$WORK/out.err")
SE=$(sed -n 's/^Driver Events:\([0-9]*\)$/\1/p' "$WORK/out.err")
[ "${PD:-0}" -gt 0 ] && ok "the ring overflowed ($PD events dropped)" || fail "no drops: the test did not overflow the ring"
expect_eq "$SD" "$PD" "sysdig's Driver Drops equal pdig's dropped count"
# Driver Events counts attempts (written, dropped and drop markers).
[ "${SE:-0}" -ge $((PW + PD)) ] && ok "Driver Events ($SE) >= written + dropped" || fail "Driver Events $SE < $PW + $PD"
expect_eq "$((E + X + PD))" $((2 * N)) "enters ($E) + exits ($X) + dropped ($PD) = 2 x $N"
finish
