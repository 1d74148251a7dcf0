#!/bin/bash
# No pause() escapes the trace by carrying the old park's magic argument.
# The park used to be pause(PARK_MAGIC), which the seccomp filter let run
# unstopped with --threads N > 1. The park is now a vfork-style clone made
# while traced (docs/scale.md "The park"), so that rule is gone: with any
# number of tracer threads both of a tracee's pauses, pause(PARK_MAGIC)
# and pause(0), are traced.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
"$PDIG" -a --threads 1 -o "$WORK/one.txt" "$HELPERS/park_magic"
expect_eq "$?" 0 "--threads 1: pdig and the program end normally"
expect_eq "$(grep -c '> syscall ID=pause' "$WORK/one.txt")" 2 "--threads 1: both pauses are traced, the magic one too"
"$PDIG" -a -o "$WORK/default.txt" "$HELPERS/park_magic"
expect_eq "$(grep -c '> syscall ID=pause' "$WORK/default.txt")" 2 "default: both pauses are traced"
# with two there is no rule any more: the magic one is traced too
"$PDIG" -a --threads 2 -o "$WORK/two.txt" "$HELPERS/park_magic"
expect_eq "$?" 0 "--threads 2: pdig and the program end normally"
expect_eq "$(grep -c '> syscall ID=pause' "$WORK/two.txt")" 2 "--threads 2: both pauses are traced, the magic one too"
finish
