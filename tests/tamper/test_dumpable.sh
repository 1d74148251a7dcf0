#!/bin/bash
# A tracee that makes itself non-dumpable (prctl(PR_SET_DUMPABLE, 0))
# would blind pdig: without CAP_SYS_PTRACE a tracer can no longer read its
# memory (process_vm_readv and PTRACE_PEEKDATA alike), so every path in
# its later events would be empty (on main before this, its open of
# /etc/hostname showed `name=` and an fd with no path). pdig, unprivileged
# here, refuses the call with EPERM; its events are made though -e leaves
# prctl out.
. "$(dirname "$0")/lib_tamper.sh" "$@"

attack_run nodump nodump
expect_eq "$PRC" 0 "pdig and the program end normally"
expect_grep "$WORK/nodump.stdout" '^nodump=EPERM$' "prctl(PR_SET_DUMPABLE, 0) fails with EPERM"
expect_grep "$WORK/nodump.out" '^attack\|>\|prctl\|' "the refused prctl's enter is an event"
expect_grep "$WORK/nodump.out" '^attack\|<\|prctl\|' "the refused prctl's exit is an event"
# the path of the open that follows is still read from the program's memory
expect_after nodump
finish
