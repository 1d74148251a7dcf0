#!/bin/bash
# pdig benchmark runner. See bench/README.md.
#
#   bench/run.sh [--quick|--tiny] [--reps R] [--out FILE] [--only "w1 w2"]
#
# Measures each workload (bench/workloads.c) untraced, under the ptrace
# floor (bench/floor.c), under strace with the same syscall set, under pdig
# with no consumer and under pdig with a live `sysdig -u -q`; each pinned
# (taskset -c 0 for tracer and tracee) and unpinned. Runs are interleaved
# round-robin over the configurations, R rounds; the table shows medians of
# the workload's own ns/iteration and ratio = untraced / traced (1.0 = no
# overhead). Then: events/s delivered to sysdig -u with drops, pdig's max
# RSS and CPU time per traced syscall.
#
# Everything runs in a private mount namespace with its own tmpfs on
# /dev/shm, so no other udig consumer or producer can interfere.
#
# Modes: full (default, several minutes), --quick (< 2 min), --tiny (a few
# iterations; used by the ctest smoke test, checks shape only).
#
# Binaries: $PDIG (default build-bench/pdig) and $BENCH_BIN (directory with
# workloads, floor, pstat; default build-bench/bench). Built with cmake into
# build-bench if missing.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")

MODE=full
REPS=
OUT=
ONLY=
ORIG_ARGS=("$@")
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) MODE=quick ;;
	--tiny) MODE=tiny ;;
	--full) MODE=full ;;
	--reps) REPS=$2; shift ;;
	--out) OUT=$2; shift ;;
	--only) ONLY=$2; shift ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

# --- binaries -------------------------------------------------------------
BENCH_BIN=${BENCH_BIN:-$ROOT/build-bench/bench}
PDIG=${PDIG:-$ROOT/build-bench/pdig}
if [ ! -x "$BENCH_BIN/workloads" ] || [ ! -x "$BENCH_BIN/floor" ] || [ ! -x "$BENCH_BIN/pstat" ] || [ ! -x "$PDIG" ]; then
	if [ -z "${BENCH_IN_NS:-}" ]; then
		echo "run.sh: building into $ROOT/build-bench" >&2
		cmake -S "$ROOT" -B "$ROOT/build-bench" >/dev/null &&
			cmake --build "$ROOT/build-bench" -j2 --target pdig bench_workloads bench_floor bench_pstat >/dev/null ||
			{ echo "run.sh: build failed" >&2; exit 1; }
	fi
fi
W=$BENCH_BIN/workloads
FLOOR=$BENCH_BIN/floor
PSTAT=$BENCH_BIN/pstat

# --- private /dev/shm -----------------------------------------------------
if [ -z "${BENCH_IN_NS:-}" ]; then
	export BENCH_IN_NS=1 BENCH_BIN PDIG
	NSFLAGS="-m --propagation private"
	[ "$(id -u)" = 0 ] || NSFLAGS="-r $NSFLAGS"
	exec unshare $NSFLAGS bash -c 'mount -t tmpfs -o size=256m tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "${ORIG_ARGS[@]}"
fi
export BENCH_TMP=/dev/shm

# --- plan -----------------------------------------------------------------
WORKLOADS="file thread fork exec cc malloc openclose stat devnull"
# cc: a real program (the compiler driver compiling and linking a small file)
command -v cc >/dev/null || WORKLOADS=${WORKLOADS/ cc/}
[ -n "$ONLY" ] && WORKLOADS=$ONLY
# iterations per workload and mode (kept small enough that a traced,
# unpinned run on a 2-vCPU VM stays well under a second)
iters() {
	local w=$1
	case "$MODE:$w" in
	tiny:malloc|tiny:stat|tiny:devnull) echo 2000 ;;
	tiny:exec) echo 3 ;;
	tiny:cc) echo 1 ;;
	tiny:*) echo 10 ;;
	quick:file|quick:openclose) echo 500 ;;
	quick:thread|quick:fork) echo 200 ;;
	quick:exec) echo 30 ;;
	quick:cc) echo 2 ;;
	quick:malloc) echo 500000 ;;
	quick:stat|quick:devnull) echo 50000 ;;
	full:file|full:openclose) echo 2000 ;;
	full:thread|full:fork) echo 500 ;;
	full:exec) echo 100 ;;
	full:cc) echo 6 ;;
	full:malloc) echo 2000000 ;;
	full:stat|full:devnull) echo 200000 ;;
	esac
}
case $MODE in
tiny) : "${REPS:=1}" ;;
quick) : "${REPS:=5}" ;;
full) : "${REPS:=9}" ;;
esac
# floor-again: a second floor run in each round, after pdig + sysdig: the
# two floor runs bracket pdig's, and the report shows how far one tracer
# moves against itself within a round (an A/A control for the 0.85 target)
CONFIGS="untraced floor strace pdig pdig+sysdig floor-again"
PINS="pinned split unpinned"
[ "$(nproc)" -gt 1 ] || PINS="pinned unpinned"

HAVE_STRACE=0; command -v strace >/dev/null && HAVE_STRACE=1
HAVE_SYSDIG=0; command -v sysdig >/dev/null && HAVE_SYSDIG=1
SET=$("$FLOOR" --print-set)

RES=$(mktemp -d /tmp/pdig-bench.XXXXXX)
trap 'rm -rf "$RES"' EXIT
RAW=$RES/raw
: > "$RAW"

# --- the udig consumer ----------------------------------------------------
D=/dev/shm/udig_descs
rd() { od -An -t u4 -j "$1" -N 4 "$D" 2>/dev/null | tr -d ' '; }
SP=
# consumer_start PIN: starts `sysdig -u -q -v`, waits until it owns the ring.
# With PIN=pinned it goes to CPU 1 (tracer and tracee share CPU 0), else it
# is free. Its stderr goes to $RES/sysdig.err.
consumer_start() {
	local cpre=()
	[ "$1" = pinned ] && [ "$(nproc)" -gt 1 ] && cpre=(taskset -c 1)
	"${cpre[@]}" sysdig -u -q -v > /dev/null 2> "$RES/sysdig.err" &
	SP=$!
	for _ in $(seq 1000); do
		[ "$(rd 60)" = "$SP" ] && return 0
		kill -0 "$SP" 2>/dev/null || { echo "run.sh: consumer died: $(cat "$RES/sysdig.err")" >&2; return 1; }
		sleep 0.005
	done
	echo "run.sh: consumer not ready" >&2
	return 1
}
# consumer_stop: waits for the drain, stops the consumer; sets CEV and CDR
# (sysdig's Driver Events and Driver Drops)
consumer_stop() {
	for _ in $(seq 1000); do [ "$(rd 0)" = "$(rd 4)" ] && break; sleep 0.005; done
	kill -INT "$SP" 2>/dev/null
	wait "$SP" 2>/dev/null
	CEV=$(sed -n 's/^Driver Events:\([0-9]*\).*/\1/p' "$RES/sysdig.err" | head -1)
	CDR=$(sed -n 's/^Driver Drops:\([0-9]*\).*/\1/p' "$RES/sysdig.err" | head -1)
	CEV=${CEV:-NA} CDR=${CDR:-NA}
}

# --- one measurement ------------------------------------------------------
# run_one CONFIG PIN WORKLOAD ITERS -> ns/iter on stdout, or NA
# PIN: pinned = tracer and tracee on CPU 0; split = tracer on CPU 1, tracee
# on CPU 0 (every stop crosses CPUs); unpinned = the scheduler decides.
run_one() {
	local cfg=$1 pin=$2 w=$3 n=$4 pre=() wpre=() out
	case $pin in
	pinned) pre=(taskset -c 0) ;;
	split) pre=(taskset -c 1); wpre=(taskset -c 0) ;;
	esac
	local wl=("${wpre[@]}" "$W" "$w" "$n")
	case $cfg in
	untraced) out=$("${pre[@]}" "${wl[@]}" 2>/dev/null) ;;
	floor|floor-again) out=$("${pre[@]}" "$FLOOR" "${wl[@]}" 2>/dev/null) ;;
	strace)
		[ $HAVE_STRACE = 1 ] || { echo NA; return; }
		out=$("${pre[@]}" strace -f --seccomp-bpf -o /dev/null -e trace="$SET" "${wl[@]}" 2>/dev/null) ;;
	pdig) out=$("${pre[@]}" "$PDIG" "${wl[@]}" 2>/dev/null) ;;
	pdig+sysdig)
		[ $HAVE_SYSDIG = 1 ] || { echo NA; return; }
		consumer_start "$pin" || { echo NA; return; }
		out=$("${pre[@]}" "$PDIG" "${wl[@]}" 2>/dev/null)
		consumer_stop
		echo "$w $pin $n $CEV $CDR" >> "$RES/drops" ;;
	esac
	out=$(sed -n 's/.*ns_per_iter=\([0-9.]*\).*/\1/p' <<<"$out")
	echo "${out:-NA}"
}

# ratios W PIN NUM DEN: one line per round, NUM's time / DEN's time in
# that round (the k-th run of a config in $RAW is of round k). NUM may be
# "floor-both": the mean of the round's two floor runs, which bracket the
# pdig runs (a drift within the round then cancels out, where the first
# floor run alone would carry it: the control column shows it does drift).
ratios() {
	awk -v w="$1" -v p="$2" -v num="$3" -v den="$4" '
		function ok(v) { return v != "NA" && v != "" }
		$1 == w && $2 == p { t[$3, ++k[$3]] = $4 }
		END {
			for (i = 1; i <= k[den]; i++) {
				d = t[den, i]
				if (num == "floor-both") {
					a = t["floor", i]; b = t["floor-again", i]
					x = ok(a) && ok(b) ? (a + b) / 2 : (ok(a) ? a : b)
				} else
					x = t[num, i]
				if (ok(x) && ok(d) && d > 0)
					printf "%.6f\n", x / d
			}
		}' "$RAW"
}

# stats: per-round ratios on stdin -> "lowest | median | highest | k of n"
# (k: rounds at or above the issue's 0.85), or "- | - | - | -"
stats() {
	sort -g | awk '{r[++n] = $1; if ($1 >= 0.85) k++}
		END {
			if (!n) { print "- | - | - | -"; exit }
			printf "%.2f | %.2f | %.2f | %d of %d", r[1], n % 2 ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2, r[n], k, n
		}'
}

# paired W PIN REF: the median per-round ratio REF time / pdig+sysdig time
paired() {
	ratios "$1" "$2" "$3" pdig+sysdig | stats | cut -d'|' -f2 | tr -d ' '
}

median() { # values on stdin (NA ignored)
	grep -v NA | sort -g | awk '{v[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

START=$(date +%s)
for r in $(seq "$REPS"); do
	for w in $WORKLOADS; do
		n=$(iters "$w")
		for pin in $PINS; do
			for cfg in $CONFIGS; do
				v=$(run_one "$cfg" "$pin" "$w" "$n")
				echo "$w $pin $cfg $v" >> "$RAW"
			done
		done
	done
	echo "run.sh: round $r/$REPS done ($(( $(date +%s) - START )) s)" >&2
done

# --- extras: events/s, RSS, CPU per traced syscall ------------------------
case $MODE in tiny) XN=20 ;; quick) XN=3000 ;; full) XN=20000 ;; esac
# traced syscalls per run, counted by the floor (exact, same filter)
traced_count() {
	"$FLOOR" -v "$W" "$1" "$2" 2>&1 >/dev/null | sed -n 's/.*seccomp=\([0-9]*\).*/\1/p'
}
EXTRA=$RES/extra
: > "$EXTRA"
for xw in openclose file; do
	nsys=$(traced_count "$xw" "$XN")
	for pin in pinned unpinned; do
		pre=(); [ "$pin" = pinned ] && pre=(taskset -c 0)
		for cons in none sysdig; do
			ev=NA; dr=NA
			if [ "$cons" = sysdig ]; then
				[ $HAVE_SYSDIG = 1 ] && consumer_start "$pin" || continue
			fi
			st=$("${pre[@]}" "$PSTAT" -i 2 "$PDIG" "$W" "$xw" "$XN" 2>&1 >/dev/null | grep '^pstat:')
			if [ "$cons" = sysdig ]; then consumer_stop; ev=$CEV; dr=$CDR; fi
			wall=$(sed -n 's/.*wall_ns=\([0-9]*\).*/\1/p' <<<"$st")
			cpu=$(sed -n 's/.*cpu_ns=\([0-9]*\).*/\1/p' <<<"$st")
			ut=$(sed -n 's/.*[^_]utime_ms=\([0-9]*\).*/\1/p' <<<"$st")
			stm=$(sed -n 's/.*[^_]stime_ms=\([0-9]*\).*/\1/p' <<<"$st")
			rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$st")
			echo "$xw $pin $cons ${nsys:-NA} ${wall:-NA} ${cpu:-NA} ${ut:-NA} ${stm:-NA} ${rss:-NA} $ev $dr" >> "$EXTRA"
		done
	done
done

# --- report ---------------------------------------------------------------
REPORT=$RES/report.md
{
	echo "# pdig benchmark ($MODE)"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "- machine: nproc=$(nproc), cpu=\"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)\", kernel $(uname -r), cpuidle=$(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo NA)"
	echo "- pdig: $("$PDIG" --version 2>&1 | head -1) ($PDIG)"
	echo "- rounds: $REPS, interleaved round-robin; traced set: $(tr ',' '\n' <<<"$SET" | wc -l) syscalls (pdig default)"
	echo "- cells: median ns per iteration (ratio = untraced / traced; 1.00 = no overhead; the floor runs twice a round, before and after pdig, and its cell is the median of both); last column: floor time / pdig time and strace time / pdig time, each the median of the per-round ratios, the round's floor time being the mean of its two runs"
	echo "- cpu: pinned = \`taskset -c 0\` on tracer and tracee (sysdig consumer on CPU 1); split = tracer on CPU 1, tracee on CPU 0 (consumer free); unpinned = all free. The untraced baseline of split runs on CPU 0."
	echo
	echo "| workload | iters | cpu | untraced | floor | strace | pdig (no consumer) | pdig + sysdig -u | pdig + sysdig vs floor, strace (paired) |"
	echo "|---|---:|---|---:|---:|---:|---:|---:|---:|"
	for w in $WORKLOADS; do
		for pin in $PINS; do
			base=$(awk -v w="$w" -v p="$pin" '$1==w && $2==p && $3=="untraced" {print $4}' "$RAW" | median)
			row="| $w | $(iters "$w") | $pin | $base"
			for cfg in floor strace pdig pdig+sysdig; do
				# the floor: both of its runs in each round
				m=$(awk -v w="$w" -v p="$pin" -v c="$cfg" '$1==w && $2==p && ($3==c || $3==c"-again") {print $4}' "$RAW" | median)
				if [ "$m" = NA ] || [ "$base" = NA ]; then
					row="$row | $m"
				else
					row="$row | $(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.0f (%.2f)", m, (m > 0 ? b / m : 0)}')"
				fi
			done
			# the issue's targets: floor time / pdig time (>= 0.85) and
			# strace time / pdig time (> 1), each the median of the
			# per-round ratios (a round's runs are back to back, so they
			# share the machine's state of the moment)
			row="$row | $(paired "$w" "$pin" floor-both), $(paired "$w" "$pin" strace)"
			echo "$row |"
		done
	done
	echo
	echo "## Per round: floor time / pdig + sysdig -u time"
	echo
	echo "How steady the last column is: the lowest, median and highest of the per-round ratios (floor: the mean of the round's two runs), and in how many rounds pdig was within 0.85 of the floor. The control: the round's first floor run over its second (run after pdig + sysdig -u), judged the same way: how far the same tracer moves within a round."
	echo
	echo "| workload | cpu | lowest | median | highest | rounds >= 0.85 | control lowest | control highest | control rounds >= 0.85 |"
	echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
	for w in $WORKLOADS; do
		for pin in $PINS; do
			# the control: lowest | highest | k of n
			ctl=$(ratios "$w" "$pin" floor floor-again | stats | awk -F' [|] ' '{print $1 " | " $3 " | " $4}')
			echo "| $w | $pin | $(ratios "$w" "$pin" floor-both pdig+sysdig | stats) | $ctl |"
		done
	done
	echo
	echo "## pdig under load: delivery to sysdig -u, RSS, CPU per traced syscall"
	echo
	echo "One run each, $XN iterations; traced syscalls counted by \`floor -v\`. pdig's own CPU (not its tracee's) from /proc/PID/schedstat at exit; max RSS = VmHWM sampled every 2 ms."
	echo
	echo "| workload | cpu | consumer | traced syscalls | pdig wall ms | events/s | driver events | drops | pdig CPU µs/syscall (user/sys ms) | pdig max RSS KiB |"
	echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|"
	while read -r xw pin cons nsys wall cpu ut stm rss ev dr; do
		awk -v xw="$xw" -v pin="$pin" -v cons="$cons" -v nsys="$nsys" -v wall="$wall" -v cpu="$cpu" \
		    -v ut="$ut" -v stm="$stm" -v rss="$rss" -v ev="$ev" -v dr="$dr" 'BEGIN {
			evs = (ev != "NA" && wall > 0) ? sprintf("%.0f", ev / (wall / 1e9)) : "-";
			per = (nsys > 0) ? sprintf("%.1f", cpu / 1000 / nsys) : "NA";
			printf "| %s | %s | %s | %s | %.1f | %s | %s | %s | %s (%s/%s) | %s |\n",
				xw, pin, cons, nsys, wall / 1e6, evs, (ev == "NA" ? "-" : ev), (dr == "NA" ? "-" : dr), per, ut, stm, rss }'
	done < "$EXTRA"
	if [ -s "$RES/drops" ]; then
		echo
		echo "Drops reported by sysdig during the timed pdig + sysdig runs: $(awk '$5 != "NA" {d += $5; e += $4} END {printf "%d of %d events", d, e}' "$RES/drops")."
	fi
} > "$REPORT"

cat "$REPORT"
if [ -n "$OUT" ]; then
	DEST=$OUT
elif [ "$MODE" != tiny ]; then
	DEST=$HERE/results/latest.md
fi
# the raw times beside the report ("workload cpu config ns/iteration", in
# run order), for a second look at a run
if [ -n "${DEST:-}" ]; then
	mkdir -p "$(dirname "$DEST")" && cp "$REPORT" "$DEST" && cp "$RAW" "${DEST%.md}.raw"
fi
echo "run.sh: done in $(( $(date +%s) - START )) s" >&2
