#!/bin/bash
# pdig -P on a process blocked in vfork with 30 children: the attach
# waits (up to 200 ms) for each seized thread of the process it seizes to
# stop, and a vfork parent never stops. On the branch before this, every
# later process paid that wait again for the blocked thread (30 children:
# 6 s instead of 0.13 s); now each process waits for its own threads only.
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/escape" "$WORK/"
chmod 755 "$WORK/escape"

# traced_count PID PDIG: PID and its children traced by a thread of PDIG
# (-P serves them on several tracer threads, docs/scale.md)
traced_count() {
	local p n=0 tp
	for p in $1 $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
		tp=$(awk '$1 == "TracerPid:" {print $2}' "/proc/$p/status" 2>/dev/null)
		[ -n "$tp" ] && [ "$tp" != 0 ] && [ -d "/proc/$2/task/$tp" ] && n=$((n + 1))
	done
	echo $n
}
attach_blocked() {
	"${AS_USER[@]}" "$WORK/escape" vblock 30 >"$WORK/vb.stdout" &
	local ep=$! i
	# every child forked and the parent blocked in its vfork
	for i in $(seq 250); do
		[ "$(wc -w <"/proc/$ep/task/$ep/children" 2>/dev/null)" = 31 ] && break
		sleep 0.01
	done
	local t0=$(date +%s%N)
	"${AS_USER[@]}" "$WORK/pdig" -P "$ep" 2>"$WORK/vb.stderr" &
	local pp=$!
	for i in $(seq 300); do
		[ "$(traced_count "$ep" "$pp")" = 32 ] && break
		sleep 0.01
	done
	ATTACH_MS=$((($(date +%s%N) - t0) / 1000000))
	TRACED=$(traced_count "$ep" "$pp")
	wait "$ep"
	wait "$pp"
}
consume_run "$WORK/vb.out" "$F" proc.name=escape -- attach_blocked
expect_eq "$TRACED" 32 "the blocked parent and its 31 children are all traced"
if [ "$ATTACH_MS" -lt 2500 ]; then
	ok "attached to 32 processes in $ATTACH_MS ms (< 2500)"
else
	fail "attaching to 32 processes took $ATTACH_MS ms (want < 2500: one blocked thread slows each later process)"
fi
finish
