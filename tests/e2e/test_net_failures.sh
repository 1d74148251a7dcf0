#!/bin/bash
# Failed socket calls as the driver reports them (libs e5c53d64's fillers):
# a send that failed carries no data, a failed recvmsg's size is its
# buffers' total (its unsigned compare never caps it), a failed socketpair
# has fds 0 and 0. Truth: the errno each call returned in the program.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
"$PDIG" -a -w "$WORK/cap.scap" "$HELPERS/net_failures" >"$WORK/truth"
expect_eq "$?" 0 "net_failures exits 0"
expect_eq "$(wc -l <"$WORK/truth")" 3 "three failed calls"
# one run per call: rawarg of a param another event type lacks stops sysdig
ev() { sysdig -r "$WORK/cap.scap" -p "*%evt.type|%evt.rawres|$2" "evt.dir=< and evt.type=$1 and evt.rawres<0" 2>>"$WORK/events.err"; }
while IFS="|" read -r call err; do
	case $call in
	sendto)
		ev sendto '%evt.arg.data' >"$WORK/sendto"
		expect_grep "$WORK/sendto" "^sendto\|$err\|$" "sendto failed with $err: no data" ;;
	recvmsg)
		ev recvmsg '%evt.arg.size|%evt.arg.data|%evt.arg.tuple' >"$WORK/recvmsg"
		expect_grep "$WORK/recvmsg" "^recvmsg\|$err\|128\|\|(NULL)?$" "recvmsg failed with $err: size 128 (the buffers' total), no data, no tuple" ;;
	socketpair)
		ev socketpair '%evt.arg.fd1|%evt.arg.fd2|%evt.arg.source|%evt.arg.peer' >"$WORK/socketpair"
		expect_grep "$WORK/socketpair" "^socketpair\|$err\|0\|0\|0\|0$" "socketpair failed with $err: fds and ids 0" ;;
	esac
done <"$WORK/truth"
finish
