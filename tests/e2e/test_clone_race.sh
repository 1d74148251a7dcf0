#!/bin/bash
# A pthread_create and a fork racing in one process (issue 18 item 7): when
# a new thread's first stop comes before its creator's clone event, pdig
# finds the creator among the threads in clone calls. It must pick one of
# the right kind: a thread's clone exit (child side) carries CLONE_THREAD
# and names the creating process, a forked child's carries no
# CLONE_THREAD and is its own process, as the driver reports them.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

ROUNDS=150
"$PDIG" -w "$WORK/cap.scap" "$HELPERS/clone_race" $ROUNDS >"$WORK/truth"
expect_eq "$?" 0 "clone_race exits 0"
expect_eq "$(grep -c '^thread ' "$WORK/truth")" $ROUNDS "every thread reported itself"
expect_eq "$(grep -c '^child ' "$WORK/truth")" $ROUNDS "every child reported itself"
sysdig -r "$WORK/cap.scap" -p '%thread.tid|%proc.pid|%evt.arg.flags' \
	"evt.type in (clone,clone3,fork,vfork) and evt.dir=< and evt.rawres=0" >"$WORK/events" 2>"$WORK/events.err"
bad=0
while read -r kind id; do
	line=$(grep -m1 "^$id|" "$WORK/events")
	case "$kind:$line" in
	thread:"$id|$id|"* | thread:*"|0") bad=$((bad + 1)); echo "thread $id as a process: $line" ;;
	thread:*CLONE_THREAD*) ;;
	thread:*) bad=$((bad + 1)); echo "thread $id: $line" ;;
	child:*CLONE_THREAD*) bad=$((bad + 1)); echo "child $id as a thread: $line" ;;
	child:"$id|$id|"*) ;;
	child:*) bad=$((bad + 1)); echo "child $id: $line" ;;
	esac
done <"$WORK/truth"
expect_eq "$bad" 0 "new threads and children described with their own creator's kind of clone"
finish
