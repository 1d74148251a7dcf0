#!/bin/bash
# NOT A CTEST (no test_ prefix): the reproducer of a hole that is still
# open with --threads N > 1 (docs/scale.md, "What is still open").
# A new process handed to another tracer thread is parked in pause() on its
# way and fetches the `syscall` at rip-2 again with no tracer, so a sibling
# that rewrites those bytes (park_rip.c toggles them in a shared RWX page)
# makes it run its own code untraced. Detaching at the park call's
# syscall-entry stop does not close it: the detach itself marks the thread
# as having a signal pending, pause() returns -ERESTARTNOHAND at once and
# the kernel's restart fetches rip-2 untraced (seen: 16-38 of 300 children
# under load with that change). Run: PDIG=build/pdig HELPERS=build/tests/
# tamper/progs bash tests/tamper/repro_park_rip.sh (fails while open).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
timeout -k 2 90 "$PDIG" --threads 2 -o /dev/null "$HELPERS/park_rip" 300 >"$WORK/rip.stdout" 2>"$WORK/rip.stderr"
expect_eq "$?" 0 "pdig and the program end normally"
cat "$WORK/rip.stdout"
read -r _ forks _ nops _ untraced < "$WORK/rip.stdout"
expect_eq "${untraced:-x}" 0 "no child ran untraced ($forks forks, $nops ran the rewritten bytes, traced)"
[ "${forks:-0}" -ge 100 ] || fail "only ${forks:-0} forks made: the race was hardly tried"

finish
