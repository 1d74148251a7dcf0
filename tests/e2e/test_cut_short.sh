#!/bin/bash
# A thread blocked in a syscall and ended from elsewhere (exit_group in a
# sibling, SIGKILL, exec in a sibling) gets the exit event the driver
# gives it: the syscall's restart errno, then the SIGKILL that ended the
# thread (signaldeliver, no sender), then its procexit, in that order.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

F='*%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'

# first line number of a /REGEX/ in FILE, or 0
line_of() { local n; n=$(grep -En -m1 -- "$2" "$1" | cut -d: -f1); echo "${n:-0}"; }

# check_cut FILE TID WHAT: TID's read ends, then SIGKILL, then procexit
check_cut() {
	local f=$1 tid=$2 what=$3
	local rx sd px
	rx=$(line_of "$f" "^$tid\|<\|read\|")
	sd=$(line_of "$f" "^$tid\|>\|signaldeliver\|")
	px=$(line_of "$f" "^$tid\|>\|procexit\|")
	expect_grep "$f" "^$tid\|<\|read\|ERESTARTSYS\|" "$what: the blocked read has its exit, with the restart errno"
	expect_grep "$f" "^$tid\|>\|signaldeliver\|.*spid=0 dpid=$tid(\([^)]*\))? sig=9\(SIGKILL\)" "$what: the thread's SIGKILL is reported, with no sender"
	if [ "$rx" -gt 0 ] && [ "$sd" -gt "$rx" ] && [ "$px" -gt "$sd" ]; then
		ok "$what: read exit, signaldeliver, procexit in this order"
	else
		fail "$what: order read exit ($rx), signaldeliver ($sd), procexit ($px) in $f"
	fi
}

# a sibling calls exit_group
consume_run "$WORK/exit" "$F" -- timeout 20 "$PDIG" -e trace=read "$HELPERS/cut_short" exit >"$WORK/exit.out"
expect_eq "$PRC" 3 "exit_group: the program's status"
read -r _ pid _ reader <"$WORK/exit.out"
check_cut "$WORK/exit" "$reader" "exit_group in a sibling"
expect_no_grep "$WORK/exit" "^$pid\|>\|signaldeliver\|" "exit_group: its caller takes no signal"

# SIGKILL to the process: both threads were in read
kill_it() {
	timeout 20 "$PDIG" -e trace=read "$HELPERS/cut_short" kill >"$WORK/kill.out" 2>/dev/null &
	local p=$! i
	for i in $(seq 500); do [ -s "$WORK/kill.out" ] && break; sleep 0.01; done
	read -r _ pid _ reader <"$WORK/kill.out"
	wait_sleeping "$pid"
	kill -KILL "$pid"
	wait $p
}
consume_run "$WORK/kill" "$F" -- kill_it
expect_eq "$PRC" 137 "SIGKILL: pdig exits as the program did"
read -r _ pid _ reader <"$WORK/kill.out"
check_cut "$WORK/kill" "$reader" "SIGKILL (the second thread)"
check_cut "$WORK/kill" "$pid" "SIGKILL (the main thread)"

# the main thread execs: the reader is killed by the exec
consume_run "$WORK/exec" "$F" -- timeout 20 "$PDIG" -e trace=read,execve "$HELPERS/cut_short" exec /bin/true >"$WORK/exec.out"
expect_eq "$PRC" 0 "exec: the new program's status"
read -r _ pid _ reader <"$WORK/exec.out"
check_cut "$WORK/exec" "$reader" "exec in a sibling"
finish
