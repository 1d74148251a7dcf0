#!/bin/bash
# Where does a ptrace stop's time go? Companion to run.sh; findings are in
# bench/README.md. Prints plain text (also saved to
# bench/results/investigate.txt).
#
#   bench/investigate.sh [N]      N = openclose iterations (default 5000)
#
# 1. cost of one stop by CPU placement (floor: pinned, split, unpinned),
#    with a bounded waitpid(WNOHANG) spin (floor -s), and resume-only
#    (floor -c, what pdig does with no consumer)
# 2. context switches and migrations per stop (perf stat, software events)
# 3. pdig's own syscalls per stop (strace -c on the pdig process only)
# 4. where pdig's CPU goes with a live consumer (perf record, cpu-clock)
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BENCH_BIN=${BENCH_BIN:-$ROOT/build-bench/bench}
PDIG=${PDIG:-$ROOT/build-bench/pdig}
N=${1:-5000}

if [ -z "${BENCH_IN_NS:-}" ]; then
	export BENCH_IN_NS=1 BENCH_BIN PDIG
	mkdir -p "$HERE/results"
	unshare -m --propagation private bash -c 'mount -t tmpfs -o size=256m tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "$@" |
		tee "$HERE/results/investigate.txt"
	exit "${PIPESTATUS[0]}"
fi
W=$BENCH_BIN/workloads
FLOOR=$BENCH_BIN/floor
export BENCH_TMP=/dev/shm
TMP=$(mktemp -d /tmp/pdig-inv.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

D=/dev/shm/udig_descs
rd() { od -An -t u4 -j "$1" -N 4 "$D" 2>/dev/null | tr -d ' '; }
SP=
consumer_start() {
	sysdig -u -q -v > /dev/null 2> "$TMP/sysdig.err" &
	SP=$!
	for _ in $(seq 1000); do [ "$(rd 60)" = "$SP" ] && return 0; sleep 0.005; done
	return 1
}
consumer_stop() {
	for _ in $(seq 1000); do [ "$(rd 0)" = "$(rd 4)" ] && break; sleep 0.005; done
	kill -INT "$SP"; wait "$SP"
	grep -E '^Driver (Events|Drops)' "$TMP/sysdig.err" | tr '\n' ' ' > "$TMP/cstat"
}
nsi() { sed -n 's/.*ns_per_iter=\([0-9.]*\).*/\1/p'; }
median3() { sort -g | sed -n 2p; }

echo "# pdig stop-cost investigation, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# nproc=$(nproc) cpu=\"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\" kernel=$(uname -r) cpuidle=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null)"
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# workload: openclose x $N (2 traced syscalls per iteration: 4 stops; 2 with floor -c)"
echo
echo "## 1. µs per iteration and per stop, median of 3"
printf '%-34s %12s %10s\n' config us/iter us/stop
one() { # label stops_per_iter cmd...
	local label=$1 spi=$2; shift 2
	local v
	v=$(for _ in 1 2 3; do "$@" 2>/dev/null | nsi; done | median3)
	awk -v l="$label" -v v="$v" -v s="$spi" 'BEGIN {printf "%-34s %12.1f %10.2f\n", l, v / 1000, (s > 0 ? (v / 1000) / s : 0)}'
}
one "untraced" 0 "$W" openclose "$N"
one "floor pinned (cpu0+cpu0)" 4 taskset -c 0 "$FLOOR" "$W" openclose "$N"
one "floor split (tracer cpu1, tracee 0)" 4 taskset -c 1 "$FLOOR" taskset -c 0 "$W" openclose "$N"
one "floor unpinned" 4 "$FLOOR" "$W" openclose "$N"
one "floor split, spin 30us" 4 taskset -c 1 "$FLOOR" -s 30 taskset -c 0 "$W" openclose "$N"
one "floor split, spin 200us" 4 taskset -c 1 "$FLOOR" -s 200 taskset -c 0 "$W" openclose "$N"
one "floor unpinned, spin 30us" 4 "$FLOOR" -s 30 "$W" openclose "$N"
one "floor -c pinned (resume only)" 2 taskset -c 0 "$FLOOR" -c "$W" openclose "$N"
one "floor -c split" 2 taskset -c 1 "$FLOOR" -c taskset -c 0 "$W" openclose "$N"
one "pdig, no consumer, pinned" 2 taskset -c 0 "$PDIG" "$W" openclose "$N"
one "pdig, no consumer, split" 2 taskset -c 1 "$PDIG" taskset -c 0 "$W" openclose "$N"
if command -v sysdig >/dev/null; then
	for mode in pinned split; do
		consumer_start || { echo "consumer not ready"; break; }
		if [ $mode = pinned ]; then
			v=$(taskset -c 0 "$PDIG" "$W" openclose "$N" 2>/dev/null | nsi)
		else
			v=$(taskset -c 1 "$PDIG" taskset -c 0 "$W" openclose "$N" 2>/dev/null | nsi)
		fi
		consumer_stop
		c=$(cat "$TMP/cstat")
		awk -v l="pdig + sysdig, $mode (1 run)" -v v="$v" 'BEGIN {printf "%-34s %12.1f %10.2f\n", l, v / 1000, v / 4000}'
		echo "    sysdig: $c"
	done
fi
echo
echo "## 2. perf stat (software events): context switches and migrations"
for mode in pinned split unpinned; do
	case $mode in
	pinned) cmd=(taskset -c 0 "$FLOOR" "$W" openclose "$N") ;;
	split) cmd=(taskset -c 1 "$FLOOR" taskset -c 0 "$W" openclose "$N") ;;
	unpinned) cmd=("$FLOOR" "$W" openclose "$N") ;;
	esac
	if perf stat -x, -e task-clock,context-switches,cpu-migrations -o "$TMP/ps" -- "${cmd[@]}" > /dev/null 2>&1; then
		awk -F, -v m="$mode" -v n="$N" '
			$3 == "task-clock" {tc = $1} $3 == "context-switches" {cs = $1} $3 == "cpu-migrations" {mg = $1}
			END {printf "floor %-9s task-clock %.1f ms  ctx-switches %d (%.2f/stop)  migrations %d\n", m, tc, cs, cs / (4 * n), mg}' "$TMP/ps"
	else
		echo "perf stat unavailable"
		break
	fi
done
echo
echo "## 3. pdig's own syscalls (strace -c on pdig only, not its tracee)"
for cons in none sysdig; do
	if [ $cons = sysdig ]; then consumer_start || continue; fi
	strace -c -o "$TMP/sc" "$PDIG" "$W" openclose "$N" > /dev/null 2>&1
	stops=$((N * 2))
	if [ $cons = sysdig ]; then consumer_stop; stops=$((N * 4)); fi
	echo "consumer=$cons: ~$stops stops"
	awk -v s="$stops" 'NR > 2 && $1 !~ /^-/ && NF >= 5 {
		printf "  %-24s %8d calls  %.2f/stop\n", $NF, $4, $4 / s }' "$TMP/sc" | head -12
done
echo
echo "## 4. pdig CPU profile with a live consumer (perf record -e cpu-clock, pdig only)"
if command -v sysdig >/dev/null && consumer_start; then
	if perf record -q -e cpu-clock -F 10000 --no-inherit -o "$TMP/perf.data" -- "$PDIG" "$W" openclose "$N" > /dev/null 2>&1; then
		consumer_stop
		perf report -q -i "$TMP/perf.data" --no-children --sort dso 2>/dev/null | head -8
		echo "  -- top symbols"
		perf report -q -i "$TMP/perf.data" --no-children --sort sym 2>/dev/null | head -25
	else
		consumer_stop
		echo "perf record unavailable"
	fi
fi
