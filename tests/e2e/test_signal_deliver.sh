#!/bin/bash
# signaldeliver as the driver gives it: one per signal taken from the queue,
# with the sender the driver names (SIGTERM, SIGINT, SIGHUP, SIGTSTP,
# SIGQUIT, SIGCHLD and real-time signals; 0 for the others) and the thread
# that takes it; none for a signal the program ignores, which the kernel
# discards when it is sent. A fatal signal without a handler becomes a
# group exit when it is sent: each thread then takes a SIGKILL, no sender.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

F='*%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'

# sig_wait catches USR1 and TERM, ignores USR2. kill is the shell's own,
# so the sender is this shell.
signal_it() {
	timeout 20 "$PDIG" -e trace=read "$HELPERS/sig_wait" >"$WORK/sw.out" 2>/dev/null &
	local p=$! i
	for i in $(seq 500); do [ -s "$WORK/sw.out" ] && break; sleep 0.01; done
	read -r _ hp <"$WORK/sw.out"
	wait_sleeping "$hp"
	kill -USR2 "$hp"
	sleep 0.05
	wait_sleeping "$hp"
	kill -USR1 "$hp"
	sleep 0.05
	wait_sleeping "$hp"
	kill -TERM "$hp"
	wait $p
}
consume_run "$WORK/sw" "$F" -- signal_it
expect_eq "$PRC" 0 "the program took both signals and ended"
read -r _ hp <"$WORK/sw.out"
expect_grep "$WORK/sw" "^$hp\|>\|signaldeliver\|.*spid=0 dpid=$hp(\([^)]*\))? sig=10\(SIGUSR1\) ?$" \
	"SIGUSR1: signaldeliver, no sender named (as the driver), dpid the thread"
expect_grep "$WORK/sw" "^$hp\|>\|signaldeliver\|.*spid=$$(\([^)]*\))? dpid=$hp(\([^)]*\))? sig=15\(SIGTERM\) ?$" \
	"SIGTERM: signaldeliver with the sender's pid"
expect_no_grep "$WORK/sw" "signaldeliver\|.*SIGUSR2" "SIGUSR2 (ignored): no signaldeliver"
n=$(grep -c "signaldeliver" "$WORK/sw")
expect_eq "$n" 2 "one signaldeliver per delivered signal"
# the read each caught signal interrupted ends before its signal, with what
# the driver's syscall tracepoint sees
rx=$(grep -n -m1 "^$hp|<|read|ERESTARTSYS|" "$WORK/sw" | cut -d: -f1)
sd=$(grep -n -m1 "signaldeliver|.*SIGUSR1" "$WORK/sw" | cut -d: -f1)
if [ -n "$rx" ] && [ -n "$sd" ] && [ "$rx" -lt "$sd" ]; then
	ok "the interrupted read's exit comes before the signal"
else
	fail "interrupted read exit ($rx) before signaldeliver ($sd)"
fi

# a stop signal is delivered (then the group stops): reported, with the
# sender for SIGTSTP (the shell itself)
stop_it() {
	timeout 20 "$PDIG" -e trace=none /bin/sh -c "echo \$\$ > $WORK/stop.pid; kill -TSTP \$\$; echo resumed" \
		>"$WORK/stop.out" 2>&1 &
	local p=$! i st=""
	for i in $(seq 500); do
		[ -s "$WORK/stop.pid" ] && st=$(awk '{print $3}' "/proc/$(cat "$WORK/stop.pid")/stat" 2>/dev/null)
		case "$st" in T|t) break ;; esac
		sleep 0.01
	done
	kill -CONT "$(cat "$WORK/stop.pid")"
	wait $p
}
consume_run "$WORK/stop" "$F" -- stop_it
expect_eq "$PRC" 0 "the shell stopped, was continued and ended"
shp=$(cat "$WORK/stop.pid")
expect_grep "$WORK/stop" "^$shp\|>\|signaldeliver\|.*spid=$shp(\([^)]*\))? dpid=$shp(\([^)]*\))? sig=20\(SIGTSTP\) ?$" \
	"SIGTSTP: signaldeliver before the group stop, the sender named"

# SIGTERM without a handler: a group exit, reported as the thread's SIGKILL
term_it() {
	timeout 20 "$PDIG" -e trace=none /bin/sleep 30 &
	local p=$! i sp=""
	for i in $(seq 500); do
		# timeout, then pdig, then sleep
		sp=$(pgrep -P "$(pgrep -P $p)")
		[ -n "$sp" ] && [ "$(awk '{print $3}' "/proc/$sp/stat" 2>/dev/null)" = S ] && break
		sleep 0.01
	done
	echo "$sp" >"$WORK/term.pid"
	kill -TERM "$sp"
	wait $p
}
consume_run "$WORK/term" "$F" -- term_it
expect_eq "$PRC" 143 "sleep died of SIGTERM"
sp=$(cat "$WORK/term.pid")
expect_grep "$WORK/term" "^$sp\|>\|signaldeliver\|.*spid=0 dpid=$sp(\([^)]*\))? sig=9\(SIGKILL\) ?$" \
	"a fatal SIGTERM with no handler: the driver's SIGKILL of the group exit"
expect_grep "$WORK/term" "^$sp\|>\|procexit\|.*sig=15\(SIGTERM\)" "procexit names SIGTERM"
expect_eq "$(grep -c signaldeliver "$WORK/term")" 1 "one signaldeliver"
finish
