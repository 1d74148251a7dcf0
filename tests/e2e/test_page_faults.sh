#!/bin/bash
# pgft_min of clone exits is the calling thread's own count (the driver
# reads current->min_flt), not the process's total, and a new thread or
# child starts at 0. Truth: getrusage(RUSAGE_THREAD) right before each
# clone, in a process where another thread took 2000 faults before.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
"$PDIG" -w "$WORK/cap.scap" "$HELPERS/page_faults" >"$WORK/truth"
expect_eq "$?" 0 "page_faults exits 0"
expect_eq "$(grep -c "^\(thread\|fork\)|" "$WORK/truth")" 4 "a thread and a fork, twice"
sysdig -r "$WORK/cap.scap" -p '*%evt.type|%evt.rawres|%thread.tid|%evt.arg.pgft_min|%evt.arg.pgft_maj' \
	"evt.dir=< and evt.type in (clone,clone3,fork,vfork)" >"$WORK/events" 2>"$WORK/events.err"
main=$(awk -F'|' '$2 != 0 {print $3; exit}' "$WORK/events")
while IFS="|" read -r what child own; do
	parent=$(awk -F'|' -v c="$child" '$2 == c {print $4; exit}' "$WORK/events")
	# a few faults come between the count and the clone (the new stack)
	if [ -n "$parent" ] && [ "$parent" -ge "$own" ] && [ "$parent" -le $((own + 100)) ]; then
		ok "$what $child: the creator's clone exit has its own fault count ($parent; own $own before the call)"
	else
		fail "$what $child: the creator's clone exit has pgft_min '$parent', want $own..$((own + 100)) (the main thread's own)"
	fi
	expect_grep "$WORK/events" "^[a-z0-9]+\|0\|$child\|0\|0$" "$what $child: the child's clone exit starts at 0 faults"
done < <(grep '^\(thread\|fork\)|' "$WORK/truth")
[ -n "$main" ] || fail "no clone exit of the main thread in the capture"
finish
