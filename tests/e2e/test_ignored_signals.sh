#!/bin/bash
# A signal the program ignores (SIG_IGN) is discarded by the kernel when it
# is sent. Under ptrace it reaches pdig and interrupts a blocking call,
# which the kernel restarts: none of that is the program's, so the driver
# shows one enter and one exit, and no signal.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

F='*%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'

# pester MODE: three SIGUSR1 while the program blocks (well within its one
# second of sleep), then let it go
pester() {
	local mode=$1 i
	rm -f "$WORK/fifo" "$WORK/ia.out"
	mkfifo "$WORK/fifo"
	if [ "$mode" = read ]; then
		timeout 20 "$PDIG" -e trace=read "$HELPERS/ignored_accept" read "$WORK/fifo" >"$WORK/ia.out" 2>/dev/null &
	elif [ "$mode" = sleep ]; then
		timeout 20 "$PDIG" -e trace=nanosleep "$HELPERS/ignored_accept" sleep >"$WORK/ia.out" 2>/dev/null &
	else
		timeout 20 "$PDIG" "$HELPERS/ignored_accept" >"$WORK/ia.out" 2>/dev/null &
	fi
	local p=$!
	for i in $(seq 500); do [ -s "$WORK/ia.out" ] && break; sleep 0.01; done
	read -r _ hp _ port <"$WORK/ia.out"
	for i in 1 2 3; do
		wait_sleeping "$hp"
		kill -USR1 "$hp"
		sleep 0.05
	done
	wait_sleeping "$hp"
	if [ "$mode" = read ]; then
		echo x >"$WORK/fifo"
	elif [ "$mode" = sleep ]; then
		: # it wakes by itself
	else
		exec 3<>"/dev/tcp/127.0.0.1/$port"
		exec 3<&-
	fi
	wait $p
}

# check MODE CALL WHAT EXIT_REGEX: after pester MODE, CALL has one enter and
# one exit (the call's own: EXIT_REGEX), no restart and no signal shows.
# SELECT narrows the lines counted to the call's own (read: the FIFO's).
check() {
	local mode=$1 call=$2 what=$3 exit_rx=$4 select=${5:-}
	consume_run "$WORK/$mode" "$F" -- pester "$mode"
	expect_eq "$PRC" 0 "$call: $what"
	read -r _ hp _ <"$WORK/ia.out"
	expect_eq "$(grep -E "^$hp\|>\|$call\|$select" "$WORK/$mode" | grep -c .)" 1 "$call: exactly one enter"
	expect_eq "$(grep -E "^$hp\|<\|$call\|$select" "$WORK/$mode" | grep -c .)" 1 "$call: exactly one exit"
	expect_grep "$WORK/$mode" "^$hp\|<\|$call\|SUCCESS\|$exit_rx" "$call: the exit is the call's own"
	expect_no_grep "$WORK/$mode" "ERESTART|restart_syscall" "$call: no restart shows"
	expect_no_grep "$WORK/$mode" "signaldeliver" "$call: no signal (it was ignored)"
}

check accept accept "the connection was taken" 'fd=.*127\.0\.0\.1'
# the FIFO's reads are the program's only ones of one byte
check read read "the byte was read" "res=1 data=x" ".*(size=1 |res=1 )"
# nanosleep is restarted as restart_syscall (-516, ERESTART_RESTARTBLOCK)
check sleep nanosleep "slept to the end" "res=0"
finish
