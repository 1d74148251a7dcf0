#!/bin/bash
# Exit elision (src/tracer/elide.c): a close whose exit pdig reports at the
# entry must read, in the real consumer, exactly as the one a real exit
# stop gives, failures included. The same program is captured with (the
# default) and without elision (PDIG_NO_ELIDE=1), and `sysdig -r` prints
# every event of it, the fd table it keeps (fd.num, fd.type, fd.name) and
# each close's result; the two must be equal but for times, ids and ports.
# The program also prints what each close returned: equal too, and as the
# kernel gives it. Then: only the closes that may be elided were.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%evt.dir|%evt.type|%evt.rawres|%fd.num|%fd.type|%fd.name|%evt.info'
mkdir -p "$WORK/d"

# capture MODE: runs the program under pdig -w, prints its events
capture() {
	local env=()
	[ "$1" = plain ] && env=(PDIG_NO_ELIDE=1)
	env "${env[@]}" "$PDIG" -v -w "$WORK/$1.scap" "$HELPERS/elide_close" "$WORK/d" >"$WORK/$1.stdout" 2>"$WORK/$1.err"
	expect_eq "$?" 0 "$1: elide_close exits 0"
	sysdig -r "$WORK/$1.scap" -p "$F" proc.name=elide_close >"$WORK/$1.raw" 2>"$WORK/$1.sysdig.err" ||
		fail "$1: sysdig -r failed: $(tail -2 "$WORK/$1.sysdig.err")"
	# what differs from run to run by itself: ids (a clone's result too),
	# ports, addresses, times, page faults and memory sizes
	sed -E -e 's/[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+:[0-9]+/ADDR:PORT/g' -e 's/(tid|pid|ptid|res|ts|addr|vpid|vtid|fd|pgft_maj|pgft_min|vm_size|vm_rss|vm_swap)=[-0-9a-fx]+/\1=N/g' \
		-e 's/^(elide_close\|<\|(clone|clone3|fork|vfork)\|)[0-9]+\|/\1N|/' \
		-e 's/[0-9]{4,}/N/g' "$WORK/$1.raw" >"$WORK/$1.all"
	# a thread's procexit lands where pdig reaps it, and a clone's exit in
	# the parent and in the child in the order pdig sees their stops, which
	# the scheduler decides: compared apart, as a set
	grep -v -e '|procexit|' -e '^elide_close|<|v\{0,1\}fork|' -e '^elide_close|<|clone3\{0,1\}|' "$WORK/$1.all" >"$WORK/$1.out"
	grep -e '|procexit|' -e '^elide_close|<|v\{0,1\}fork|' -e '^elide_close|<|clone3\{0,1\}|' "$WORK/$1.all" | sort >>"$WORK/$1.out"
}
capture plain
capture elided

elided=$(sed -n 's/^pdig: stops: .*exits elided \([0-9]*\)$/\1/p' "$WORK/elided.err")
plain=$(sed -n 's/^pdig: stops: .*exits elided \([0-9]*\)$/\1/p' "$WORK/plain.err")
expect_eq "$plain" 0 "PDIG_NO_ELIDE=1 elides nothing"
# every successful close but eight of the program's (/dev/null twice, dup,
# dup2 target twice, the one after a thread, the device node made by
# mknod, the one after clone(CLONE_FILES)): the loader's, the forked
# child's and the programs run again (vfork, exec) too
ok_closes=$(grep -c '^elide_close|<|close|0|' "$WORK/elided.raw")
expect_eq "${elided:-0}" "$((ok_closes - 8))" "exactly the closes that may be elided were"
# (15 of the program's own: a static build's loader closes nothing)
[ "${elided:-0}" -ge 15 ] || fail "elided $elided exits, expected at least 10: $(cat "$WORK/elided.err")"

if ! cmp -s "$WORK/plain.stdout" "$WORK/elided.stdout"; then
	fail "the program saw other results with elision: $(diff "$WORK/plain.stdout" "$WORK/elided.stdout" | head -10)"
fi
expect_grep "$WORK/elided.stdout" '^second close: close\([0-9]*\) = -1 errno 9$' "a second close fails with EBADF"
expect_grep "$WORK/elided.stdout" '^after close_range: close\([0-9]*\) = -1 errno 9$' "a close after close_range fails"
expect_grep "$WORK/elided.stdout" '^close high bits: close\([0-9]*\) = 0 errno 0$' "close with the fd's upper bits set closes it"
expect_grep "$WORK/elided.stdout" '^after close high bits: close\([0-9]*\) = -1 errno 9$' "and the next close of the fd fails"
[ "$(grep -c ' = 0 errno 0$' "$WORK/elided.stdout")" -eq 25 ] ||
	fail "expected 25 successful closes: $(cat "$WORK/elided.stdout")"

if ! cmp -s "$WORK/plain.out" "$WORK/elided.out"; then
	fail "sysdig reads other events with elision: $(diff "$WORK/plain.out" "$WORK/elided.out" | head -20)"
fi
# the comparison means something: every close is there, with its result
# and the fd sysdig had in its table
n=$(grep -c '^elide_close|<|close|' "$WORK/elided.raw")
# (the program's 30; a dynamic build's loader adds its own)
[ "$n" -ge 30 ] || fail "only $n close exits in the capture"
expect_grep "$WORK/elided.raw" "^elide_close\|<\|close\|-9\|77\|" "the close of an fd never opened: EBADF"
expect_grep "$WORK/elided.raw" "^elide_close\|<\|close\|-9\|[0-9]+\|file\|$WORK/d/f\|" "a second close: EBADF, on the fd sysdig still names"
expect_grep "$WORK/elided.raw" "^elide_close\|<\|close\|0\|[0-9]+\|file\|$WORK/d/f\|" "a file's close names it"
expect_grep "$WORK/elided.raw" '^elide_close\|<\|close\|0\|[0-9]+\|ipv4\|127\.0\.0\.1:' "a socket's close names its tuple"
for what in 'char device' 'after vfork' 'spawned: file' 'exec: file' 'exec: after clone\(CLONE_FILES\)'; do
	expect_grep "$WORK/elided.stdout" "^$what: close\([0-9]+\) = 0 errno 0$" "$what: closed"
done
# and after each close sysdig forgot the fd: the next open of the same
# number is named afresh (same lines in both captures, checked above)
finish
