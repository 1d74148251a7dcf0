#!/bin/bash
# Programs run from an overlay mount: one from the lower layer (the image),
# one written to the upper layer (a binary dropped into a container). In a
# 4.1.0 capture sysdig 0.41.4 shows proc.is_exe_lower_layer and
# proc.is_exe_upper_layer as the driver sets them.
. "$(dirname "$0")/lib.sh"
sid_need
e2e_isolate "$@"
mkdir -p "$WORK/lower" "$WORK/upper" "$WORK/work" "$WORK/merged"
cp /bin/true "$WORK/lower/lowtrue"
mount -t overlay overlay -o "lowerdir=$WORK/lower,upperdir=$WORK/upper,workdir=$WORK/work" "$WORK/merged" ||
	skip_test "cannot mount an overlay here"
cp /bin/true "$WORK/merged/uptrue" # a copy written through the mount lands in the upper layer
"$PDIG" --schema 0.23 -w "$WORK/cap.scap" /bin/sh -c '"$1"; "$2"' _ "$WORK/merged/lowtrue" "$WORK/merged/uptrue"
expect_eq $? 0 "pdig runs both"
umount "$WORK/merged"
F='*%proc.name|%proc.is_exe_upper_layer|%proc.is_exe_lower_layer|%proc.is_exe_from_memfd|%proc.exepath'
sid_read "$WORK/cap.scap" "$F" 'evt.type=execve and evt.dir=<' >"$WORK/out" 2>"$WORK/err"
expect_eq $? 0 "sysdig 0.41.4 -r exits 0 $(head -c 300 "$WORK/err")"
expect_grep "$WORK/out" "^lowtrue\\|false\\|true\\|false\\|$WORK/merged/lowtrue\$" "a lower-layer program"
expect_grep "$WORK/out" "^uptrue\\|true\\|false\\|false\\|$WORK/merged/uptrue\$" "an upper-layer program"
expect_grep "$WORK/out" '^sh\|false\|false\|false\|' "a program on no overlay"
finish
