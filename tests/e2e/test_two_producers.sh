#!/bin/bash
# Two pdig processes traced at once into one consumer: every event of both
# arrives intact.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
N=300
cat >"$WORK/loop.sh" <<'SH'
i=0; while [ $i -lt $1 ]; do : > "$2.$i"; i=$((i+1)); done
SH
F='*%proc.name|%proc.pid|%evt.dir|%evt.type|%fd.name'
both() {
	"$PDIG" /bin/sh "$WORK/loop.sh" $N "$WORK/a" & local a=$!
	"$PDIG" /bin/sh "$WORK/loop.sh" $N "$WORK/b" & local b=$!
	wait $a; local ra=$?; wait $b; local rb=$?
	return $((ra + rb))
}
consume_run "$WORK/out" "$F" -- both
expect_eq "$PRC" 0 "both producers exit 0"
expect_eq "$(grep -cE "\|<\|openat\|$WORK/a\.[0-9]+$" "$WORK/out")" $N "producer A: every open arrives"
expect_eq "$(grep -cE "\|<\|openat\|$WORK/b\.[0-9]+$" "$WORK/out")" $N "producer B: every open arrives"
expect_grep "$WORK/out.err" '^Driver Drops:0$' "no drops"
expect_no_grep "$WORK/out.err" 'corrupt' "no corruption reported"
finish
