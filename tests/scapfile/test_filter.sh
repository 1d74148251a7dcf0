#!/bin/bash
# -e trace=...: the capture holds only the chosen syscalls; bad names exit 2.
. "$(dirname "$0")/../e2e/lib.sh"
F='*%evt.num|%proc.name|%evt.dir|%evt.type|%evt.res|%fd.name'

"$PDIG" -w "$WORK/oc.scap" -e trace=openat,close /bin/cat /etc/hostname >/dev/null
expect_eq "$?" 0 "-e trace=openat,close: cat exits 0"
sysdig -r "$WORK/oc.scap" -p "$F" >"$WORK/oc.out"
expect_grep "$WORK/oc.out" '\|<\|openat\|SUCCESS\|/etc/hostname$' "openat of /etc/hostname is there"
expect_grep "$WORK/oc.out" '\|>\|close\|' "close is there"
expect_grep "$WORK/oc.out" '\|>\|procexit\|' "procexit is there"
# event 1 is pdig's description of the process it started (a clone exit)
others=$(grep -v '^1|' "$WORK/oc.out" | grep -Ev '\|(openat|close|procexit)\|' | head -3)
expect_eq "$others" "" "nothing but openat, close and procexit"

"$PDIG" -w "$WORK/net.scap" -e trace=%network "$HELPERS/tcp_pair" >/dev/null
expect_eq "$?" 0 "-e trace=%network: tcp_pair exits 0"
sysdig -r "$WORK/net.scap" -p "$F" >"$WORK/net.out"
for t in socket bind listen connect 'accept4?' sendto recvfrom; do
	expect_grep "$WORK/net.out" "\|<\|$t\|" "%network: $t"
done
expect_no_grep "$WORK/net.out" '\|(openat|execve|close)\|' "%network: no openat, execve or close"

"$PDIG" -e trace=openat,nosuchcall /bin/true 2>"$WORK/bad.err"
expect_eq "$?" 2 "unknown syscall name exits 2"
expect_eq "$(wc -l <"$WORK/bad.err")" 1 "one line of error"
expect_grep "$WORK/bad.err" "nosuchcall" "the error names the culprit"
"$PDIG" -e trace=%nosuchclass /bin/true 2>/dev/null
expect_eq "$?" 2 "unknown class exits 2"
"$PDIG" -C 1 /bin/true 2>/dev/null
expect_eq "$?" 2 "-C without -w exits 2"
finish
