#!/bin/bash
# pdig's tracer threads signal each other: a wake for a handover
# (workers.c) and the guard's request to block a tracee's group signal
# (guard_mask.c). Real-time signals sent by tgkill fail with EAGAIN once
# the user's pending signals reach RLIMIT_SIGPENDING, and a tracee of
# pdig's uid can fill that queue (sigq_fill: blocks a real-time signal and
# queues it to itself until EAGAIN). Before: every group kill waited 1 s
# under the core lock and was refused (EPERM); a handover to a tracer
# thread asleep in its wait never got taken (pdig hung: its first tracer
# thread re-sent the wake every 200 us, forever). Now such a request goes
# as SIGURG, which the queue cannot refuse (docs/scale.md).
#
# A uid of its own (61419), so that the full queue is only this test's,
# and RLIMIT_SIGPENDING 64 (prlimit), so that filling it is quick. Each
# run is in a session of its own (setsid): pdig leads the group the
# program's kill(0, SIG) signals.
. "$(dirname "$0")/lib_tamper.sh" "$@"
[ "$(id -u)" = 0 ] || skip_test "switches to a uid of its own (needs root)"
command -v prlimit >/dev/null || skip_test "needs prlimit"
command -v setsid >/dev/null || skip_test "needs setsid"
AS=(prlimit --sigpending=64:64 setpriv --reuid=61419 --regid=61419 --clear-groups --inh-caps=-all --bounding-set=-all)
cp "$HELPERS/sigq_fill" "$WORK/"
chmod 755 "$WORK/sigq_fill"

# sq_run NAME ARGS...: sigq_fill ARGS under pdig --threads 2 -v, with a live
# consumer, at most 30 s (the program's sleeper alone would take 40)
sq_run() {
	local name=$1; shift
	local t0=$(date +%s%N)
	consume_run "$WORK/$name.out" "$F" -- timeout -k 2 30 setsid -w "${AS[@]}" "$WORK/pdig" --threads 2 -v \
		"$WORK/sigq_fill" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
	TOOK_MS=$((($(date +%s%N) - t0) / 1000000))
	cat "$WORK/$name.stdout"
	grep -E '^pdig: (tracer thread|guard|signals between)' "$WORK/$name.stderr"
	expect_grep "$WORK/$name.stdout" '^queued=[0-9]+ probe=EAGAIN$' \
		"$name: the queue was full (a real-time tgkill got EAGAIN)"
	expect_eq "$PRC" 0 "$name: pdig and the program end normally (in ${TOOK_MS} ms)"
	expect_no_grep "$WORK/$name.stderr" 'pdig: ended by|not permitted' "$name: pdig was not ended, refused nothing"
	expect_grep "$WORK/$name.stderr" '^pdig: signals between tracer threads: [0-9]+ sent, [1-9][0-9]* as SIGURG' \
		"$name: requests went as SIGURG (the real-time ones were refused)"
}

# Group signals: without pdig every kill(0, SIG) succeeds at once.
timeout -k 2 30 setsid -w "${AS[@]}" "$WORK/sigq_fill" kills 10 15 7 >"$WORK/plain.stdout" 2>&1
expect_eq "$?" 0 "without pdig the program ends normally"
expect_grep "$WORK/plain.stdout" '^kills=20 of 20 refused=0 ' "without pdig every group kill succeeds"
sq_run kills kills 10 15 7
expect_grep "$WORK/kills.stdout" '^kills=20 of 20 refused=0 ' "under pdig every group kill succeeds, as without"
slowest=$(sed -n 's/.* slowest_us=\([0-9]*\)$/\1/p' "$WORK/kills.stdout")
[ -n "$slowest" ] && [ "$slowest" -lt 300000 ] && ok "the slowest group kill took ${slowest} us (the old wait: 1 s)" ||
	fail "the slowest group kill took '${slowest}' us: pdig waited for its tracer threads"
longest=$(sed -n 's/^pdig: guard: .*longest wait \([0-9]*\) us.*/\1/p' "$WORK/kills.stderr")
[ -n "$longest" ] && [ "$longest" -lt 300000 ] && ok "pdig's longest wait for its tracer threads: ${longest} us" ||
	fail "pdig's longest wait for its tracer threads: '${longest}' us"
expect_grep "$WORK/kills.out" '^sigq_fill\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' \
	"kills: the program's events after the group kills reach the consumer"

# Handovers to a tracer thread asleep in its wait: all taken, no hang.
sq_run handover handover 8 8
expect_grep "$WORK/handover.stdout" '^threads=8 procs=8 opens=3$' "every thread and child ran, every child traced"
expect_grep "$WORK/handover.stdout" '^tracers=2$' "the threads were served by both tracer threads"
# (the first goes to an idle tracer thread, woken by its condition
# variable; the later ones to one asleep in waitpid, which only a signal
# wakes: on the build before, 2-6 were taken, then pdig hung)
expect_grep "$WORK/handover.stderr" '^pdig: tracer thread 1: [1-9][0-9]* stops served, handovers ([2-9]|[1-9][0-9]+) in' \
	"tracer thread 1 took handovers while asleep in its wait"
expect_no_grep "$WORK/handover.stderr" 'handovers [0-9]+ in, [0-9]+ out, [1-9]' "no handover failed"
opens=$(grep -cE '^sigq_fill\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "$WORK/handover.out")
expect_eq "$opens" 48 "every open of the threads and children is an event (16 x 3)"

# SIGURG at startup (its handler has no SA_RESTART): it must not break the
# wait for the forked child's stop, and no child may be left stopped behind.
bad=0
for r in $(seq 10); do
	rm -f "$WORK/st.pid"
	( for i in $(seq 2000); do [ -s "$WORK/st.pid" ] && break; done
	  p=$(cat "$WORK/st.pid" 2>/dev/null); k=0
	  while [ -n "$p" ] && [ $k -lt 300 ] && kill -URG "$p" 2>/dev/null; do k=$((k + 1)); done ) &
	u=$!
	timeout -k 2 30 bash -c 'echo $$ >"$0/st.pid"; exec "$@"' "$WORK" \
		"$WORK/pdig" --threads 2 -o /dev/null /bin/true 2>"$WORK/st.err" || bad=$((bad + 1))
	wait "$u"
done
expect_eq "$bad" 0 "SIGURG at startup: pdig started the program in every one of 10 runs"
left=$(ps -eo stat=,args= | grep -c "^T.*$WORK/pdig --threads 2 -o /dev/null /bin/true" || true)
expect_eq "$left" 0 "SIGURG at startup: no stopped child left behind"

# SIGURG now has a handler in pdig: sent from outside (root, as fast as
# bash's kill goes, up to 20 000, while the program runs, queue full), it changes nothing, as when it was
# ignored: pdig ends normally, nothing is lost. (pdig's pid: setsid and
# prlimit exec, so the shell's pid is pdig's.)
rm -f "$WORK/pdig.pid"
(
	for i in $(seq 500); do [ -s "$WORK/pdig.pid" ] && break; sleep 0.01; done
	p=$(cat "$WORK/pdig.pid" 2>/dev/null)
	n=0
	while [ -n "$p" ] && [ $n -lt 20000 ] && kill -URG "$p" 2>/dev/null; do n=$((n + 1)); done
	echo "$n" >"$WORK/urg.count"
) &
urger=$!
consume_run "$WORK/urg.out" "$F" -- timeout -k 2 30 bash -c 'echo $$ >"$0/pdig.pid"; exec "$@"' "$WORK" \
	setsid -w "${AS[@]}" "$WORK/pdig" --threads 2 -v "$WORK/sigq_fill" handover 8 8 \
	>"$WORK/urg.stdout" 2>"$WORK/urg.stderr"
wait "$urger"
expect_eq "$PRC" 0 "outside SIGURG: pdig and the program end normally"
# at least one: how many fit in the run depends on the machine's speed
[ "$(cat "$WORK/urg.count")" -ge 1 ] && ok "outside SIGURG: sent $(cat "$WORK/urg.count") while pdig ran" ||
	fail "outside SIGURG: only '$(cat "$WORK/urg.count")' sent while pdig ran"
expect_grep "$WORK/urg.stdout" '^threads=8 procs=8 opens=3$' "outside SIGURG: every thread and child ran, every child traced"
opens=$(grep -cE '^sigq_fill\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "$WORK/urg.out")
expect_eq "$opens" 48 "outside SIGURG: every open is an event"
finish
