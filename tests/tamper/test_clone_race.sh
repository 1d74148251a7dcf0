#!/bin/bash
# CLONE_UNTRACED through clone3, raced: pdig clears the flag in a copy of
# clone_args it puts below the thread's stack pointer, but that copy is in
# the program's memory, and a sibling thread writing the flag there in a
# loop puts it back before the kernel reads it nearly every time (on main
# before this, 134-194 of 200 children ran untraced). pdig follows such a
# clone3 to its exit: a child made without the clone event tracing gives
# is an escape, and the child and its creator's process are killed.
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/escape" "$WORK/"
chmod 755 "$WORK/escape"

# On a loaded machine the racer can lose all 200 rounds (then every child
# is traced and there is nothing to kill): up to 5 runs, until it wins.
for attempt in 1 2 3 4 5; do
	tamper_run escape race clone3race 200
	expect_no_grep "$WORK/race.stdout" 'escaped=[1-9]' "run $attempt: no child ran untraced to report it"
	grep -q '^clone3race escaped=0 traced=200 ' "$WORK/race.stdout" && [ "$PRC" = 0 ] || break
	echo "run $attempt: the race was not won: every child traced; again"
done
if grep -q '^clone3race escaped=0 traced=200 ' "$WORK/race.stdout" && [ "$PRC" = 0 ]; then
	ok "the race was not won in 5 runs of 200 rounds: every child traced"
else
	expect_eq "$PRC" 137 "the racing process is killed (SIGKILL)"
	expect_grep "$WORK/race.stderr" '^pdig: thread [0-9]+ made a child \([0-9]+\) that is not traced' "pdig says why it killed it"
	# the escaped clone3's exit, with the child's pid, is an event, as the
	# driver would make it
	expect_grep "$WORK/race.out" '^escape\|<\|clone3\|SUCCESS\|res=[1-9][0-9]*\(escape\) .*flags=[0-9]+\(CLONE_UNTRACED\)' "the escaping clone3's exit is an event"
	expect_grep "$WORK/race.out" '^escape\|>\|procexit\|' "the killed process's exit is an event"
fi

# attached (-p, no filter): an escaped child would run with no filter at
# all, so the same race is checked there
consume_run "$WORK/att.out" "$F" proc.name=escape -- attached att clone3race 200
expect_no_grep "$WORK/att.stdout" 'escaped=[1-9]' "attached: no child ran untraced to report it"
# (attached, every syscall stops twice: on a loaded machine the racer may
# lose all 200 rounds, and then there is nothing to kill)
if grep -q '^clone3race escaped=0 traced=200 ' "$WORK/att.stdout"; then
	ok "attached: the race was not won this time: every child traced"
else
	expect_eq "$ERC" 137 "attached: the racing process is killed (SIGKILL)"
	expect_grep "$WORK/att.stderr" '^pdig: thread [0-9]+ made a child \([0-9]+\) that is not traced' "attached: pdig says why it killed it"
fi
finish
