#!/bin/bash
# sysdig 0.41.4 (libs 0.23.2) replays a capture pdig wrote in schema 1.0.0:
# libs >= 0.20 converts old events read from files.
. "$(dirname "$0")/lib.sh"
sid_need
"$PDIG" -w "$WORK/cap.scap" /bin/cat /etc/hostname >/dev/null
expect_eq $? 0 "pdig -w exits 0"
sid_read "$WORK/cap.scap" '*%proc.name|%evt.dir|%evt.type|%proc.cmdline|%fd.name|%evt.res' >"$WORK/out" 2>"$WORK/err"
expect_eq $? 0 "sysdig 0.41.4 -r exits 0 $(head -c 300 "$WORK/err")"
expect_grep "$WORK/out" '^cat\|<\|execve\|cat /etc/hostname\|' "execve exit: cat, cmdline"
expect_grep "$WORK/out" '^cat\|<\|openat\|cat /etc/hostname\|/etc/hostname\|SUCCESS' "openat exit: fd.name"
expect_grep "$WORK/out" '^cat\|>\|procexit\|' "procexit"
expect_no_grep "$WORK/out" '^<NA>\|' "every event has a process name"
finish
