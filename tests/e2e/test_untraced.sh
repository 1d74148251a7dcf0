#!/bin/bash
# No escape: children created with clone(CLONE_UNTRACED) and
# clone3(CLONE_UNTRACED) are still traced; their opens show in sysdig.
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
finish
