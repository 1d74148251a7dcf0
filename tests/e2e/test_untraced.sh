#!/bin/bash
# No escape: children created with clone(CLONE_UNTRACED) and
# clone3(CLONE_UNTRACED) are still traced; their opens show in sysdig. The
# clone exits still report the flag the program passed, as the driver does
# (pdig clears it only in the kernel's copy).
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%evt.dir|%evt.type|%fd.name'
for trace in "" "-e trace=openat"; do
	consume_run "$WORK/out" "$F" -- "$PDIG" $trace "$HELPERS/untraced" "$WORK" >"$WORK/stdout"
	expect_eq "$PRC" 0 "untraced exits 0 ($trace)"
	read -r _ cpid _ c3pid <"$WORK/stdout"
	expect_grep "$WORK/out" "\|$cpid\|<\|openat\|$WORK/clone-$cpid$" "clone(CLONE_UNTRACED) child is traced ($trace)"
	expect_grep "$WORK/out" "\|$c3pid\|<\|openat\|$WORK/clone3-$c3pid$" "clone3(CLONE_UNTRACED) child is traced ($trace)"
done
"$PDIG" -w "$WORK/cap.scap" "$HELPERS/untraced" "$WORK" >"$WORK/stdout"
read -r _ cpid _ c3pid <"$WORK/stdout"
sysdig -r "$WORK/cap.scap" -p '%evt.type|%evt.rawres|%thread.tid|%evt.arg.flags' "evt.dir=< and evt.type in (clone,clone3)" \
	>"$WORK/flags" 2>"$WORK/flags.err"
expect_grep "$WORK/flags" "^clone\|$cpid\|[0-9]+\|.*CLONE_UNTRACED" "clone's exit in the parent reports CLONE_UNTRACED"
expect_grep "$WORK/flags" "^clone\|0\|$cpid\|.*CLONE_UNTRACED" "clone's exit in the child reports CLONE_UNTRACED"
expect_grep "$WORK/flags" "^clone3\|$c3pid\|[0-9]+\|.*CLONE_UNTRACED" "clone3's exit in the parent reports CLONE_UNTRACED"
expect_grep "$WORK/flags" "^clone3\|0\|$c3pid\|.*CLONE_UNTRACED" "clone3's exit in the child reports CLONE_UNTRACED"
finish
