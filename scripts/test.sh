#!/bin/bash
# Installs what the tests need (Debian bookworm), builds pdig and runs the
# whole suite with ctest. Run as root (CI does); it uses apt-get, unshare
# and mount for private /dev/shm namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pkg in build-essential cmake sysdig libfalcosecurity0-dev strace musl-tools util-linux python3; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "== installing: ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

BUILD=${BUILD:-build-test}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
cd "$BUILD"
ctest --output-on-failure -j2 --timeout 300
