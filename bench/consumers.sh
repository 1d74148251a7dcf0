#!/bin/bash
# pdig feeding each live consumer, side by side in one run: nobody (the
# events are discarded), `sysdig -u` 0.29.3 through the udig ring (schema
# 1.0.0), and Falco with the pdig plugin through the pdig ring (schema
# 4.5.1 for Falco 0.44.1). Benchmark, not a test: it reports, never fails.
#
#   bench/consumers.sh [--iters N] [--reps R] [--out FILE]
#
# Workload: `workloads openclose N` (openat /dev/null + close: 4 traced
# stops per iteration). For each consumer and round it reports the run's
# wall time, pdig's own CPU per traced syscall (bench/pstat: the tracer
# without its tracee), the events pdig wrote and lost (pdig -v), and the
# consumer's CPU over the run (its /proc stat before and after). Medians
# of R rounds, rounds interleaved so drift hits every consumer alike.
# Everything runs in a private mount namespace with its own /dev/shm, so
# no other ring is met. Needs root, sysdig, and Falco 0.44.1 with
# libpdig.so (PDIG_FALCO_DIR, default ../shared/falco).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ITERS=50000
REPS=5
OUT=$ROOT/bench/results/consumers.md
while [ $# -gt 0 ]; do
	case $1 in
	--iters) ITERS=$2; shift 2 ;;
	--reps) REPS=$2; shift 2 ;;
	--out) OUT=$2; shift 2 ;;
	*) echo "usage: $0 [--iters N] [--reps R] [--out FILE]" >&2; exit 2 ;;
	esac
done
if [ "${PDIG_BENCH_ISOLATED:-}" != 1 ]; then
	export PDIG_BENCH_ISOLATED=1
	exec unshare -m --propagation private bash -c \
		'mount -t tmpfs -o mode=1777 tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "$@"
fi
B=${BUILD:-$ROOT/build-bench}
PDIG=${PDIG:-$B/pdig}
PLUGIN=${PLUGIN:-$B/libpdig.so}
BENCH_BIN=${BENCH_BIN:-$B/bench}
FALCO_DIR=${PDIG_FALCO_DIR:-$ROOT/../shared/falco}
[ -d "$FALCO_DIR" ] || FALCO_DIR=$ROOT/../../shared/falco
FALCO=$FALCO_DIR/0.44.1/falco
for f in "$PDIG" "$PLUGIN" "$BENCH_BIN/workloads" "$BENCH_BIN/pstat" "$FALCO"; do
	[ -e "$f" ] || { echo "consumers.sh: missing $f (cmake --build build-bench; PDIG_FALCO_DIR)" >&2; exit 2; }
done
command -v sysdig >/dev/null || { echo "consumers.sh: needs sysdig" >&2; exit 2; }
. "$ROOT/bench/lib_falco.sh"
W=$(mktemp -d /tmp/pdig-cons.XXXXXX)
trap 'rm -rf "$W"' EXIT

# cpu_ms PID: user + system CPU of a process so far, in ms
cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# start_consumer NAME: sets CPID; waits until the consumer owns its ring
start_consumer() {
	CPID=
	case $1 in
	none) ;;
	udig)
		# parses every event, prints none
		sysdig -u "proc.name=no-such-process" >/dev/null 2>&1 &
		CPID=$!
		for _ in $(seq 500); do [ -e /dev/shm/udig_descs ] && break; sleep 0.01; done
		sleep 0.3 ;;
	falco)
		falco_consumer_start ;;
	esac
}

stop_consumer() {
	[ -n "$CPID" ] || return 0
	kill -INT "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
}

one_round() { # CONSUMER -> appends "wall_ns cpu_ns written dropped consumer_cpu_ms" to $W/$1
	start_consumer "$1"
	local c0=0 c1=0 st
	[ -n "$CPID" ] && c0=$(cpu_ms "$CPID")
	st=$("$BENCH_BIN/pstat" -i 2 "$PDIG" -v "$BENCH_BIN/workloads" openclose "$ITERS" 2>&1 >/dev/null)
	# let the consumer drain what is left in its ring
	sleep 0.5
	[ -n "$CPID" ] && c1=$(cpu_ms "$CPID")
	stop_consumer
	local line wall cpu written dropped
	line=$(echo "$st" | grep '^pstat:')
	wall=$(echo "$line" | sed -n 's/.*wall_ns=\([0-9]*\).*/\1/p')
	cpu=$(echo "$line" | sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p')
	case $1 in
	udig) written=$(echo "$st" | sed -n 's/^pdig: udig: events written \([0-9]*\), dropped \([0-9]*\).*/\1 \2/p') ;;
	falco) written=$(echo "$st" | sed -n 's/^pdig: ring: events written \([0-9]*\), dropped \([0-9]*\).*/\1 \2/p') ;;
	none) written="0 0" ;;
	esac
	echo "$wall $cpu ${written:-0 0} $((c1 - c0))" >>"$W/$1"
}

for r in $(seq "$REPS"); do
	for c in none udig falco; do one_round "$c"; done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
calls=$((ITERS * 2))
{
	echo "# pdig with each live consumer ($(date -u '+%Y-%m-%d %H:%M UTC'))"
	echo
	echo "Machine: $(nproc) vCPUs, $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')."
	echo "Workload: \`workloads openclose $ITERS\` ($calls traced syscalls, $((calls * 2)) events in 1.0.0,"
	echo "the enters of openat and all exits in 4.5.1), $REPS interleaved rounds, medians."
	echo "Command: \`bench/consumers.sh --iters $ITERS --reps $REPS\`."
	echo
	echo "| consumer | wall ms | pdig CPU ns / syscall | events written | dropped | consumer CPU ms | consumer CPU ns / event |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for c in none udig falco; do
		wall=$(awk '{ print $1 }' "$W/$c" | median)
		cpu=$(awk '{ print $2 }' "$W/$c" | median)
		wr=$(awk '{ print $3 }' "$W/$c" | median)
		dr=$(awk '{ print $4 }' "$W/$c" | median)
		cc=$(awk '{ print $5 }' "$W/$c" | median)
		name=$c
		[ "$c" = udig ] && name="sysdig -u 0.29.3 (udig ring, 1.0.0)"
		[ "$c" = falco ] && name="Falco 0.44.1 + libpdig.so (pdig ring, 4.5.1)"
		[ "$c" = none ] && name="none (discarded)"
		per=$(awk -v cc="$cc" -v wr="$wr" 'BEGIN { print (wr > 0) ? int(cc * 1e6 / wr) : "-" }')
		printf '| %s | %d | %d | %d | %d | %d | %s |\n' "$name" "$((${wall%.*} / 1000000))" \
			"$((${cpu%.*} / calls))" "${wr%.*}" "${dr%.*}" "${cc%.*}" "$per"
	done
} | tee "$OUT"
