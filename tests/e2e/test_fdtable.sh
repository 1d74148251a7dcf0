#!/bin/bash
# The dup family, fcntl(F_DUPFD), pipe, socketpair, eventfd, signalfd,
# timerfd and inotify keep the consumer's fd table right: each close names
# the fd the way sysdig names it.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%evt.dir|%evt.type|%fd.num|%fd.type|%fd.name'
echo data >"$WORK/file"
consume_run "$WORK/out" "$F" proc.name=fdtable -- "$PDIG" "$HELPERS/fdtable" "$WORK/file" >"$WORK/stdout"
expect_eq "$PRC" 0 "fdtable exits 0"
eval "$(tr ' ,' '\n ' <"$WORK/stdout" | sed -n 's/^\([a-z]*\)=\([0-9]*\) *\([0-9]*\)$/\1=\2; \1_2=\3/p')"
closes() { grep -E "^fdtable\|>\|close\|$1\|" "$WORK/out"; }
for fd in $dup 20 21 $dupfd $f; do
	expect_grep <(closes "$fd") "\|file\|$WORK/file$" "close($fd): a copy of the file keeps its name"
done
expect_grep <(closes "$pipe") '\|pipe\|' "pipe read end is a pipe"
expect_grep <(closes "$pipe_2") '\|pipe\|' "pipe write end is a pipe"
expect_grep <(closes "$sp") '\|unix\|' "socketpair end 1 is a unix socket"
expect_grep <(closes "$sp_2") '\|unix\|' "socketpair end 2 is a unix socket"
expect_grep <(closes "$event") '\|event\|' "eventfd"
expect_grep <(closes "$signal") '\|signalfd\|' "signalfd"
expect_grep <(closes "$timer") '\|timerfd\|' "timerfd"
expect_grep <(closes "$inotify") '\|inotify\|' "inotify"
finish
