#!/bin/bash
# Consumer lifecycle while pdig runs a program that opens a numbered file
# every 10 ms: a consumer that starts after pdig gets the events from then
# on; a consumer killed with SIGKILL makes pdig stop writing (the ring's
# head stops moving, the program keeps its pace); the next consumer gets
# the events again. The program is never held up by any of this.
# Steps wait for what they need (consumer ready, events seen), not for
# fixed times, so a slow machine does not make the test flaky.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
OPENER=${HELPERS:?}/opener
PERIOD=10
F='*%proc.pid %evt.dir %evt.type %fd.name'
FILTER='evt.type=openat and evt.dir=<'

start_consumer() { # OUT: starts sysdig -u, waits until it owns the ring; sets SP
	sysdig -u -v -p "$F" $FILTER >"$1" 2>"$1.err" &
	SP=$!
	local i
	for i in $(seq 1000); do
		[ "$(rd_u32 60)" = "$SP" ] && return 0
		kill -0 $SP 2>/dev/null || break
		sleep 0.01
	done
	fail "consumer $1 did not become ready"; cat "$1.err"; return 1
}
seen() { grep -cE " $WORK/c\.[0-9]+$" "$1"; }
wait_seen() { # OUT COUNT: until the consumer printed COUNT opens (10 s max)
	local i
	for i in $(seq 1000); do [ "$(seen "$1")" -ge "$2" ] && return 0; sleep 0.01; done
	fail "$1: fewer than $2 opens seen"; return 1
}
files() { ls "$WORK" | grep -c '^c\.[0-9]*$'; }
# numbers OUT: the file numbers seen, sorted
numbers() { grep -E " $WORK/c\.[0-9]+$" "$1" | sed 's/.*\.//' | sort -n; }
contiguous() { awk 'NR > 1 && $1 != prev + 1 { bad++ } { prev = $1 } END { exit bad ? 1 : 0 }'; }

# At most 30 s; stopped through the stop file once the test is done.
"$PDIG" -v "$OPENER" 3000 "$WORK/c" $PERIOD "$WORK/stop" >"$WORK/opener.out" 2>"$WORK/pdig.err" &
PP=$!
sleep 1
# 1. a consumer attaches after pdig started
start_consumer "$WORK/c1" || { kill $PP; finish; }
wait_seen "$WORK/c1" 30
# 2. it dies without a word
kill -KILL $SP; wait $SP 2>/dev/null
sleep 0.3 # pdig probes the consumer's PID every 100 ms
h1=$(rd_u32 0); n1=$(files); t1=$(date +%s%N)
sleep 1.5
h2=$(rd_u32 0); n2=$(files); t2=$(date +%s%N)
expect_eq "$h2" "$h1" "dead consumer: pdig stopped writing (head stays at $h1)"
rate=$(( (n2 - n1) * 1000000000 / (t2 - t1) ))
echo "program rate while the consumer is dead: $rate opens/s"
# 4. a new consumer takes over
start_consumer "$WORK/c2" || { kill $PP; finish; }
wait_seen "$WORK/c2" 30
n3=$(files); t3=$(date +%s%N)
sleep 1.5
n4=$(files); t4=$(date +%s%N)
rate2=$(( (n4 - n3) * 1000000000 / (t4 - t3) ))
echo "program rate with the second consumer: $rate2 opens/s"
# A program held up by the dead consumer would make next to no opens (pdig
# waiting on the ring stops it at its first one); a loaded machine (the
# sanitizer suite runs two tests at once) only slows both windows. So the
# bound is a third of the nominal 100/s and of the live-consumer window.
[ $rate -ge 33 ] && [ $rate -ge $((rate2 / 3)) ] && ok "dead consumer: the program keeps its pace ($rate vs $rate2 opens/s)" \
	|| fail "dead consumer: the program slowed down ($rate vs $rate2 opens/s)"
touch "$WORK/stop"
wait $PP
expect_eq "$?" 0 "pdig exits with the program's status"
for i in $(seq 500); do [ "$(rd_u32 0)" = "$(rd_u32 4)" ] && break; sleep 0.01; done
kill -INT $SP; wait $SP
expect_eq "$?" 0 "second consumer exits 0"

read -r _ N secs _ late <"$WORK/opener.out"
numbers "$WORK/c1" >"$WORK/c1.n"; numbers "$WORK/c2" >"$WORK/c2.n"
f1=$(head -1 "$WORK/c1.n"); l1=$(tail -1 "$WORK/c1.n")
f2=$(head -1 "$WORK/c2.n"); l2=$(tail -1 "$WORK/c2.n")
echo "first consumer saw ${f1:-none}..${l1:-none}, second ${f2:-none}..${l2:-none} of 0..$((N - 1))"
[ -n "$f1" ] && [ "$f1" -ge 50 ] && ok "late consumer: events from its start on (first ${f1})" \
	|| fail "late consumer: first number ${f1:-none}, expected >= 50"
contiguous <"$WORK/c1.n" && ok "first consumer: no gap in ${f1}..${l1}" || fail "first consumer: gaps in ${f1}..${l1}"
[ -n "$f2" ] && [ -n "$l1" ] && [ "$f2" -gt $((l1 + 50)) ] && ok "dead period: events not written (${l1} -> ${f2})" \
	|| fail "dead period: second consumer starts at ${f2:-none}, first ended at ${l1:-none}"
contiguous <"$WORK/c2.n" && ok "second consumer: no gap in ${f2}..${l2}" || fail "second consumer: gaps in ${f2}..${l2}"
expect_eq "$l2" $((N - 1)) "second consumer: sees the last open"
expect_grep "$WORK/c2.err" '^Driver Drops:0$' "second consumer: no drops"
echo "program: $N opens in ${secs}s, worst lateness ${late} ms"
expect_grep "$WORK/pdig.err" 'udig: .*discarded \(no consumer or sampled out\) [1-9]' "pdig counted the events nobody took"
finish
