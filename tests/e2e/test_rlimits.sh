#!/bin/bash
# The fdlimit of clone and execve exits is cached for up to 100 ms, so it
# must follow a change made by setrlimit or by prlimit64 with a new limit
# at once (those calls always stop; glibc's getrlimit, a prlimit64 without
# one, does not). Truth: what the program set before each fork and exec.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
"$PDIG" -w "$WORK/cap.scap" "$HELPERS/rlimits" /bin/true >"$WORK/truth"
expect_eq "$?" 0 "rlimits exits 0"
expect_eq "$(grep -c '^fork|' "$WORK/truth")" 3 "three forks"
sysdig -r "$WORK/cap.scap" -p '*%evt.type|%evt.rawres|%thread.tid|%proc.pid|%evt.arg.fdlimit' \
	"evt.dir=< and evt.type in (clone,fork,vfork,execve)" >"$WORK/events" 2>"$WORK/events.err"
while IFS="|" read -r what pid limit; do
	case $what in
	fork)
		# the parent's exit (res = child pid) and the child's (res 0)
		expect_grep "$WORK/events" "^(clone|fork|vfork)\|$pid\|[0-9]+\|[0-9]+\|$limit$" \
			"fork of $pid: the parent's clone exit has fdlimit $limit"
		expect_grep "$WORK/events" "^(clone|fork|vfork)\|0\|$pid\|$pid\|$limit$" \
			"fork of $pid: the child's clone exit has fdlimit $limit" ;;
	exec)
		expect_grep "$WORK/events" "^execve\|0\|$pid\|$pid\|$limit$" "exec: the execve exit has fdlimit $limit" ;;
	esac
done <"$WORK/truth"
finish
