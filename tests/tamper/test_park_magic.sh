#!/bin/bash
# The seccomp filter lets pause(PARK_MAGIC) run unstopped only where pdig
# hands threads between tracer threads (--threads N > 1, a spawned program):
# with one tracer thread (--threads 1, the default on one CPU, and attach
# mode) a tracee's pause(PARK_MAGIC) is traced like any other pause, so no
# call escapes the trace by carrying the magic argument.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
"$PDIG" -a --threads 1 -o "$WORK/one.txt" "$HELPERS/park_magic"
expect_eq "$?" 0 "--threads 1: pdig and the program end normally"
expect_eq "$(grep -c '> syscall ID=pause' "$WORK/one.txt")" 2 "--threads 1: both pauses are traced, the magic one too"
# the default is one tracer thread per CPU pdig may use: one on one CPU
if command -v taskset >/dev/null; then
	taskset -c 0 "$PDIG" -a -o "$WORK/default.txt" "$HELPERS/park_magic"
	expect_eq "$(grep -c '> syscall ID=pause' "$WORK/default.txt")" 2 "default on one CPU: both pauses are traced"
else
	skip_part default-one-cpu "needs taskset"
fi
# with two the rule is there (the park call is the handover's own)
"$PDIG" -a --threads 2 -o "$WORK/two.txt" "$HELPERS/park_magic"
expect_eq "$(grep -c '> syscall ID=pause' "$WORK/two.txt")" 1 "--threads 2: the park call is let through, the other pause traced"
finish
