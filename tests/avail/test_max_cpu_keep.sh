#!/bin/bash
# --max-cpu keeps what Falco's rules need while it sheds at its lowest
# level (avail_keep: another thread floods open+close of /dev/null, a
# budget below the floor): sensitive files however the path is spelled
# (//, /./, ..), symlinks to them (the target, not only the link), a sendto
# naming a destination, recvfrom, dup2 onto fd 0, setuid/setgid mode
# changes, and every close (the consumer's fd table stays right: a later
# fchmod names the file it was made on). A call interrupted by signals the
# program ignores is one call, shed once. Two tracee threads: per kind,
# the events seen plus those shed are exactly twice the calls made.
. "$(dirname "$0")/avail_lib.sh"
e2e_isolate "$@"

mkdir -p "$WORK/files"
"$PDIG" -v --max-cpu $FLOOR_BUDGET -w "$WORK/keep.scap" "$HELPERS/avail_keep" "$WORK/files" \
	>"$WORK/keep.out" 2>"$WORK/keep.err"
expect_eq "$?" 0 "pdig and the program exit 0"
cat "$WORK/keep.out"
grep -- '--max-cpu' "$WORK/keep.err"
expect_grep "$WORK/keep.err" 'events shed [1-9]' "pdig shed events (its lowest level)"
sysdig -D -r "$WORK/keep.scap" -p '*%evt.type %evt.dir %fd.type %evt.arg.name|%fd.name' 2>/dev/null >"$WORK/keep.ev"

# n PATTERN: events matching the extended regex
n() { grep -cE -- "$1" "$WORK/keep.ev"; }
for p in //etc//hostname /tmp/../etc/hostname /usr/lib/../../etc/passwd /./etc/hostname; do
	expect_eq "$(n "^openat < .* $p\\|")" 1 "the open of $p is reported (sensitive once tidied)"
done
expect_eq "$(n '^symlink [<>]')" 2 "symlink to /etc/shadow: both events"
expect_eq "$(n '^symlinkat [<>]')" 2 "symlinkat to /etc/passwd: both events"
expect_eq "$(n '^sendto [<>] ipv4 ')" 2 "the sendto naming a destination: both events"
expect_eq "$(n '^recvfrom [<>]')" 2 "recvfrom: both events (Falco's inbound macro)"
# (schema 1.0.0 reports dup2 as dup)
expect_eq "$(n '^dup [<>]')" 6 "dup, dup2 onto fd 0 and back: every event"
expect_eq "$(n '^fcntl [<>]')" 4 "fcntl F_DUPFD: every event"
expect_eq "$(n '^chmod [<>]')" 2 "chmod 02755: both events"
expect_eq "$(n '^fchmod [<>]')" 4 "fchmod 04755 and the later fchmod: every event"
# fd 100 was keep_A, closed under load; keep_B took its number (its open
# shed: /tmp is not sensitive): the consumer must not name keep_A for it
closes=$(sysdig -r "$WORK/keep.scap" -p '%evt.args' 'evt.type=close and evt.dir=> and evt.rawarg.fd=100' 2>/dev/null)
expect_eq "$(echo "$closes" | wc -l)" 2 "both closes of fd 100 are there (keep_A's, under load, and the last)"
last=$(echo "$closes" | tail -1)
case $last in
*keep_A*) fail "the consumer's fd table is stale: fd 100 still named keep_A after its close ('$last')" ;;
*) ok "the last close of fd 100 does not name the closed keep_A ('$last')" ;;
esac
# -v's time per level: the 2 s quiet pause is time at full, not at the
# level the load had left pdig at
full_s=$(sed -n 's/.*time per level: full \([0-9.]*\) s.*/\1/p' "$WORK/keep.err")
awk -v f="${full_s:-0}" 'BEGIN { exit !(f >= 1.9) }' && ok "-v: the quiet pause counts as time at full ($full_s s)" ||
	fail "-v: only ${full_s:-?} s at full: the quiet pause was put on the old level"
# one recvmmsg, restarted 50 times after ignored signals: shed once
expect_eq "$(shed recvmmsg "$WORK/keep.err")" 2 "the interrupted recvmmsg is counted once"
# two threads: exact account of openat and close
floods=$(sed -n 's/.*floods=\([0-9]*\).*/\1/p' "$WORK/keep.out")
ok_opens=$(grep -c '^openat .* -> ok$' "$WORK/keep.out")
seen=$(n '^openat [<>]') s=$(shed openat "$WORK/keep.err")
expect_eq "$((seen + s))" "$((2 * (floods + 7)))" "openat: $seen seen + $s shed = 2 x (floods + the program's own)"
expect_eq "$(n '^close [<>]')" "$((2 * (floods + ok_opens + 4)))" "close: every event ($floods floods)"
expect_eq "$(shed close "$WORK/keep.err")" 0 "no close shed"
finish
