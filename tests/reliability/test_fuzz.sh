#!/bin/bash
# Runs the encoder fuzzer (fuzz/fuzz_encoders.c) for 200 000 executions or
# 15 s, whichever comes first, from the committed seed corpus. Skips (77)
# when clang or its libFuzzer runtime is not installed.
# Usage: test_fuzz.sh BUILD_DIR
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:?build dir}
command -v clang >/dev/null || { echo "SKIP: clang not installed (apt-get install clang libclang-rt-14-dev)"; exit 77; }
probe=$(mktemp -d)
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }' >"$probe/p.c"
if ! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
	echo "SKIP: clang cannot link a libFuzzer binary: $(head -1 "$probe/err")"
	rm -rf "$probe"; exit 77
fi
rm -rf "$probe"
FUZZ_BUILD="$BUILD" FUZZ_BUILD_ONLY=1 bash "$ROOT/fuzz/run.sh" >/dev/null || { echo "FAIL: fuzzer build"; exit 1; }
FUZZ_BUILD="$BUILD" bash "$ROOT/fuzz/run.sh" 200000 -max_total_time=15 -artifact_prefix="$BUILD/" \
	>"$BUILD/last-run.log" 2>&1
rc=$?
grep -E '^stat::(number_of_executed_units|average_exec_per_sec)|^Done' "$BUILD/last-run.log"
if [ $rc -ne 0 ]; then
	echo "FAIL: the fuzzer found a problem (exit $rc); reproducer in $BUILD/crash-*:"
	grep -E 'fuzz_encoders:|ERROR|SUMMARY|runtime error' "$BUILD/last-run.log" | head -20
	exit 1
fi
echo "ok: no crash, no malformed event"
