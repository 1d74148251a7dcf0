#!/bin/bash
# pdig -P PID on a forking server: events from the children that existed
# before the attach and from those forked after it, each with the right
# proc.name and proc.ppid.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/f
mkdir -p "$D"
"$HELPERS/forker" "$D" &
FP=$!
wait_for 5 test -s "$D/ids" || { fail "forker did not start"; finish; }
read -r FP K1 K2 <"$D/ids"

session() {
	"$PDIG" -P "$FP" 2>"$WORK/pdig.err" &
	PP=$!
	wait_for 5 eval 'traced_by $FP $PP && traced_by $K1 $PP && traced_by $K2 $PP' || echo "not attached in 5 s"
	# ~10 workers forked under the tracer
	sleep 0.5
	kill -INT "$PP"
	wait_exit "$PP" 5
}

consume_run "$WORK/out" '%proc.name|%proc.pid|%proc.ppid|%thread.tid|%evt.dir|%evt.type|%fd.name' \
	"evt.type=openat and evt.dir=<" -- session

expect_eq "$WRC" 0 "pdig exits 0 after SIGINT"
expect_eq "$(cat "$WORK/pdig.err")" "" "nothing on stderr"
expect_grep "$WORK/out" "^oldkid\|$K1\|$FP\|$K1\|<\|openat\|$D/old.txt$" "first pre-existing child: openat, name oldkid, ppid $FP"
expect_grep "$WORK/out" "^oldkid\|$K2\|$FP\|$K2\|<\|openat\|$D/old.txt$" "second pre-existing child too"
# workers: new pids, named after their parent, with its pid as ppid
awk -F'|' -v d="$D/new.txt" '$7 == d' "$WORK/out" >"$WORK/new"
nw=$(wc -l <"$WORK/new")
[ "$nw" -ge 3 ] && ok "$nw openat from children forked after the attach" || fail "only $nw openat of new.txt"
expect_eq "$(awk -F'|' -v fp="$FP" '$1 != "forker" || $3 != fp || $2 != $4 || $2 <= 0' "$WORK/new" | head -3)" "" \
	"each new child is named forker, its own process, with ppid $FP"
expect_eq "$(cut -d'|' -f2 "$WORK/new" | sort -u | wc -l)" "$nw" "one openat per new child (distinct pids)"
expect_no_grep "$WORK/out" "^<NA>" "no unnamed thread"

# after the detach: all still run, untraced
for p in "$FP" "$K1" "$K2"; do
	expect_eq "$(status_field "$p" TracerPid)" 0 "$p no longer traced"
done
kill -0 "$FP" 2>/dev/null && ok "server still runs" || fail "server is gone"
# no child left stopped or traced (one forked during the detach included)
sleep 0.2
stuck=""
for s in /proc/[0-9]*/status; do
	p=${s#/proc/}; p=${p%/status}
	# one read of status: a worker may exit between two reads
	read -r ppid state tracer < <(awk '$1 == "PPid:" {pp = $2} $1 == "State:" {st = $2}
		$1 == "TracerPid:" {tr = $2} END {print pp, st, tr}' "$s" 2>/dev/null)
	[ "$ppid" = "$FP" ] || continue
	case "$state" in t|T) stuck="$stuck $p($state)" ;; esac
	[ "${tracer:-0}" = 0 ] || stuck="$stuck $p(traced by $tracer)"
done
expect_eq "$stuck" "" "no child of the server left stopped or traced"
kill -KILL "$FP"
finish
