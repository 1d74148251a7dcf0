#!/bin/bash
# The capture sink knows processes and fds only from the descriptions its
# state source gives (sink.h): a made-up process that /proc never had is
# named, with its fds, in the first file (describe_process) and in every
# rotated one (the source asked at the switch).
. "$(dirname "$0")/../e2e/lib.sh"
: "${SCAP_DESCRIBED:?SCAP_DESCRIBED must point at the scap_described program}"
"$SCAP_DESCRIBED" "$WORK/d.scap" 40000 2000 || fail "scap_described ran"
nfiles=$(ls "$WORK" | grep -c '^d\.scap[0-9]*$')
[ "$nfiles" -ge 3 ] && ok "$nfiles rotated files" || fail "only $nfiles files"
for i in $(seq 0 $((nfiles - 1))); do
	f="$WORK/d.scap$i"
	sysdig -r "$f" -p '*%proc.name|%proc.pid|%proc.exepath|%proc.cwd|%fd.num|%fd.type|%fd.name' 2>"$WORK/err$i" |
		sort -u >"$WORK/out$i"
	expect_grep "$WORK/out$i" '^fakeproc\|4242\|/opt/fake/fakeproc\|/opt/fake/\|7\|file\|/fake/data\.txt$' "file $i: a file"
	expect_grep "$WORK/out$i" '^fakeproc\|4242\|.*\|8\|directory\|/fake/dir$' "file $i: a directory"
	expect_grep "$WORK/out$i" '^fakeproc\|4242\|.*\|9\|ipv6\|::1:40000->::1:8080$' "file $i: an IPv6 connection"
	expect_grep "$WORK/out$i" '^fakeproc\|4242\|.*\|10\|unix\|.*/fake/sock$' "file $i: a unix socket"
	expect_no_grep "$WORK/out$i" '<NA>' "file $i: nothing unknown"
done
finish
