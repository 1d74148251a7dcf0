#!/bin/bash
# Exit elision (src/tracer/elide.c) and rings pdig did not see made: a ring
# kept across an exec closes an fd by IORING_OP_CLOSE, submitted by
# io_uring_enter or taken by an SQPOLL kernel thread with no syscall at
# all; a ring taken from a child with pidfd_getfd does the same. The program's next close of that fd fails with EBADF; the close exit
# sysdig reads must say so too, not the res=0 of an elided exit.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
echo data >"$WORK/f"
ran=0
for mode in enter sqpoll getfd; do
	"$PDIG" -v -w "$WORK/$mode.scap" "$HELPERS/elide_uring" "$WORK/f" "$mode" >"$WORK/$mode.out" 2>"$WORK/$mode.err"
	rc=$?
	if [ "$rc" = 77 ]; then
		skip_part "$mode" "the kernel refuses this ring: $(cat "$WORK/$mode.out")"
		continue
	fi
	ran=$((ran + 1))
	expect_eq "$rc" 0 "$mode: elide_uring exits 0 ($(tail -2 "$WORK/$mode.err"))"
	expect_grep "$WORK/$mode.out" '^close\([0-9]+\) = -1 errno 9$' "$mode: the ring closed the fd: the program's close fails"
	sysdig -r "$WORK/$mode.scap" -p '*%evt.dir|%evt.type|%evt.rawres' evt.type=close \
		>"$WORK/$mode.raw" 2>"$WORK/$mode.sysdig.err" || fail "$mode: sysdig -r failed"
	expect_eq "$(tail -1 "$WORK/$mode.raw")" "<|close|-9" "$mode: the last close exit reads EBADF in sysdig"
done
[ "$ran" -gt 0 ] || skip_test "the kernel refuses io_uring rings"
finish
