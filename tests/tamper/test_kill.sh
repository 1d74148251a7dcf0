#!/bin/bash
# A tracee cannot stop, end or flood pdig with signals: a kill of pdig's
# pid (its parent in spawn mode) fails with EPERM, as for a process it may
# not signal, and its enter and exit are events (res=-1 EPERM) though kill
# is not in the default traced set.
. "$(dirname "$0")/lib_tamper.sh" "$@"

for sig in STOP TERM USR1 KILL; do
	n=$(kill -l $sig)
	attack_run $sig kill ppid "$n"
	expect_eq "$PRC" 0 "SIG$sig: pdig and the program end normally"
	expect_grep "$WORK/$sig.stdout" '^kill=EPERM$' "SIG$sig to pdig fails with EPERM"
	expect_grep "$WORK/$sig.out" "^attack\|>\|kill\|<NA>\|pid=[0-9]+\(pdig\) sig=$n\(SIG$sig\)" "SIG$sig: the kill enter is an event"
	expect_grep "$WORK/$sig.out" '^attack\|<\|kill\|EPERM\|res=-1\(EPERM\)' "SIG$sig: the kill exit says EPERM"
	expect_after $sig
done

# kill 0 from the program's process group (pdig's): SIGKILL and SIGSTOP,
# which pdig cannot survive or ignore, are refused whole (a catchable
# group signal runs: test_group_kill.sh)
for sig in KILL STOP; do
	attack_run group$sig kill 0 "$(kill -l $sig)"
	expect_grep "$WORK/group$sig.stdout" '^kill=EPERM$' "SIG$sig to the process group holding pdig fails with EPERM"
	expect_after group$sig
done
# a probe (signal 0) is harmless and runs
attack_run probe kill ppid 0
expect_grep "$WORK/probe.stdout" '^kill=OK$' "kill(pdig, 0) runs"
finish
