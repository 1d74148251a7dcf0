#!/bin/bash
# pdig -v reports one line per output, and each count equals the events it
# names: a capture's "written" is what `sysdig -r` reads back, the udig
# ring's "written" is what a live `sysdig -u` printed, and without a
# consumer the ring's "discarded" counts each event once (not once per
# time the tracer asked whether anyone wants events).
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
# a fork, an exec, files and a pipe: events on both sides of a clone
PROG=(/bin/sh -c 'cat /etc/hostname >/dev/null; ls / | cat >/dev/null')

# count FILE SINK FIELD: the number after FIELD in SINK's -v line
count() {
	sed -n "s/^pdig: $2: events .*$3 \([0-9]*\).*/\1/p" "$1"
}

# 1. no consumer: the capture takes every event, the ring discards each once
"$PDIG" -v -w "$WORK/a.scap" "${PROG[@]}" 2>"$WORK/a.err"
expect_eq "$?" 0 "no consumer: the program runs"
n=$(sysdig -r "$WORK/a.scap" | wc -l)
[ "$n" -gt 20 ] && ok "no consumer: the capture holds $n events" || fail "capture holds only $n events"
expect_eq "$(count "$WORK/a.err" capture written)" "$n" "no consumer: capture written = events in the file"
expect_eq "$(count "$WORK/a.err" capture dropped)" 0 "no consumer: capture dropped none"
expect_eq "$(count "$WORK/a.err" udig written)" 0 "no consumer: udig wrote nothing"
expect_eq "$(count "$WORK/a.err" udig 'discarded (no consumer or sampled out)')" "$n" \
	"no consumer: udig discarded = events in the file"

# 2. udig alone, no consumer: the events are not even made, and still each
# is counted once (a program without a fork: a new thread's half of a
# clone is not made either, and not known to be due)
"$PDIG" -v -w "$WORK/b.scap" /bin/cat /etc/hostname >/dev/null 2>"$WORK/b.err"
nb=$(sysdig -r "$WORK/b.scap" | wc -l)
"$PDIG" -v /bin/cat /etc/hostname >/dev/null 2>"$WORK/c.err"
expect_eq "$(count "$WORK/c.err" udig 'discarded (no consumer or sampled out)')" "$nb" \
	"udig alone: discarded = the events a capture of the same program holds"
expect_grep "$WORK/c.err" '^pdig: no udig consumer attached' "udig alone: the user is told"

# 3. a live consumer and a capture: each output counts its own events
consume_run "$WORK/live" '*%evt.num %evt.type' -- "$PDIG" -v -w "$WORK/d.scap" "${PROG[@]}" 2>"$WORK/d.err"
expect_eq "$PRC" 0 "live: the program runs"
printed=$(wc -l <"$WORK/live")
nd=$(sysdig -r "$WORK/d.scap" | wc -l)
[ "$printed" -gt 20 ] && ok "live: sysdig printed $printed events" || fail "live: sysdig printed only $printed events"
expect_eq "$(count "$WORK/d.err" udig written)" "$printed" "live: udig written = events sysdig printed"
expect_eq "$(count "$WORK/d.err" udig 'discarded (no consumer or sampled out)')" 0 "live: udig discarded none"
expect_eq "$(count "$WORK/d.err" capture written)" "$nd" "live: capture written = events in the file"
expect_eq "$(count "$WORK/d.err" udig written)" "$nd" "live: both outputs got every event"
finish
