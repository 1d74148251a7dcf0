#!/bin/bash
# A traced script's group signal (`trap 'kill 0' EXIT`, common in shell
# scripts and CI) reaches the script's processes as without pdig, though
# the program runs in pdig's process group, and pdig is neither stopped
# nor ended by it: it drops its own copy (src/tracer/guard_group.c). Only
# SIGKILL and SIGSTOP, which pdig cannot survive or ignore, are refused
# where they would reach pdig. Each script runs in a session of its own
# (setsid), so its `kill 0` reaches nothing of the test's.
. "$(dirname "$0")/lib_tamper.sh" "$@"

# group_run NAME SCRIPT [PDIG ARGS...]: the script as uid 65534 under pdig
# (in its own session, pdig leading its group) with a live consumer
group_run() {
	local name=$1 script=$2; shift 2
	consume_run "$WORK/$name.out" "$F" -- timeout -k 2 20 setsid -w "${AS_USER[@]}" "$WORK/pdig" "$@" \
		sh -c "$script" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
}
plain_run() {
	timeout -k 2 20 setsid -w "${AS_USER[@]}" sh -c "$1" >"$WORK/$2.stdout" 2>&1
}

# The script ends by signalling its group with SIGTERM: itself and its
# background sleep die of it (exit 143), as without pdig; pdig returns 143
# at once, not after the sleep's 30 s.
EXIT_KILL='trap "kill 0" EXIT; sleep 30 & echo $! >'$WORK'/sleep.pid; cat /etc/hostname >/dev/null; sleep 0.2'
plain_run "$EXIT_KILL" plain
PLAIN=$?
expect_eq "$PLAIN" 143 "without pdig the script dies of its own SIGTERM"
start=$(date +%s)
group_run exit "$EXIT_KILL"
took=$(($(date +%s) - start))
expect_eq "$PRC" "$PLAIN" "under pdig the script's kill 0 ends it as without pdig (pdig's exit status)"
[ "$took" -lt 10 ] && ok "pdig returns with the script (${took} s), not after the background sleep" ||
	fail "pdig returned after ${took} s: the background sleep survived the script's kill 0"
kill -0 "$(cat "$WORK/sleep.pid")" 2>/dev/null && fail "the background sleep survived the kill 0" ||
	ok "the background sleep died of the kill 0"
expect_no_grep "$WORK/exit.stderr" 'not permitted|ended by' "no EPERM for the kill, and pdig was not ended by it"
expect_grep "$WORK/exit.out" '^cat\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "the script's events reach the consumer"
expect_grep "$WORK/exit.out" '^sleep\|>\|signaldeliver\|' "the sleep's death is an event"
expect_grep "$WORK/exit.out" '^sh\|>\|procexit\||^sh\|>\|signaldeliver\|' "the script's end is an event"

# traced, the kill is an event that succeeded
group_run traced "$EXIT_KILL" -e trace=kill,execve,openat,open
expect_eq "$PRC" 143 "traced kill: pdig exits 143"
expect_grep "$WORK/traced.out" '^sh\|>\|kill\|<NA>\|pid=0 sig=15\(SIGTERM\)' "the kill 0 enter is an event"
expect_grep "$WORK/traced.out" '^sh\|<\|kill\|SUCCESS\|res=0' "the kill 0 exit says it succeeded"

# a signal pdig handles (it forwards SIGUSR1 from outside to the program):
# the script, which catches it, takes it once, from itself; pdig neither
# forwards a second copy nor ends
USR='trap "echo got-usr1" USR1; kill -USR1 0; sleep 0.3; cat /etc/hostname >/dev/null; echo end'
group_run usr1 "$USR"
expect_eq "$PRC" 0 "kill -USR1 0: the script and pdig end normally"
expect_eq "$(grep -c got-usr1 "$WORK/usr1.stdout")" 1 "the script takes its own SIGUSR1 once"
expect_grep "$WORK/usr1.stdout" '^end$' "the script goes on after its kill -USR1 0"
expect_grep "$WORK/usr1.out" '^cat\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "events after kill -USR1 0 reach the consumer"

# a stop signal: the script ignores SIGTSTP, pdig must not stop (it would
# hold every traced call, and the script would hang)
TSTP='trap "" TSTP; kill -TSTP 0; cat /etc/hostname >/dev/null; echo end'
group_run tstp "$TSTP"
expect_eq "$PRC" 0 "kill -TSTP 0: pdig is not stopped, the script ends normally"
expect_grep "$WORK/tstp.stdout" '^end$' "the script goes on after its kill -TSTP 0"

# SIGKILL to the group would end pdig: refused, the script goes on
K9='kill -9 0; echo "rc=$?"; cat /etc/hostname >/dev/null'
group_run kill9 "$K9" -e trace=kill,execve,openat,open
expect_grep "$WORK/kill9.stdout" '^rc=1$' "kill -9 0 fails (pdig cannot survive it)"
expect_grep "$WORK/kill9.out" '^sh\|<\|kill\|EPERM\|res=-1\(EPERM\)' "the refused kill -9 0 is an event with EPERM"
expect_grep "$WORK/kill9.out" '^cat\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "events after kill -9 0 reach the consumer"

# With several tracer threads (docs/scale.md): the caller is traced by
# another tracer thread than pdig's main one (which takes pdig's signals),
# and the signal must be blocked in every tracer thread, not only in the
# caller's. The script's first child (group_far) is handed to the idle
# second tracer thread, with the thread it starts to keep that tracer
# thread busy; it signals its group (kill 0) or pdig's group by number
# (kill -PGID) 20 times, and says which tracer thread served it. The script
# ignores the signal (so does its child: inherited), and leaves a sleep
# running: had pdig taken a signal, it would end the trace by killing that
# sleep ("ended by SIGTERM") once the script exits, or die of SIGBUS. On
# main before this, pdig took the signal (worker 0 ran its handler before
# the caller's worker took it back at the call's exit).
cp "$HELPERS/group_far" "$WORK/"
chmod 755 "$WORK/group_far"
for spec in "2 15 group" "2 15 pgid" "3 7 group"; do
	set -- $spec
	name=far$1-$2-$3
	group_run $name "trap '' TERM BUS; $WORK/group_far $2 $3 20; cat /etc/hostname >/dev/null; sleep 1.5 & echo end" \
		--threads "$1"
	where=$(grep '^tracer=' "$WORK/$name.stdout")
	case "$where" in
	tracer=*" pgid="*" kills=20")
		tracer=${where#tracer=}; tracer=${tracer%% *}
		pdigpid=${where#* pgid=}; pdigpid=${pdigpid%% *}
		[ "$tracer" != "$pdigpid" ] && [ "$tracer" -gt 0 ] &&
			ok "$name: the caller was traced by another tracer thread ($tracer) than pdig's main one ($pdigpid)" ||
			fail "$name: the caller was traced by pdig's main thread or none: $where" ;;
	*) fail "$name: the caller's report: '$where'" ;;
	esac
	expect_eq "$PRC" 0 "$name: --threads $1, signal $2 to the $3 20 times: the script and pdig end normally"
	expect_grep "$WORK/$name.stdout" '^end$' "$name: the script goes on after the group signals"
	expect_no_grep "$WORK/$name.stderr" 'ended by|not permitted' "$name: pdig was not ended by them, and did not refuse them"
	expect_grep "$WORK/$name.out" '^cat\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "$name: later events reach the consumer"
done
finish
