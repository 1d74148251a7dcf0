#!/bin/bash
# pdig's -w capture file and -o file cannot be opened for writing or
# truncated by the tracee, by their name or through a symlink to them.
. "$(dirname "$0")/lib_tamper.sh" "$@"
mkdir "$WORK/o"; chmod 777 "$WORK/o"
PDIG_ARGS="-w $WORK/o/cap.scap -o $WORK/o/text.txt"

attack_run scap openw "$WORK/o/cap.scap"
expect_grep "$WORK/scap.stdout" '^openw=EACCES$' "-w file: open for writing fails with EACCES"
expect_grep "$WORK/scap.out" '^attack\|<\|(open|openat)\|EACCES\|.*cap\.scap' "the refused open is an event"
expect_after scap
n=$(sysdig -r "$WORK/o/cap.scap" 'evt.type in (open, openat) and evt.res=EACCES' 2>/dev/null | wc -l)
[ "$n" -ge 1 ] && ok "the capture file is intact and holds the refused open" || fail "capture file unreadable or without the refused open ($n)"

attack_run text openw "$WORK/o/text.txt"
expect_grep "$WORK/text.stdout" '^openw=EACCES$' "-o file: open for writing fails with EACCES"
expect_grep "$WORK/o/text.txt" 'open.*EACCES' "the -o file holds the refused open"

ln -s "$WORK/o/cap.scap" "$WORK/o/link"
attack_run link openw "$WORK/o/link"
expect_grep "$WORK/link.stdout" '^openw=EACCES$' "-w file through a symlink: EACCES"

attack_run trunc trunc "$WORK/o/cap.scap"
expect_grep "$WORK/trunc.stdout" '^trunc=EACCES$' "truncate(2) of the -w file: EACCES"
finish
