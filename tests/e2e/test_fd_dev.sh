#!/bin/bash
# The dev of an opened file is its superblock's, as the driver reports it
# (the device mountinfo lists for its mount), which fstat's st_dev is not on
# an overlay whose layers sit on different filesystems (or on btrfs).
# Truth: mountinfo's major:minor of each file's mount, encoded like the
# driver (new_encode_dev).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: mounting an overlay needs root"
	exit 77
fi
e2e_isolate "$@"
mkdir -p "$WORK/lower" "$WORK/upper" "$WORK/merged"
mount -t tmpfs lower "$WORK/lower" && mount -t tmpfs upper "$WORK/upper" || { echo "SKIP: no tmpfs mounts here"; exit 77; }
mkdir "$WORK/upper/data" "$WORK/upper/work"
echo from-lower >"$WORK/lower/file"
if ! mount -t overlay merged -o "lowerdir=$WORK/lower,upperdir=$WORK/upper/data,workdir=$WORK/upper/work" "$WORK/merged"; then
	echo "SKIP: no overlayfs in this kernel"
	exit 77
fi
# sysdig prints the dev param in hex
encode() { local maj=${1%%:*} min=${1##*:}; printf '%X\n' $(((min & 0xff) | (maj << 8) | ((min & ~0xff) << 12))); }
mnt_dev() { awk -v m="$1" '$5 == m {print $3}' /proc/self/mountinfo | tail -1; }
want_merged=$(encode "$(mnt_dev "$WORK/merged")")
want_lower=$(encode "$(mnt_dev "$WORK/lower")")
st=$(stat -c '%Hd:%Ld' "$WORK/merged/file")
echo "overlay $(mnt_dev "$WORK/merged"), lower $(mnt_dev "$WORK/lower"), st_dev of merged/file $st"
"$PDIG" -w "$WORK/cap.scap" cat "$WORK/merged/file" "$WORK/lower/file" >/dev/null
expect_eq "$?" 0 "cat exits 0"
sysdig -r "$WORK/cap.scap" -p '%evt.arg.name|%evt.arg.dev' "evt.type=openat and evt.dir=<" \
	>"$WORK/events" 2>"$WORK/events.err"
expect_grep "$WORK/events" "^$WORK/merged/file\|$want_merged$" "the overlay's file has the overlay's dev ($want_merged), not its layer's ($st)"
expect_grep "$WORK/events" "^$WORK/lower/file\|$want_lower$" "the tmpfs file has its tmpfs's dev ($want_lower)"
finish
