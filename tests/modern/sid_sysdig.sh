#!/bin/bash
# sid_sysdig.sh [-b PATH]... [--] SYSDIG_ARGS...
#
# Runs sysdig 0.41.4 (libs 0.23.2) from the Debian sid root that
# scripts/sid-root.sh caches, chrooted, with the host's /proc, /sys and /dev
# (so /dev/shm too) visible, and each PATH (a capture file, a plugin, a
# folder) bind-mounted at the same absolute path inside. The exit status is
# sysdig's; SIGINT/SIGTERM sent to this script go to sysdig (live runs stop
# that way).
#
# The cached root is never written: the chroot is an overlay on it with a
# throwaway tmpfs upper layer, in a private mount namespace, so every mount
# and every file made for the run disappears with it, however it ends.
# Exit 77 with a reason when the root or a needed tool is absent.
set -u

SID_ROOT=${SID_ROOT:-${PDIG_CACHE:-/var/cache/pdig}/sid-root}
if [ ! -f "$SID_ROOT/.pdig-sid-complete" ]; then
	echo "SKIP: no sid root with sysdig 0.41.4 at $SID_ROOT (scripts/sid-root.sh makes it)" >&2
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: sid sysdig needs root (chroot, mount)" >&2
	exit 77
fi

if [ "${PDIG_SID_NS:-}" != "$$" ]; then
	# unshare execs in place, so the caller's $! stays this script's pid.
	export PDIG_SID_NS=$$
	exec unshare -m --propagation private bash "$0" "$@"
fi
unset PDIG_SID_NS

binds=()
while [ $# -gt 0 ]; do
	case $1 in
	-b) binds+=("$(realpath -e "$2")") || exit 2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done

top=$(mktemp -d /tmp/pdig-sid.XXXXXX)
cleanup() { umount -R "$top" 2>/dev/null; rmdir "$top" 2>/dev/null; }
mount -t tmpfs -o mode=755 tmpfs "$top" || { rmdir "$top"; exit 2; }
mkdir "$top/upper" "$top/work" "$top/root"
if ! mount -t overlay overlay \
	-o "lowerdir=$SID_ROOT,upperdir=$top/upper,workdir=$top/work" "$top/root"; then
	cleanup
	echo "SKIP: no overlayfs here to run the sid root without writing it" >&2
	exit 77
fi
root=$top/root
for d in proc sys dev; do
	mount --rbind "/$d" "$root/$d" || { cleanup; exit 2; }
done
for p in "${binds[@]}"; do
	if [ -d "$p" ]; then mkdir -p "$root$p"; else mkdir -p "$root$(dirname "$p")" && touch "$root$p"; fi
	mount --bind "$p" "$root$p" || { cleanup; exit 2; }
done

chroot "$root" /usr/bin/sysdig "$@" &
child=$!
trap 'kill -INT $child 2>/dev/null' INT
trap 'kill -TERM $child 2>/dev/null' TERM
# wait returns early when a trapped signal arrives; wait again for the
# status sysdig really exits with.
while :; do
	wait $child
	rc=$?
	kill -0 $child 2>/dev/null || break
done
cleanup
exit $rc
