#!/bin/bash
# Scale benchmark (issue 20 item 2, docs/scale.md): T threads (or, with
# --procs, T processes), each looping open+close on /dev/null, for
# T = 1 2 4 8; pairs per second untraced, under the ptrace floor
# (bench/floor), under strace -f --seccomp-bpf (openat,close), under pdig
# alone (no consumer) and under pdig -w FILE (tmpfs), each with one tracer
# thread and with one per CPU, side by side, as ratios.
#
#   bench/scale.sh [--dur SECS] [--reps R] [--procs] [--only "1 2"]
#
# Each cell is the median of R runs (default 3) of SECS seconds (default
# 3), the configurations interleaved round-robin. The last columns say how
# pdig -w scales: its pairs/s at T over its pairs/s at T = 1, for one
# tracer thread and for the default. Run it on an idle machine: other load
# changes the figures a lot.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
DUR=3
REPS=3
MODE=threads
TS="1 2 4 8"
while [ $# -gt 0 ]; do
	case "$1" in
	--dur) DUR=$2; shift ;;
	--reps) REPS=$2; shift ;;
	--procs) MODE=procs ;;
	--only) TS=$2; shift ;;
	*) echo "usage: bench/scale.sh [--dur SECS] [--reps R] [--procs] [--only \"T...\"]" >&2; exit 2 ;;
	esac
	shift
done
PDIG=${PDIG:-$ROOT/build-bench/pdig}
BENCH_BIN=${BENCH_BIN:-$ROOT/build-bench/bench}
if [ ! -x "$BENCH_BIN/workloads" ] || [ ! -x "$BENCH_BIN/floor" ] || [ ! -x "$PDIG" ]; then
	cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
		cmake --build "$ROOT/build-bench" -j2 --target pdig bench_workloads bench_floor >/dev/null ||
		{ echo "scale.sh: build failed" >&2; exit 1; }
fi
WL=$BENCH_BIN/workloads
TMP=$(mktemp -d /dev/shm/pdig-scale.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
CPUS=$(nproc)
CONFIGS="untraced floor strace pdig1 pdig pdig-w1 pdig-w"
command -v strace >/dev/null || CONFIGS=${CONFIGS/strace /}

# run CONFIG T: prints pairs/s
run() {
	local cfg=$1 t=$2 wl=("$WL" scale "$MODE" "$2" "$DUR") out
	case $cfg in
	untraced) out=$("${wl[@]}") ;;
	floor) out=$("$BENCH_BIN/floor" -- "${wl[@]}" 2>/dev/null) ;;
	strace) out=$(strace -f --seccomp-bpf -o /dev/null -e trace=openat,close "${wl[@]}" 2>/dev/null) ;;
	pdig1) out=$("$PDIG" --threads 1 -- "${wl[@]}" 2>/dev/null) ;;
	pdig) out=$("$PDIG" --threads "$CPUS" -- "${wl[@]}" 2>/dev/null) ;;
	pdig-w1) out=$("$PDIG" --threads 1 -w "$TMP/cap.scap" -- "${wl[@]}" 2>/dev/null); rm -f "$TMP/cap.scap" ;;
	pdig-w) out=$("$PDIG" --threads "$CPUS" -w "$TMP/cap.scap" -- "${wl[@]}" 2>/dev/null); rm -f "$TMP/cap.scap" ;;
	esac
	echo "$out" | sed -n 's/.*pairs_per_s=\([0-9]*\).*/\1/p'
}

median() { sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print 0}'; }

declare -A cell
for t in $TS; do
	for cfg in $CONFIGS; do : >"$TMP/$cfg.$t"; done
	for r in $(seq "$REPS"); do
		for cfg in $CONFIGS; do run "$cfg" "$t" >>"$TMP/$cfg.$t"; done
	done
	for cfg in $CONFIGS; do cell[$cfg.$t]=$(median <"$TMP/$cfg.$t"); done
done

echo "## scale: $MODE, open+close pairs/s (median of $REPS x ${DUR}s), $CPUS CPUs, $(date -u +%Y-%m-%d) $(uname -r)"
echo "- ratio in parentheses: the configuration's pairs/s over untraced; pdig1 and pdig: no consumer, with"
echo "  --threads 1 and --threads $CPUS (one per CPU); pdig-w1 and pdig-w: the same with -w FILE (tmpfs)"
echo "- last columns: pdig -w pairs/s at T over pdig -w pairs/s at T = 1 (--threads 1 / --threads $CPUS)"
echo
printf '| T |'; for cfg in $CONFIGS; do printf ' %s |' "$cfg"; done; printf ' w1 vs T=1 | w vs T=1 |\n'
printf '|--:|'; for cfg in $CONFIGS; do printf -- '--:|'; done; printf -- '--:|--:|\n'
first=${TS%% *}
for t in $TS; do
	u=${cell[untraced.$t]}
	printf '| %s |' "$t"
	for cfg in $CONFIGS; do
		v=${cell[$cfg.$t]}
		if [ "$cfg" = untraced ]; then printf ' %s |' "$v"
		else awk -v v="$v" -v u="$u" 'BEGIN { printf " %s (%.3f) |", v, (u > 0 ? v / u : 0) }'; fi
	done
	awk -v a="${cell[pdig-w1.$t]}" -v b="${cell[pdig-w1.$first]}" -v c="${cell[pdig-w.$t]}" -v d="${cell[pdig-w.$first]}" \
		'BEGIN { printf " %.2fx | %.2fx |\n", (b > 0 ? a / b : 0), (d > 0 ? c / d : 0) }'
done
