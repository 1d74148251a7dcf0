#!/bin/bash
# exe and args of an exec'd program come from the first page of its argv
# area, whose last byte is made a NUL (the driver's rule), and a failed
# execve whose argv does not fit in a page reports none. Truth: the argv
# the script passed.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
a=$(printf 'a%.0s' $(seq 2000)); b=$(printf 'b%.0s' $(seq 2000)); c=$(printf 'c%.0s' $(seq 2000))
"$PDIG" -w "$WORK/cap.scap" /bin/sh -c '/bin/true "$@"; /nonexistent/prog "$@"; exit 0' sh "$a" "$b" "$c"
expect_eq "$?" 0 "sh exits 0"
sysdig -r "$WORK/cap.scap" -p '%evt.rawres|%proc.exe|%proc.args' "evt.type=execve and evt.dir=< and evt.rawres=0" \
	>"$WORK/events" 2>"$WORK/events.err"
sysdig -r "$WORK/cap.scap" -p '%evt.rawres|%evt.arg.exe|%evt.arg.args|' "evt.type=execve and evt.dir=< and evt.rawres<0" \
	>"$WORK/failed" 2>>"$WORK/events.err"
# "/bin/true\0" is 10 bytes: 4086 bytes of args, the last one the NUL
want="$a $b ${c:0:83}"
got=$(awk -F'|' '$2 == "/bin/true" {print $3}' "$WORK/events")
expect_eq "${#got}" "${#want}" "args of /bin/true: the page's worth (${#want} characters)"
if [ "$got" = "$want" ]; then ok "args of /bin/true: a, b and 83 characters of c"; else fail "args of /bin/true differ (see $WORK/events)"; fi
expect_eq "$(cat "$WORK/failed")" "-2|||" "failed execve with 6 KB of argv: no exe, no args"
finish
