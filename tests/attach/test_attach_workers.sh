#!/bin/bash
# -p/-P on several tracer threads: each thread of the target is seized by
# the tracer thread that serves it (docs/scale.md, "Attach mode, the keeper,
# the end"). --threads 2 -p on a 4-thread process and -P on 3 processes of
# 2 threads: every thread's opens are in the capture, exactly as many as
# it made; two of pdig's threads are tracers; -v shows both served stops;
# after SIGINT every thread is untraced, makes as many opens again without
# ENOSYS, and the process exits 0. An exec from a thread the second tracer
# thread serves is followed, and pdig exits with the new image's status. An
# idle tree under --threads 3 is let go within 2 s, 10 times.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

COUNT=300
# tracer_tids PDIGPID DIR: the TracerPid of each thread in DIR/tids, one a line
tracer_tids() {
	local pid tid
	while read -r pid tid; do
		status_field "$pid/task/$tid" TracerPid
	done <"$2/tids"
}
# traced_by_pdig PDIGPID DIR: every thread in DIR/tids is traced by a thread of pdig
traced_by_pdig() {
	local t
	for t in $(tracer_tids "$1" "$2"); do
		[ -n "$t" ] && [ "$t" != 0 ] && [ -d "/proc/$1/task/$t" ] || return 1
	done
}
lines() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# counted NAME THREADS PROCS ARGS...: spread in $WORK/NAME under pdig ARGS
counted() {
	local name=$1 nt=$2 np=$3; shift 3
	local D=$WORK/$name all
	all=$((nt * np))
	mkdir -p "$D"
	"$HELPERS/spread" "$D" "$nt" "$np" $COUNT &
	local sp=$!
	wait_for 5 eval '[ "$(lines "$D/tids")" -ge '$all' ]' || fail "$name: $all threads not running in 5 s"
	"$PDIG" -v "$@" "$sp" -w "$WORK/$name.scap" 2>"$WORK/$name.err" &
	local pp=$!
	wait_for 10 traced_by_pdig "$pp" "$D" && ok "$name: every thread traced by a pdig thread" ||
		fail "$name: not every thread traced: $(tracer_tids "$pp" "$D" | tr '\n' ' ')"
	local tracers; tracers=$(tracer_tids "$pp" "$D" | sort -u | wc -l)
	[ "$tracers" -ge 2 ] && ok "$name: $tracers pdig threads are tracers" ||
		fail "$name: $tracers tracer (want 2): $(tracer_tids "$pp" "$D" | tr '\n' ' ')"
	touch "$D/go1"
	wait_for 20 eval '[ "$(lines "$D/done1")" -ge '$all' ]' || fail "$name: the opens did not end in 20 s"
	kill -INT "$pp"
	local t0; t0=$(date +%s%N)
	wait_exit "$pp" 8
	expect_eq "$WRC" 0 "$name: pdig exits 0 after SIGINT ($((($(date +%s%N) - t0) / 1000000)) ms)"
	expect_eq "$(tracer_tids "$pp" "$D" | sort -u | tr '\n' ' ')" "0 " "$name: every thread untraced after the detach"
	touch "$D/go2"
	wait_exit "$sp" 20
	expect_eq "$WRC" 0 "$name: the process exits 0 (every call worked)"
	expect_eq "$(lines "$D/done2")" "$all" "$name: every thread made its second round"
	expect_eq "$(grep -cv " ok=$COUNT enosys=0 other=0$" "$D/done2")" 0 "$name: $COUNT opens each after the detach, no ENOSYS"
	expect_eq "$(grep -cv " ok=$COUNT$" "$D/done1")" 0 "$name: $COUNT opens each while traced"
	sysdig -r "$WORK/$name.scap" -p '%thread.tid' "evt.type=openat and evt.dir=< and fd.name=$D/f" \
		2>"$WORK/$name.read.err" | sort | uniq -c | awk '{print $2, $1}' | sort >"$WORK/$name.counts"
	awk -v c=$COUNT '{print $2, c}' "$D/done1" | sort >"$WORK/$name.want"
	expect_eq "$(diff "$WORK/$name.want" "$WORK/$name.counts" && echo same)" same \
		"$name: each thread's openat exits in the capture equal its count"
	expect_grep "$WORK/$name.err" '^pdig: 2 tracer threads \(--threads\)$' "$name: -v names the count"
	expect_grep "$WORK/$name.err" '^pdig: tracer thread 0: [1-9][0-9]* stops served' "$name: tracer thread 0 served stops"
	expect_grep "$WORK/$name.err" '^pdig: tracer thread 1: [1-9][0-9]* stops served' "$name: tracer thread 1 served stops"
}

counted p4 4 1 --threads 2 -p
counted P3 2 3 --threads 2 -P

# an exec from the thread the second tracer thread serves
D=$WORK/exec
mkdir -p "$D"
"$HELPERS/spread" "$D" 2 1 0 exec &
SP=$!
wait_for 5 eval '[ "$(lines "$D/tids")" -ge 2 ]' || fail "exec: not running"
"$PDIG" --threads 2 -p "$SP" -w "$WORK/exec.scap" 2>"$WORK/exec.err" &
PP=$!
wait_for 10 traced_by_pdig "$PP" "$D" || fail "exec: not traced"
other=$(awk -v l="$SP" '$2 != l {print $2}' "$D/tids")
tracer=$(status_field "$SP/task/$other" TracerPid)
[ -n "$tracer" ] && [ "$tracer" != "$PP" ] && [ -d "/proc/$PP/task/$tracer" ] &&
	ok "exec: thread $other traced by pdig's thread $tracer, not its first" ||
	fail "exec: thread $other traced by '$tracer' (pdig $PP)"
echo "$other" >"$D/execby"
wait_exit "$PP" 10
expect_eq "$WRC" 7 "exec: pdig exits with the new image's status"
wait_exit "$SP" 5
expect_eq "$WRC" 7 "exec: the process exits 7"
sysdig -r "$WORK/exec.scap" -p '%proc.pid|%evt.type|%fd.name' "evt.type=openat and evt.dir=<" >"$WORK/exec.read" 2>&1
expect_grep "$WORK/exec.read" "^$SP\|openat\|$D/after$" "exec: the new image's open is in the capture"

# an idle tree: let go within 2 s, 10 times
D=$WORK/idle
mkdir -p "$D"
"$HELPERS/spread" "$D" 2 3 0 idle &
SP=$!
wait_for 5 eval '[ "$(lines "$D/tids")" -ge 6 ]' || fail "idle: not running"
slow=0 bad=0
for round in $(seq 10); do
	"$PDIG" --threads 3 -P "$SP" -o /dev/null 2>"$WORK/idle$round.err" &
	PP=$!
	wait_for 10 traced_by_pdig "$PP" "$D" || { fail "idle round $round: not traced"; bad=$((bad + 1)); }
	t0=$(date +%s%N)
	kill -INT "$PP"
	wait_exit "$PP" 8
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$WRC" = 0 ] || { fail "idle round $round: pdig exited $WRC"; bad=$((bad + 1)); }
	[ "$ms" -le 2000 ] || { fail "idle round $round: detach took $ms ms"; slow=$((slow + 1)); }
	[ "$(tracer_tids "$PP" "$D" | sort -u | tr '\n' ' ')" = "0 " ] ||
		{ fail "idle round $round: still traced"; bad=$((bad + 1)); }
	echo "idle round $round: $ms ms"
done
expect_eq "$slow/$bad" 0/0 "idle tree: 10 detaches, each within 2 s, all untraced"
for s in $(awk '{print $1}' "$D/tids" | sort -u); do
	case "$(proc_state "$s")" in t|T|"") fail "idle: $s stopped or gone" ;; esac
done
{ kill -KILL "$SP"; wait "$SP"; } 2>/dev/null
finish
