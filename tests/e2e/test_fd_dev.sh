#!/bin/bash
# The dev of an opened file is its superblock's, as the driver reports it
# (the device mountinfo lists for its mount), which fstat's st_dev is not on
# an overlay whose layers sit on different filesystems (or on btrfs).
# Truth: mountinfo's major:minor of each file's mount, encoded like the
# driver (new_encode_dev).
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
	skip_test "mounting an overlay needs root"
fi
e2e_isolate "$@"
mkdir -p "$WORK/lower" "$WORK/upper" "$WORK/merged"
mount -t tmpfs lower "$WORK/lower" && mount -t tmpfs upper "$WORK/upper" || skip_test "no tmpfs mounts here"
mkdir "$WORK/upper/data" "$WORK/upper/work"
echo from-lower >"$WORK/lower/file"
if ! mount -t overlay merged -o "lowerdir=$WORK/lower,upperdir=$WORK/upper/data,workdir=$WORK/upper/work" "$WORK/merged"; then
	skip_test "no overlayfs in this kernel"
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

# A mount id freed by an unmount goes to the next mount at once: the cache
# must not give the old filesystem's device for the new one (a tmpfs, then
# a bind mount of the lower tmpfs at the same place).
mkdir -p "$WORK/again"
"$PDIG" -w "$WORK/again.scap" sh -c '
	mount -t tmpfs first "$0/again" && echo 1 >"$0/again/f" && cat "$0/again/f" >/dev/null
	awk -v m="$0/again" "\$5 == m {print \$1, \$3}" /proc/self/mountinfo >"$0/again.1"
	umount "$0/again"
	mount --bind "$0/lower" "$0/again" && echo 2 >"$0/again/f" && cat "$0/again/f" >/dev/null
	awk -v m="$0/again" "\$5 == m {print \$1, \$3}" /proc/self/mountinfo >"$0/again.2"
	umount "$0/again"' "$WORK"
expect_eq "$?" 0 "mount, open, unmount, mount again, open"
read -r id1 dev1 <"$WORK/again.1"; read -r id2 dev2 <"$WORK/again.2"
echo "mount ids $id1 then $id2, devices $dev1 then $dev2"
sysdig -r "$WORK/again.scap" -p '%proc.name|%evt.arg.name|%evt.arg.dev' "evt.type=openat and evt.dir=< and proc.name=cat" \
	2>>"$WORK/events.err" | grep "|$WORK/again/f|" >"$WORK/again.events"
expect_eq "$(cut -d'|' -f3 "$WORK/again.events" | tr '\n' ' ')" "$(encode "$dev1" | tr -d '\n') $(encode "$dev2" | tr -d '\n') " \
	"each cat's open has its own mount's device"

# Pipes live on a mount no mountinfo lists: looked up once a second (the
# cache's lifetime), not per pipe.
start=$(date +%s)
strace -o "$WORK/pdig.strace" -e trace=openat "$PDIG" -w "$WORK/pipes.scap" sh -c 'i=0; while [ $i -lt 40 ]; do echo | cat >/dev/null; i=$((i + 1)); done'
secs=$(($(date +%s) - start + 1))
reads=$(grep -c 'mountinfo' "$WORK/pdig.strace")
if [ "$reads" -le $((4 * secs)) ]; then ok "40 pipelines in ${secs}s: pdig read mountinfo $reads times"
else fail "40 pipelines in ${secs}s: pdig read mountinfo $reads times (want at most $((4 * secs)))"; fi
finish
