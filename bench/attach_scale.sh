#!/bin/bash
# Attach-mode throughput (docs/scale.md, "Attach mode"): T threads looping
# open+close on /dev/null (`workloads scale threads T SECS GOFILE`), made
# before pdig attaches, then started; untraced, and under `pdig -p` with
# --threads 1 and 2 writing a capture file on tmpfs. Each cell is the
# median of R runs, configurations interleaved round-robin.
#
#   bench/attach_scale.sh [--t T] [--dur SECS] [--reps R]
#
# Needs ptrace permission on the workload (root, or ptrace_scope 0).
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
T=2
DUR=3
REPS=3
while [ $# -gt 0 ]; do
	case "$1" in
	--t) T=$2; shift ;;
	--dur) DUR=$2; shift ;;
	--reps) REPS=$2; shift ;;
	*) echo "usage: bench/attach_scale.sh [--t T] [--dur SECS] [--reps R]" >&2; exit 2 ;;
	esac
	shift
done
PDIG=${PDIG:-$ROOT/build-bench/pdig}
BENCH_BIN=${BENCH_BIN:-$ROOT/build-bench/bench}
if [ ! -x "$BENCH_BIN/workloads" ] || [ ! -x "$PDIG" ]; then
	cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
		cmake --build "$ROOT/build-bench" -j2 --target pdig bench_workloads >/dev/null ||
		{ echo "attach_scale.sh: build failed" >&2; exit 1; }
fi
WL=$BENCH_BIN/workloads
TMP=$(mktemp -d /dev/shm/attach_scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# all_traced PID: every thread of PID has a tracer
all_traced() {
	local t tp
	for t in /proc/$1/task/*; do
		tp=$(awk '$1 == "TracerPid:" {print $2}' "$t/status" 2>/dev/null)
		[ -n "$tp" ] && [ "$tp" != 0 ] || return 1
	done
}

# one CONFIG: pairs/s of one run (CONFIG: untraced, 1, 2 = tracer threads)
one() {
	rm -f "$TMP/go" "$TMP/w.scap"
	"$WL" scale threads "$T" "$DUR" "$TMP/go" >"$TMP/out" &
	local wp=$! pp="" i
	# every thread made (T + the main one)
	for i in $(seq 500); do
		[ "$(ls "/proc/$wp/task" 2>/dev/null | wc -l)" -ge $((T + 1)) ] && break
		sleep 0.01
	done
	if [ "$1" != untraced ]; then
		"$PDIG" --threads "$1" -p "$wp" -w "$TMP/w.scap" 2>"$TMP/err" &
		pp=$!
		for i in $(seq 500); do all_traced "$wp" && break; sleep 0.01; done
	fi
	touch "$TMP/go"
	wait "$wp"
	if [ -n "$pp" ]; then
		kill -INT "$pp" 2>/dev/null
		wait "$pp"
	fi
	sed -n 's/.*pairs_per_s=\([0-9]*\).*/\1/p' "$TMP/out"
}

median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

declare -A got
for r in $(seq "$REPS"); do
	for c in untraced 1 2; do
		got[$c]="${got[$c]:-} $(one "$c")"
	done
done
echo "attach mode, $T threads looping open+close, $DUR s, median of $REPS (pairs/s):"
for c in untraced 1 2; do
	# shellcheck disable=SC2086
	printf "  %-10s %10s   (runs:%s)\n" "$([ $c = untraced ] && echo untraced || echo "pdig -p --threads $c")" \
		"$(printf '%s\n' ${got[$c]} | median)" "${got[$c]}"
done
