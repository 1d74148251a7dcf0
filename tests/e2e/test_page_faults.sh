#!/bin/bash
# pgft_min of clone exits is the calling thread's own count (the driver
# reads current->min_flt), not the process's total; a new thread starts at
# 0, a fork child at the one fault its birth costs. Truth: getrusage(RUSAGE_THREAD) right before each
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
	got=$(awk -F'|' -v c="$child" '$2 == 0 && $3 == c {print $4 "|" $5; exit}' "$WORK/events")
	if [ "$what" = thread ]; then
		expect_eq "$got" "0|0" "thread $child: the new thread's clone exit has 0 faults (no copy-on-write before it runs)"
	else
		# glibc's fork passes CLONE_CHILD_SETTID: the kernel writes the tid
		# into the child's copy-on-write page before its first return
		early=$(awk -F'|' -v c="$child" '$1 == "child" && $2 == c {print $3}' "$WORK/truth")
		if [ -n "$early" ] && [ "$got" = "1|0" ] && [ "$early" -ge 1 ]; then
			ok "fork $child: the child's clone exit has 1 fault (the tid written at its birth; it counted $early itself a moment later)"
		else
			fail "fork $child: the child's clone exit has pgft_min|maj '$got', want 1|0 (the child counted '$early' on its first line)"
		fi
	fi
done < <(grep '^\(thread\|fork\)|' "$WORK/truth")
raw=$(awk -F'|' '$1 == "rawclone" {print $2}' "$WORK/truth")
expect_eq "$(awk -F'|' -v c="$raw" '$2 == 0 && $3 == c {print $4 "|" $5; exit}' "$WORK/events")" "0|0" \
	"raw clone with CLONE_CHILD_SETTID and no address ($raw): its child's clone exit has 0 faults"
[ -n "$main" ] || fail "no clone exit of the main thread in the capture"
finish
