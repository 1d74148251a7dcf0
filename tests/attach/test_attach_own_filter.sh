#!/bin/bash
# A process that has a seccomp filter of its own (as under Docker's default
# profile) attached with -p: the opens of its new threads and children
# still reach sysdig, not only the main thread's.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
F='*%proc.pid|%thread.tid|%evt.dir|%evt.type|%fd.name'
"$HELPERS/own_filter" & P=$!
sleep 0.3
grep -q '^Seccomp:[[:space:]]*2' "/proc/$P/status" && ok "the program has its own filter" || fail "no filter in the program"
consume_run "$WORK/out" "$F" -- "$PDIG" -p "$P"
expect_eq "$PRC" 0 "pdig -p exits with the program's status"
for f in group passwd hostname; do
	n=$(grep -c "|<|openat|/etc/$f$" "$WORK/out")
	[ "$n" -ge 5 ] && ok "/etc/$f opens seen ($n)" || fail "/etc/$f opens: only $n"
done
finish
