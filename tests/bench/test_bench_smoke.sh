#!/bin/bash
# Smoke test for the benchmark runner: bench/run.sh --tiny must finish and
# write a well-formed report. Timing is never checked.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
RUN=$HERE/../../bench/run.sh
fail() { echo "FAIL: $*"; [ -f "${OUT:-}" ] && cat "$OUT"; exit 1; }

# the runner needs a private mount namespace (root, or user namespaces)
NS="-m"; [ "$(id -u)" = 0 ] || NS="-r -m"
unshare $NS true 2>/dev/null || { echo "SKIP: cannot unshare $NS"; exit 77; }

OUT=$(mktemp /tmp/bench-smoke.XXXXXX.md)
RAWF=${OUT%.md}.raw
trap 'rm -f "$OUT" "$RAWF"' EXIT
timeout 60 bash "$RUN" --tiny --out "$OUT" > /dev/null 2> "$OUT.err" || { cat "$OUT.err"; rm -f "$OUT.err"; fail "run.sh --tiny failed"; }
rm -f "$OUT.err"

grep -q '^# pdig benchmark (tiny)' "$OUT" || fail "no title"
grep -q '^- date: ' "$OUT" || fail "no date"
grep -Eq '^- machine: nproc=[0-9]+, cpu=".*", kernel ' "$OUT" || fail "no machine line"
grep -q '^| workload | iters | cpu | untraced | floor | strace | pdig (no consumer) | pdig + sysdig -u | pdig + sysdig vs floor, strace (paired) |$' "$OUT" || fail "no main table header"

# the per-round spread: one row per workload and placement
# and the control (the floor against itself within a round)
grep -q '^| workload | cpu | lowest | median | highest | rounds >= 0.85 | control lowest | control highest | control rounds >= 0.85 |$' "$OUT" || fail "no per-round table header"
R2='[0-9]+\.[0-9][0-9]'
spread_rows=$(grep -cE "^\| [a-z]+ \| (pinned|split|unpinned) \| $R2 \| $R2 \| $R2 \| [0-9]+ of [0-9]+ \| $R2 \| $R2 \| [0-9]+ of [0-9]+ \|\$" "$OUT")
# the workloads: cc (a real program) only where there is a compiler
WLS="file thread fork exec cc malloc openclose stat devnull"
command -v cc >/dev/null || { WLS=${WLS/ cc/}; echo "SKIP: cc workload rows: no cc on PATH"; }
npins=2; [ "$(nproc)" -gt 1 ] && npins=3
want_rows=$(( $(wc -w <<<"$WLS") * npins ))
[ "$spread_rows" = "$want_rows" ] || fail "per-round table has $spread_rows well-formed rows, want $want_rows"

# each workload x {pinned, split, unpinned}; 9 cells each; numbers (or NA where a
# tool is missing) and ratios in parentheses, then the two target ratios
PINS="pinned unpinned"; [ "$(nproc)" -gt 1 ] && PINS="pinned split unpinned"
rows=0
for w in $WLS; do
	for pin in $PINS; do
		line=$(grep -E "^\| $w \| [0-9]+ \| $pin \| " "$OUT") || fail "no row $w/$pin"
		cells=$(awk -F'|' '{print NF - 2}' <<<"$line")
		[ "$cells" = 9 ] || fail "row $w/$pin has $cells cells"
		awk -F'|' '{
			if ($5 !~ /^ [0-9.]+ $/) exit 1
			for (i = 6; i <= 9; i++) if ($i !~ /^ ([0-9]+ \([0-9]+\.[0-9][0-9]\)|NA) $/) exit 1
			if ($10 !~ /^ (-|([0-9]+\.[0-9][0-9]|-), ([0-9]+\.[0-9][0-9]|-)) $/) exit 1
		}' <<<"$line" || fail "bad cells in row $w/$pin: $line"
		# the floor and pdig always run
		awk -F'|' '$6 ~ /NA/ || $8 ~ /NA/ {exit 1}' <<<"$line" || fail "floor or pdig missing in $w/$pin"
		rows=$((rows + 1))
	done
done

# the raw times are kept beside the report, and the target ratio is the
# floor's mean of its two runs in the round (before and after pdig) over
# pdig + sysdig's time: recompute one cell from them (one round in --tiny)
[ -s "$RAWF" ] || fail "no raw times beside the report"
for cfg in untraced floor strace pdig floor-again; do
	grep -qE "^file pinned $cfg [0-9.]+$" "$RAWF" || fail "raw times lack file/pinned/$cfg"
done
if grep -qE '^file pinned pdig\+sysdig [0-9.]+$' "$RAWF"; then
	want=$(awk '$1 == "file" && $2 == "pinned" {t[$3] = $4}
		END {printf "%.2f", (t["floor"] + t["floor-again"]) / 2 / t["pdig+sysdig"]}' "$RAWF")
	got=$(grep -E '^\| file \| [0-9]+ \| pinned \| ' "$OUT" | awk -F'|' '{split($10, a, ","); gsub(/ /, "", a[1]); print a[1]}')
	[ "$got" = "$want" ] || fail "file/pinned floor/pdig is $got, the raw times give $want"
fi

grep -q '^## pdig under load' "$OUT" || fail "no load section"
n=$(grep -cE '^\| (openclose|file) \| (pinned|unpinned) \| none \| [0-9]+ \| [0-9.]+ \| - \| - \| - \| [0-9.]+ \([0-9]+/[0-9]+\) \| [0-9]+ \|$' "$OUT")
[ "$n" = 4 ] || fail "expected 4 no-consumer load rows, got $n"
if command -v sysdig >/dev/null; then
	n=$(grep -cE '^\| (openclose|file) \| (pinned|unpinned) \| sysdig \| [0-9]+ \| [0-9.]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9.]+ \([0-9]+/[0-9]+\) \| [0-9]+ \|$' "$OUT")
	[ "$n" = 4 ] || fail "expected 4 sysdig load rows, got $n"
else
	echo "SKIP: sysdig load rows: sysdig is not installed"
fi
echo "PASS: report with $rows rows"
