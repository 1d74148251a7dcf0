#!/bin/bash
# `pdig cat FILE`: the open names the file; process fields are right.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%evt.res|%proc.exe|%proc.cmdline|%user.name|%fd.name|%evt.args'
consume_run "$WORK/out" "$F" -- "$PDIG" /bin/cat /etc/passwd >"$WORK/stdout"
expect_eq "$PRC" 0 "cat exits 0 under pdig"
cmp -s "$WORK/stdout" /etc/passwd && ok "cat output unchanged" || fail "cat output differs"
expect_grep "$WORK/out" '^cat\|[0-9]+\|[0-9]+\|<\|execve\|SUCCESS\|/bin/cat\|cat /etc/passwd\|root\|' "execve exit names cat, exe and cmdline"
expect_grep "$WORK/out" '^cat\|.*\|>\|openat\|.*name=/etc/passwd' "openat enter carries the path"
expect_grep "$WORK/out" '^cat\|.*\|<\|openat\|SUCCESS\|/bin/cat\|cat /etc/passwd\|root\|/etc/passwd\|fd=[0-9]+\(<f>/etc/passwd\)' "openat exit: fd.name=/etc/passwd, user root"
expect_grep "$WORK/out" '^cat\|.*\|>\|close\|.*\|/etc/passwd\|fd=[0-9]+\(<f>/etc/passwd\)' "close names the file"
expect_grep "$WORK/out" '^cat\|.*\|>\|procexit\|' "procexit"
expect_no_grep "$WORK/out" '\|>\|read\|' "read is not traced by default"
expect_no_grep "$WORK/out" "^<NA>\|" "every event has a process name"
finish
