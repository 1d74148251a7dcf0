#!/bin/bash
# Builds everything with ASan + UBSan (-DPDIG_SANITIZE=ON) in its own build
# dir and runs the whole ctest suite with every sanitizer report fatal,
# then a leak check of pdig itself. Run as root like scripts/test.sh (same
# packages). CI calls this.
#
#   scripts/test-sanitize.sh [ctest args...]     e.g. -R '^e2e_'
#
# Sanitizer options, and why:
#   ASan   halt_on_error=1 exitcode=1: any error fails the process, and so
#          the test. detect_stack_use_after_return=1: returned stack
#          addresses.
#   UBSan  halt_on_error=1 print_stacktrace=1 (the build also has
#          -fno-sanitize-recover): the first undefined behaviour fails.
#   Leaks  detect_leaks=0 for the suite: LeakSanitizer stops the world with
#          ptrace, which is impossible in a process that is being traced,
#          and the suite's own test programs (built instrumented, too) are
#          traced by pdig: each would die with "LeakSanitizer does not work
#          under ptrace". Instead, a separate pass below runs the
#          instrumented pdig (a tracer, never a tracee) with detect_leaks=1
#          over every sink on uninstrumented system programs.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-sanitize}
SAN_ASAN=halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:exitcode=1
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
cmake -S . -B "$BUILD" -DPDIG_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)"
BUILD=$(cd "$BUILD" && pwd)
rc=0
# Sanitized code is 2-3x slower: allow more time than scripts/test.sh.
(cd "$BUILD" && ASAN_OPTIONS=${ASAN_OPTIONS:-$SAN_ASAN:detect_leaks=0} \
	ctest --output-on-failure -j2 --timeout 400 "$@") || rc=1

echo "== leak check of pdig (detect_leaks=1)"
leaks=0
tmp=$(mktemp -d)
leak_run() { # DESCRIPTION, then pdig's arguments. pdig's own exit status
	# is the program's; only sanitizer reports count. The udig ring goes to
	# a private /dev/shm (no consumer there: events are discarded).
	local what=$1; shift
	ASAN_OPTIONS=$SAN_ASAN:detect_leaks=1 unshare -m --propagation private sh -c \
		'mount -t tmpfs tmpfs /dev/shm && exec "$0" "$@"' "$BUILD/pdig" "$@" \
		>/dev/null 2>"$tmp/err" </dev/null || true
	if grep -qE 'LeakSanitizer|AddressSanitizer|runtime error' "$tmp/err"; then
		echo "FAIL: $what"; cat "$tmp/err"; leaks=1
	else
		echo "ok: $what"
	fi
}
leak_run "-o text, default set" -o "$tmp/t.txt" /bin/sh -c 'cat /etc/hostname; ls / >/dev/null'
leak_run "-o -j json, -a" -a -o "$tmp/t.json" -j /bin/sh -c 'cat /etc/hostname | wc -c'
leak_run "-w capture with -C rotation" -w "$tmp/c.scap" -C 1 /bin/sh -c 'i=0; while [ $i -lt 300 ]; do : >"'"$tmp"'/f$i"; i=$((i+1)); done'
leak_run "-e trace=%file, -v" -v -e trace=%file /bin/ls /
leak_run "missing program" /no/such/program
rm -rf "$tmp"
[ $leaks = 0 ] || rc=1
exit $rc
