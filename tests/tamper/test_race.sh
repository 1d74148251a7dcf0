#!/bin/bash
# The entry check of a writing open can lose a race (a thread swaps a
# symlink between pdig's lookup and the kernel's). The exit check cannot:
# a process that gets a writable fd to pdig's file is killed before it
# returns to user mode, so no open of the ring ever succeeds for it.
. "$(dirname "$0")/lib_tamper.sh" "$@"
mkdir "$WORK/o"; chmod 777 "$WORK/o"
attack_run race race /dev/shm/udig_buf "$WORK/o"
if grep -q '^race wins=' "$WORK/race.stdout"; then
	expect_grep "$WORK/race.stdout" '^race wins=0 ' "no open got the ring for writing"
	expect_grep "$WORK/race.stdout" 'refused=[1-9]' "the entry check refused some opens with EACCES"
	echo "info: $(cat "$WORK/race.stdout")"
else
	# won once: killed by pdig at that open's exit
	expect_eq "$PRC" 137 "the process that won the race is killed (SIGKILL)"
	expect_grep "$WORK/race.stderr" 'past the guard.s check \(a race\): killed' "pdig says why"
	# the ring's device (major 0, so the event's dev is its minor in hex)
	dev=$(printf '%X' "$(stat -c %d /dev/shm/udig_buf)")
	expect_grep "$WORK/race.out" "^attack\|<\|(open|openat)\|SUCCESS\|.* dev=$dev " "the winning open is an event (the ring's device)"
	expect_grep "$WORK/race.out" '^attack\|>\|procexit\|' "its death is an event"
fi
finish
