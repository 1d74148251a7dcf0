#!/bin/bash
# Exit statuses and CLI errors (no consumer needed).
. "$(dirname "$0")/lib.sh"
"$PDIG" /bin/sh -c 'exit 3' 2>/dev/null; expect_eq $? 3 "exit status passes through"
"$PDIG" /bin/sh -c 'kill -TERM $$' 2>/dev/null; expect_eq $? 143 "death by SIGTERM gives 128+15"
"$PDIG" /bin/sh -c 'kill -KILL $$' 2>/dev/null; expect_eq $? 137 "death by SIGKILL gives 128+9"
"$PDIG" /no/such/program 2>"$WORK/err"; expect_eq $? 127 "missing program: 127"
expect_grep "$WORK/err" '^pdig: /no/such/program: No such file or directory$' "missing program: one-line error"
"$PDIG" no-such-program-anywhere 2>"$WORK/err"; expect_eq $? 127 "program not in PATH: 127"
expect_grep "$WORK/err" '^pdig: no-such-program-anywhere: ' "not in PATH: one-line error"
printf 'x' >"$WORK/noexec"; chmod 644 "$WORK/noexec"
"$PDIG" "$WORK/noexec" 2>"$WORK/err"; expect_eq $? 126 "not executable: 126"
expect_eq "$(wc -l <"$WORK/err")" 1 "not executable: one line"
"$PDIG" --bogus-option true 2>"$WORK/err"; expect_eq $? 2 "unknown option: 2"
"$PDIG" 2>/dev/null; expect_eq $? 2 "no program: 2"
"$PDIG" -h >"$WORK/help"; expect_eq $? 0 "-h exits 0"
expect_grep "$WORK/help" '^usage: pdig' "-h prints usage"
"$PDIG" --version >"$WORK/ver"; expect_grep "$WORK/ver" 'schema 1\.0\.0' "--version names the schema"
# stdin/stdout pass through untouched
out=$(echo hello | "$PDIG" /bin/cat 2>/dev/null); expect_eq "$out" hello "stdin and stdout pass through"
finish
