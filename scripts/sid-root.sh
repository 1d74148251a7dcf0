#!/bin/bash
# Makes (once) a Debian sid root holding sysdig 0.41.4 (libs 0.23.2) and the
# plugin API header, for the tests against today's consumers. That sysdig
# needs glibc 2.38, so it cannot be installed on bookworm itself; it runs in
# the root with chroot (tests/modern/sid_sysdig.sh).
#
# The root lives outside the checkout, in ${PDIG_CACHE:-/var/cache/pdig}/sid-root,
# and is reused when complete: the marker file .pdig-sid-complete is written
# last, so an interrupted install is redone, not trusted. Several callers
# at once (parallel worktrees) take a lock and build once.
# Prints the root's path on stdout. Needs root and debootstrap.
set -euo pipefail

CACHE=${PDIG_CACHE:-/var/cache/pdig}
ROOT=$CACHE/sid-root
MARK=$ROOT/.pdig-sid-complete
MIRROR=${PDIG_SID_MIRROR:-http://deb.debian.org/debian}

if [ -f "$MARK" ]; then echo "$ROOT"; exit 0; fi
[ "$(id -u)" = 0 ] || { echo "sid-root: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "sid-root: needs debootstrap" >&2; exit 1; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.sid-root.lock"
flock 9
# Another caller may have finished while this one waited for the lock.
if [ -f "$MARK" ]; then echo "$ROOT"; exit 0; fi

# Build in a scratch folder beside the final one, then rename: a half-made
# root never sits at $ROOT.
tmp=$CACHE/sid-root.partial
umount_all() {
	local m
	for m in proc dev/pts dev sys; do
		mountpoint -q "$tmp/$m" 2>/dev/null && umount -l "$tmp/$m" || true
	done
}
trap umount_all EXIT
umount_all
rm -rf "$tmp" "$ROOT"
echo "sid-root: debootstrap --variant=minbase sid (about a minute)" >&2
debootstrap --variant=minbase sid "$tmp" "$MIRROR" >&2
# apt's maintainer scripts want /proc; nothing in the root may start services.
mount -t proc proc "$tmp/proc"
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
chmod 755 "$tmp/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$tmp/etc/resolv.conf"
echo "sid-root: apt-get install sysdig libfalcosecurity0-dev" >&2
chroot "$tmp" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends sysdig libfalcosecurity0-dev >&2
chroot "$tmp" apt-get clean
umount_all
trap - EXIT
chroot "$tmp" sysdig --version >&2
mv "$tmp" "$ROOT"
date -u +%FT%TZ >"$MARK"
echo "$ROOT"
