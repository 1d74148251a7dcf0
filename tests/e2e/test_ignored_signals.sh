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

consume_run "$WORK/accept" "$F" -- pester accept
expect_eq "$PRC" 0 "accept: the connection was taken"
read -r _ hp _ <"$WORK/ia.out"
expect_eq "$(grep -c "^$hp|>|accept|" "$WORK/accept")" 1 "accept: exactly one enter"
expect_eq "$(grep -c "^$hp|<|accept|" "$WORK/accept")" 1 "accept: exactly one exit"
expect_grep "$WORK/accept" "^$hp\|<\|accept\|SUCCESS\|fd=.*127\.0\.0\.1" "accept: the exit is the connection's"
expect_no_grep "$WORK/accept" "ERESTART" "accept: no restart errno shows"
expect_no_grep "$WORK/accept" "signaldeliver" "accept: no signal (it was ignored)"

consume_run "$WORK/read" "$F" -- pester read
expect_eq "$PRC" 0 "read: the byte was read"
read -r _ hp _ <"$WORK/ia.out"
# the FIFO's reads: the program's only ones of one byte
fifo_reads() { grep -Ec "^$hp\|$1\|read\|.*(size=1 |res=1 )" "$WORK/read"; }
expect_eq "$(fifo_reads '>')" 1 "read: exactly one enter"
expect_eq "$(fifo_reads '<')" 1 "read: exactly one exit"
expect_grep "$WORK/read" "^$hp\|<\|read\|SUCCESS\|res=1 data=x" "read: the exit is the byte's"
expect_no_grep "$WORK/read" "ERESTART" "read: no restart errno shows"
# nanosleep is restarted as restart_syscall (-516, ERESTART_RESTARTBLOCK)
consume_run "$WORK/sleep" "$F" -- pester sleep
expect_eq "$PRC" 0 "nanosleep: slept to the end"
read -r _ hp _ <"$WORK/ia.out"
expect_eq "$(grep -c "^$hp|>|nanosleep|" "$WORK/sleep")" 1 "nanosleep: exactly one enter"
expect_eq "$(grep -c "^$hp|<|nanosleep|" "$WORK/sleep")" 1 "nanosleep: exactly one exit"
expect_grep "$WORK/sleep" "^$hp\|<\|nanosleep\|SUCCESS\|res=0" "nanosleep: the exit is the whole sleep's"
expect_no_grep "$WORK/sleep" "ERESTART|restart_syscall" "nanosleep: no restart shows"
finish
