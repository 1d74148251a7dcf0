#!/bin/bash
# The driver's order where a consumer's state depends on it (issue 18 item 4):
# - a procexit comes when the thread exits (its PTRACE_EVENT_EXIT stop),
#   not when pdig reaps it: a leader that exits before its other threads is
#   reaped only after the last of them;
# - a vfork parent's clone-family exit comes once the kernel resumes it,
#   after the child has exec'd or exited (PTRACE_EVENT_VFORK_DONE), not
#   when the child is made.
# The markers are opens: openat under glibc, open under musl.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

F='*%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'
# first line number of a /REGEX/ in FILE, or 0
line_of() { local n; n=$(grep -En -m1 -- "$2" "$1" | cut -d: -f1); echo "${n:-0}"; }

# the leader's procexit before the open its sibling makes once it is gone
consume_run "$WORK/leader" "$F" -- timeout 20 "$PDIG" "$HELPERS/exit_order" leader >"$WORK/leader.out"
expect_eq "$PRC" 0 "leader: the program's status"
read -r _ pid _ _ <"$WORK/leader.out"
px=$(line_of "$WORK/leader" "^$pid\|>\|procexit\|")
mk=$(line_of "$WORK/leader" "\|<\|open(at)?\|.*pdig-order-marker-after-leader")
if [ "$px" -gt 0 ] && [ "$mk" -gt "$px" ]; then
	ok "leader: its procexit (line $px) comes at its exit, before the sibling's later open (line $mk)"
else
	fail "leader: procexit line $px, the sibling's later open line $mk in $WORK/leader"
fi
n=$(grep -Ec "^$pid\|>\|procexit\|" "$WORK/leader")
expect_eq "$n" 1 "leader: one procexit (not again when reaped)"

# check_vfork FILE TYPE WHAT AFTER: the parent's TYPE exit (res = child)
# comes after the child's line matching AFTER
check_vfork() {
	local f=$1 type=$2 what=$3 after=$4
	local pid child px cx
	read -r _ pid _ child <"$f.out"
	px=$(line_of "$f" "^$pid\|<\|$type\|SUCCESS\|res=$child\(")
	cx=$(line_of "$f" "^$child\|$after")
	if [ "$px" -gt 0 ] && [ "$cx" -gt 0 ] && [ "$px" -gt "$cx" ]; then
		ok "$what: the parent's $type exit (line $px) comes after the child's $after (line $cx)"
	else
		fail "$what: parent's $type exit line $px, child's $after line $cx in $f"
	fi
	n=$(grep -Ec "^$pid\|<\|$type\|SUCCESS\|res=$child\(" "$f")
	expect_eq "$n" 1 "$what: one $type exit in the parent"
}

consume_run "$WORK/vexec" "$F" -- timeout 20 "$PDIG" "$HELPERS/exit_order" vfork-exec /bin/true >"$WORK/vexec.out"
expect_eq "$PRC" 0 "vfork-exec: the program's status"
check_vfork "$WORK/vexec" vfork "vfork then exec" '>\|execve\|'
check_vfork "$WORK/vexec" vfork "vfork then exec" '<\|open(at)?\|.*pdig-order-marker-vfork-child'

consume_run "$WORK/vexit" "$F" -- timeout 20 "$PDIG" "$HELPERS/exit_order" vfork-exit >"$WORK/vexit.out"
expect_eq "$PRC" 0 "vfork-exit: the program's status"
check_vfork "$WORK/vexit" vfork "vfork then _exit" '<\|open(at)?\|.*pdig-order-marker-vfork-child'

# posix_spawn: a clone (or clone3) with CLONE_VFORK, reported as a vfork stop
consume_run "$WORK/spawn" "$F" -- timeout 20 "$PDIG" "$HELPERS/exit_order" spawn /bin/true >"$WORK/spawn.out"
expect_eq "$PRC" 0 "spawn: the program's status"
type=$(grep -Eo "^[0-9]+\|<\|clone3?\|SUCCESS\|res=$(awk '{print $4}' "$WORK/spawn.out")\(" "$WORK/spawn" | head -1 | cut -d'|' -f3)
check_vfork "$WORK/spawn" "${type:-clone}" "posix_spawn" '>\|execve\|'
finish
