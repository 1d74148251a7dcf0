#!/bin/bash
# The park's helper is a task of the program for a moment, so it counts
# against RLIMIT_NPROC and a pids cgroup's pids.max: a thread of a process
# near such a limit is not parked (docs/scale.md "The park"), or the
# program's own fork gets an EAGAIN it never gets natively. park_nproc runs
# as an unnamed uid with RLIMIT_NPROC 3 and keeps two children alive at a time
# (the first park: 6-56 of 200 rounds saw EAGAIN under --threads 3).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
[ "$(id -u)" = 0 ] || skip_test "park_nproc switches to an unprivileged uid (needs root)"

timeout -k 2 60 "$PDIG" --threads 3 -v -o /dev/null "$HELPERS/park_nproc" 600 >"$WORK/nproc.out" 2>"$WORK/nproc.err"
expect_eq "$?" 0 "pdig and the program end normally"
cat "$WORK/nproc.out"
grep -E '^pdig: parks' "$WORK/nproc.err"
expect_grep "$WORK/nproc.out" '^rounds 600 fork EAGAIN 0 other errors 0$' "the program's forks never failed"
expect_grep "$WORK/nproc.err" 'not parked [^:]*: [1-9]' \
	"threads of the process at its limit were not parked"
finish
