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

# kill 0 from the program's process group (pdig's): refused whole
attack_run group kill 0 15
expect_grep "$WORK/group.stdout" '^kill=EPERM$' "SIGTERM to the process group holding pdig fails with EPERM"
expect_after group
# a probe (signal 0) is harmless and runs
attack_run probe kill ppid 0
expect_grep "$WORK/probe.stdout" '^kill=OK$' "kill(pdig, 0) runs"
finish
