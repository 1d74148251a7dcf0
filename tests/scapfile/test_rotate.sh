#!/bin/bash
# -C 1: several files FILE0, FILE1, ..., each at most 1 MB, each readable on
# its own with process names carried over, and no event lost between them.
. "$(dirname "$0")/../e2e/lib.sh"
N=6000
touch "$WORK/target"
"$PDIG" -C 1 -w "$WORK/r.scap" /bin/sh -c "i=0; while [ \$i -lt $N ]; do : <$WORK/target; i=\$((i+1)); done" 2>"$WORK/pdig.err"
expect_eq "$?" 0 "workload exits 0"
nfiles=$(ls "$WORK" | grep -c '^r\.scap[0-9]*$')
[ "$nfiles" -ge 3 ] && ok "$nfiles files" || fail "only $nfiles files: $(ls "$WORK")"
[ -e "$WORK/r.scap0" ] && ok "first file is r.scap0 (sysdig -C naming)" || fail "no r.scap0"
[ ! -e "$WORK/r.scap" ] && ok "no unnumbered file" || fail "r.scap exists"
total=0 opens=0
for i in $(seq 0 $((nfiles - 1))); do
	f="$WORK/r.scap$i"
	size=$(stat -c %s "$f")
	[ "$size" -le 1000000 ] || fail "$f is $size bytes > 1 MB"
	sysdig -r "$f" -p '*%proc.name|%evt.dir|%evt.type|%evt.res|%fd.name' >"$WORK/r$i.out" 2>"$WORK/r$i.err"
	rc=$?
	[ $rc -eq 0 ] || fail "sysdig -r $f exits $rc: $(head -c 200 "$WORK/r$i.err")"
	# only the last file ends with the process exit
	n=$(grep -c "^sh|<|openat|SUCCESS|$WORK/target\$" "$WORK/r$i.out")
	opens=$((opens + n))
	total=$((total + $(wc -l <"$WORK/r$i.out")))
	[ "$n" -gt 0 ] || fail "$f: no named openat of the target ($(grep -m1 openat "$WORK/r$i.out"))"
done
ok "all $nfiles files read, $total events"
expect_eq "$opens" "$N" "openat exits across files = the workload's opens"
expect_no_grep <(cat "$WORK"/r*.out) '^<NA>\|' "every event in every file has a process name"
finish
