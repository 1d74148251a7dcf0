#!/bin/bash
# --max-cpu through a live consumer: the real `sysdig -u` (0.29.3) decodes
# the udig ring while pdig sheds (FLOOR_BUDGET, below the floor: the lowest
# level). What it shows: its "Driver Drops" (the ring header's
# n_drops_buffer) equal the events pdig shed, its "Driver Events" count
# them as offered, the drop enter/exit markers (-D) bracket the narrowing,
# and per kind the events it decoded plus the shed ones are exactly twice
# the calls made; after the pause, phase 2 arrives in full.
. "$(dirname "$0")/avail_lib.sh"
e2e_isolate "$@"

run_pdig() {
	"$PDIG" -v --max-cpu $FLOOR_BUDGET "$HELPERS/avail_load" $SECS $PAUSE $ROUNDS2 $RATE $RATE2 \
		>"$WORK/udig.out" 2>"$WORK/udig.err"
}
consume_run "$WORK/sysdig" '*%evt.type %evt.dir %evt.arg.name' -D -- run_pdig
expect_eq "$PRC" 0 "pdig and the program exit 0"
cat "$WORK/udig.err"
grep '^Driver' "$WORK/sysdig.err"
awk '{ print $1, $2, ($1 == "openat" && $2 == "<") ? $3 : "" }' "$WORK/sysdig" | sed 's/ $//' > "$WORK/udig.ev"

total=$(sed -n 's/^pdig: --max-cpu [0-9.]*: .*events shed \([0-9]*\):.*/\1/p' "$WORK/udig.err")
[ "${total:-0}" -gt 0 ] && ok "pdig shed $total events" || fail "pdig shed nothing"
ring_drops=$(sed -n 's/^pdig: udig: .*dropped \([0-9]*\),.*/\1/p' "$WORK/udig.err")
expect_eq "$ring_drops" 0 "no event lost to a full ring (the exact account needs none)"
drops=$(sed -n 's/^Driver Drops:\([0-9]*\)$/\1/p' "$WORK/sysdig.err")
expect_eq "$drops" "$total" "sysdig's Driver Drops = the events pdig shed"
written=$(sed -n 's/^pdig: udig: events written \([0-9]*\),.*/\1/p' "$WORK/udig.err")
devents=$(sed -n 's/^Driver Events:\([0-9]*\)$/\1/p' "$WORK/sysdig.err")
# Driver Events: every event offered, shed ones too, and the markers
# (the markers pdig writes are events like any other: in written)
expect_eq "$devents" "$((written + total))" "Driver Events = written $written (markers included) + shed $total"
check_account udig "$WORK/udig.ev"
finish
