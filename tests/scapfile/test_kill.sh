#!/bin/bash
# pdig -w killed with SIGKILL: the file it leaves opens with sysdig -r
# (exit 0) and holds the events up to the last flush (<= ~100 ms old).
. "$(dirname "$0")/../e2e/lib.sh"
for delay in 1 1.3; do
	"$PDIG" -w "$WORK/k.scap" /bin/sh -c 'while :; do : </etc/hostname; done' &
	pid=$!
	sleep "$delay"
	kill -9 $pid
	killed=$(date +%s%N)
	wait $pid 2>/dev/null
	sysdig -r "$WORK/k.scap" -p '%evt.rawtime %proc.name %evt.dir %evt.type %fd.name' >"$WORK/k.out" 2>"$WORK/k.err"
	rc=$?
	# A kill that lands inside a flush's write(2) can cut the last block;
	# sysdig then still prints every whole event and says so (exit 1).
	if [ "$rc" = 0 ] || { [ "$rc" = 1 ] && grep -q 'Is the file truncated' "$WORK/k.err"; }; then
		ok "after kill -9 at ${delay}s: sysdig -r reads the file (rc $rc)"
	else
		fail "after kill -9 at ${delay}s: sysdig -r exits $rc ($(head -c 200 "$WORK/k.err"))"
	fi
	n=$(grep -c '^[0-9]* sh < openat /etc/hostname$' "$WORK/k.out")
	[ "$n" -gt 100 ] && ok "after kill -9 at ${delay}s: $n opens recorded" || fail "after kill -9 at ${delay}s: only $n opens"
	last=$(tail -1 "$WORK/k.out" | cut -d' ' -f1)
	age=$(( (killed - ${last:-0}) / 1000000 ))
	# flushes every 100 ms; allow for a loaded machine
	[ "$age" -lt 600 ] && ok "last event ${age} ms before the kill" || fail "last event ${age} ms before the kill"
done
finish
