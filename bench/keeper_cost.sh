#!/bin/bash
# What pdig -S leaves behind: ns per openat+close pair untraced, under the
# floor's resume-only tracer (`floor -c`: the cheapest ptrace tracer, one
# stop per traced syscall) and under pdig-keeper (after `pdig -S -p PID`
# was interrupted), all pinned to CPU 0 with their tracer, medians of
# ROUNDS rounds of N pairs. UNPINNED=1: nothing pinned.
#   bench/keeper_cost.sh BUILD [N] [ROUNDS]
set -eu
B=${1:?build directory}; N=${2:-20000}; R=${3:-5}
pin() { if [ "${UNPINNED:-0}" = 1 ]; then exec "$@"; else exec taskset -c 0 "$@"; fi; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
run() { # DIR: rounds of an already running keeper_cost
	for r in $(seq 0 $((R - 1))); do
		touch "$1/go$r"
		while [ "$({ wc -l <"$1/times"; } 2>/dev/null || echo 0)" -le "$r" ]; do sleep 0.05; done
	done
}
mkdir "$W/plain" "$W/floor" "$W/kept"
pin "$B/bench/keeper_cost" "$W/plain" "$N" "$R" &
until [ -s "$W/plain/ids" ]; do sleep 0.01; done
run "$W/plain"; wait
pin "$B/bench/floor" -c -- "$B/bench/keeper_cost" "$W/floor" "$N" "$R" &
until [ -s "$W/floor/ids" ]; do sleep 0.01; done
run "$W/floor"; wait
pin "$B/bench/keeper_cost" "$W/kept" "$N" "$R" &
until [ -s "$W/kept/ids" ]; do sleep 0.01; done
P=$(cat "$W/kept/ids")
pin "$B/pdig" -S -p "$P" -o /dev/null 2>"$W/err" &
PP=$!
until grep -q '^Seccomp:.*2' "/proc/$P/status"; do sleep 0.01; done
# a first round makes the injection happen (at the first syscall)
sleep 0.2
kill -INT "$PP"; wait "$PP"
K=$(awk '/^TracerPid/ {print $2}' "/proc/$P/status")
echo "keeper: $K ($(cat "/proc/$K/comm"))"
run "$W/kept"; wait
u=$(median "$W/plain/times") f=$(median "$W/floor/times") k=$(median "$W/kept/times")
echo "openat+close pair, ns (median of $R x $N): untraced $u, floor -c $f, pdig-keeper $k"
echo "per traced syscall: $(((f - u) / 2)) ns more under floor -c, $(((k - u) / 2)) ns more under the keeper"
