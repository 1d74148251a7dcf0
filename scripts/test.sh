#!/bin/bash
# Installs what the tests need (Debian bookworm), builds pdig and runs the
# whole suite with ctest. Run as root (CI does); it uses apt-get, unshare
# and mount for private /dev/shm namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# debootstrap makes the sid root of sysdig 0.41.4 (scripts/sid-root.sh); the
# last six are the runtime libraries of the Falco binaries the tests run
# (../shared/falco/README.md). podman, runc and catatonit (the pod's
# infra container) run tests/deploy's pod; python3-yaml checks its recipes.
for pkg in build-essential cmake sysdig libfalcosecurity0-dev strace musl-tools util-linux python3 file tini dumb-init clang libclang-rt-14-dev \
	debootstrap zlib1g libjsoncpp25 libre2-9 libtbb12 libyaml-cpp0.7 libelf1 \
	podman runc catatonit python3-yaml; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "== installing: ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# sysdig 0.41.4 (libs 0.23.2), today's consumer, needs sid's glibc: a sid
# root made once and cached outside the checkout (tests/modern use it).
bash scripts/sid-root.sh >/dev/null

BUILD=${BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
(cd "$BUILD" && ctest --output-on-failure -j2 --timeout 300)

# The static binary is how pdig ships. Build it with the seed's own
# command (mkdir build && cd build && cmake -DMUSL_OPTIMIZED_BUILD=True ..
# && make), tests included, in a fresh folder so no cached option hides a
# break. Its ctest runs the tests built with musl against the static pdig
# (those that depend on glibc are listed as disabled), then the glibc
# build's end-to-end tests run again against it.
root=$(pwd)
rm -rf "$BUILD-static" && mkdir "$BUILD-static"
(cd "$BUILD-static" && cmake -DMUSL_OPTIMIZED_BUILD=True "$root" >/dev/null && make -j"$(nproc)")
file "$BUILD-static/pdig" | grep -q "statically linked" || { echo "pdig is not statically linked"; exit 1; }
echo "== static pdig: $(stat -c %s "$BUILD-static/pdig") bytes; its musl build's tests"
(cd "$BUILD-static" && ctest --output-on-failure -j2 --timeout 300)
echo "== end-to-end tests (sysdig 0.29.3 and 0.41.4) of the glibc build against the static pdig"
STATIC_PDIG=$(realpath "$BUILD-static/pdig")
(cd "$BUILD" && PDIG_UNDER_TEST="$STATIC_PDIG" ctest --output-on-failure -j2 --timeout 300 -R '^(e2e|modern)_')
# The pod test (tests/deploy) needs the static pdig for its FROM scratch
# image: in the glibc build's own run it skips.
(cd "$BUILD" && PDIG_UNDER_TEST="$STATIC_PDIG" ctest --output-on-failure --timeout 300 -R '^deploy_test_pod$')

# The unit and end-to-end tests again, under ASan and UBSan.
echo "== sanitizers: the suite again under ASan + UBSan"
BUILD="$BUILD-sanitize" bash scripts/test-sanitize.sh
