#!/bin/bash
# A vfork parent's clone-family exit is held until the kernel resumes it
# (after the child execs or exits). If pdig is told to let go while the
# parent is still waiting, the held exit is written before the detach, not
# lost without a count: the capture pairs every vfork enter with its exit.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

D=$WORK/v
mkdir -p "$D"
"$HELPERS/vfork_held" "$D" >"$D/out" &
VP=$!
wait_for 5 test -s "$D/pid" || { fail "vfork_held did not start"; finish; }
"$PDIG" -v -p "$VP" -e trace=vfork,clone,clone3 -o "$WORK/t.txt" 2>"$WORK/pdig.err" &
PP=$!
wait_for 5 traced_by "$VP" "$PP" || { fail "not attached in 5 s"; finish; }
touch "$D/go"
# the parent is now inside vfork for 2.5 s: let pdig go in the middle
sleep 1
kill -INT "$PP"
wait_exit "$PP" 10
expect_eq "$WRC" 0 "pdig exits 0 after SIGINT"
wait "$VP"
expect_eq "$?" 0 "the program ends normally once let go"
child=$(cat "$D/out")
expect_grep "$WORK/t.txt" "> vfork" "the parent's vfork enter"
expect_grep "$WORK/t.txt" "< vfork.*res=$child\b" "the parent's held vfork exit (res=$child) is written before the detach"
expect_grep "$WORK/pdig.err" "text: events written 3," "-v counts the three events it wrote"
finish
