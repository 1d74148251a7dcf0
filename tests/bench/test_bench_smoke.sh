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
trap 'rm -f "$OUT"' EXIT
timeout 60 bash "$RUN" --tiny --out "$OUT" > /dev/null 2> "$OUT.err" || { cat "$OUT.err"; rm -f "$OUT.err"; fail "run.sh --tiny failed"; }
rm -f "$OUT.err"

grep -q '^# pdig benchmark (tiny)' "$OUT" || fail "no title"
grep -q '^- date: ' "$OUT" || fail "no date"
grep -Eq '^- machine: nproc=[0-9]+, cpu=".*", kernel ' "$OUT" || fail "no machine line"
grep -q '^| workload | iters | cpu | untraced | floor | strace | pdig (no consumer) | pdig + sysdig -u | pdig + sysdig vs floor, strace (paired) |$' "$OUT" || fail "no main table header"

# the per-round spread: one row per workload and placement
grep -q '^| workload | cpu | lowest | median | highest | rounds >= 0.85 |$' "$OUT" || fail "no per-round table header"
spread_rows=$(grep -cE '^\| [a-z]+ \| (pinned|split|unpinned) \| [0-9]+\.[0-9][0-9] \| [0-9]+\.[0-9][0-9] \| [0-9]+\.[0-9][0-9] \| [0-9]+ of [0-9]+ \|$' "$OUT")
want_rows=16; [ "$(nproc)" -gt 1 ] && want_rows=24
[ "$spread_rows" = "$want_rows" ] || fail "per-round table has $spread_rows well-formed rows, want $want_rows"

# 8 workloads x {pinned, split, unpinned}; 9 cells each; numbers (or NA where a
# tool is missing) and ratios in parentheses, then the two target ratios
PINS="pinned unpinned"; [ "$(nproc)" -gt 1 ] && PINS="pinned split unpinned"
rows=0
for w in file thread fork exec malloc openclose stat devnull; do
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

grep -q '^## pdig under load' "$OUT" || fail "no load section"
n=$(grep -cE '^\| (openclose|file) \| (pinned|unpinned) \| none \| [0-9]+ \| [0-9.]+ \| - \| - \| - \| [0-9.]+ \([0-9]+/[0-9]+\) \| [0-9]+ \|$' "$OUT")
[ "$n" = 4 ] || fail "expected 4 no-consumer load rows, got $n"
if command -v sysdig >/dev/null; then
	n=$(grep -cE '^\| (openclose|file) \| (pinned|unpinned) \| sysdig \| [0-9]+ \| [0-9.]+ \| [0-9]+ \| [0-9]+ \| [0-9]+ \| [0-9.]+ \([0-9]+/[0-9]+\) \| [0-9]+ \|$' "$OUT")
	[ "$n" = 4 ] || fail "expected 4 sysdig load rows, got $n"
fi
echo "PASS: report with $rows rows"
