#!/bin/bash
# Builds pdig's image (deploy/Containerfile) with podman or docker,
# offline: FROM scratch pulls nothing. Usage:
#   deploy/build-image.sh STATIC_PDIG LIBPDIG_SO [TAG]   (TAG: localhost/pdig:latest)
# STATIC_PDIG comes from the musl build (cmake -DMUSL_OPTIMIZED_BUILD=True),
# LIBPDIG_SO from the ordinary build. $PODMAN overrides the build command
# (e.g. "podman --runtime runc --cgroup-manager=cgroupfs", or "docker").
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 STATIC_PDIG LIBPDIG_SO [TAG]" >&2; exit 2; }
pdig=$1 plugin=$2 tag=${3:-localhost/pdig:latest}
here=$(cd "$(dirname "$0")" && pwd)
# A FROM scratch image has no libc: a dynamic pdig would not start in it.
if ! file -L "$pdig" | grep -q 'statically linked'; then
	echo "$0: $pdig is not statically linked (build it with cmake -DMUSL_OPTIMIZED_BUILD=True)" >&2
	exit 1
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
install -m 0755 "$pdig" "$ctx/pdig"
install -m 0644 "$plugin" "$ctx/libpdig.so"
cmd=${PODMAN:-podman}
# podman: never pull, and no intermediate images (a cache of two COPY
# lines is not worth the dangling images); docker pulls nothing for FROM
# scratch by default and knows neither option
if $cmd --version 2>/dev/null | grep -qi podman; then
	$cmd build --pull=never --layers=false -q -f "$here/Containerfile" -t "$tag" "$ctx"
else
	$cmd build -q -f "$here/Containerfile" -t "$tag" "$ctx"
fi
