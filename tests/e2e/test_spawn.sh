#!/bin/bash
# Children started with fork+exec and with posix_spawn (clone/vfork+exec).
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%proc.ppid|%evt.dir|%evt.type|%evt.res|%proc.args'
consume_run "$WORK/out" "$F" -- "$PDIG" "$HELPERS/spawn" /bin/true /bin/echo >"$WORK/stdout"
expect_eq "$PRC" 0 "spawn exits 0"
read -r _ fpid _ spid < <(grep "^fork " "$WORK/stdout")
ppid=$(grep -E '^spawn\|' "$WORK/out" | head -1 | cut -d'|' -f2)
expect_grep "$WORK/out" "^true\|$fpid\|$ppid\|<\|execve\|SUCCESS\|forked-arg$" "fork+exec child: name, pid, ppid, args"
expect_grep "$WORK/out" "^echo\|$spid\|$ppid\|<\|execve\|SUCCESS\|spawned-arg$" "posix_spawn child: name, pid, ppid, args"
expect_grep "$WORK/out" "^true\|$fpid\|$ppid\|>\|procexit\|" "fork child procexit"
expect_grep "$WORK/out" "^echo\|$spid\|$ppid\|>\|procexit\|" "spawn child procexit"
finish
