#!/bin/bash
# Builds the encoder fuzzer (clang libFuzzer + ASan + UBSan) and runs it.
#
#   fuzz/run.sh [RUNS] [extra libFuzzer flags...]     default RUNS 10000000
#
# Environment:
#   FUZZ_BUILD  build/work dir (default build-fuzz at the top of the tree)
#   FUZZ_JOBS   parallel fuzzing processes (default 1); each does RUNS/FUZZ_JOBS
#   FUZZ_BUILD_ONLY=1  just build, print the binary's path
#   FUZZ_MERGE=1       regenerate fuzz/corpus: the harness writes its seed
#                      inputs (every UF_USED syscall in four hostile
#                      "worlds"), -merge=1 keeps those that add coverage
#
# The committed seed corpus fuzz/corpus/ is read, never written: new inputs
# go to $FUZZ_BUILD/corpus. Crashes land in $FUZZ_BUILD/crash-*.
# Needs Debian's clang and libclang-rt-14-dev (libFuzzer + sanitizer runtimes).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
RUNS=${1:-10000000}
[ $# -gt 0 ] && shift
CC=${FUZZ_CC:-}
if [ -z "$CC" ]; then
	for c in clang clang-16 clang-15 clang-14; do
		command -v "$c" >/dev/null && { CC=$c; break; }
	done
fi
[ -n "$CC" ] || { echo "fuzz/run.sh: clang not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 77; }

mkdir -p "$BUILD/obj" "$BUILD/corpus"
INCS=(-I"$ROOT/src")
for layer in abi schema events procfs tracer sinks; do INCS+=(-I"$ROOT/src/$layer/include"); done
FLAGS=(-g -O1 -std=gnu11 -D_GNU_SOURCE -DPDIG_VERSION=\"fuzz\" "${INCS[@]}"
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
	-fno-omit-frame-pointer -Wall -Wno-unused-parameter)
# Only the pure code: encoders, schema, text/JSON formatter, /proc parsers.
SRCS=("$ROOT"/src/events/*.c "$ROOT"/src/schema/*.c "$ROOT"/src/sinks/text*.c "$ROOT"/src/procfs/procfs_parse.c
	"$ROOT"/fuzz/fuzz_encoders.c)
# Rebuild an object when its source or any header is newer.
newest_hdr=$(find "$ROOT/src" -name '*.h' -printf '%T@\n' | sort -n | tail -1)
objs=() todo=()
for s in "${SRCS[@]}"; do
	o="$BUILD/obj/$(basename "$(dirname "$s")")_$(basename "${s%.c}").o"
	objs+=("$o")
	if [ ! -e "$o" ] || [ "$s" -nt "$o" ] || \
	   awk -v h="$newest_hdr" -v t="$(stat -c %Y "$o")" 'BEGIN{exit !(h > t)}'; then
		todo+=("$s" "$o")
	fi
done
if [ ${#todo[@]} -gt 0 ]; then
	# At most nproc compilers at once.
	running=0 failed=0
	for ((i = 0; i < ${#todo[@]}; i += 2)); do
		"$CC" "${FLAGS[@]}" -c "${todo[i]}" -o "${todo[i+1]}" &
		running=$((running + 1))
		if [ $running -ge "$(nproc)" ]; then
			wait -n || failed=1
			running=$((running - 1))
		fi
	done
	while [ $running -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
	[ $failed = 0 ] || { echo "fuzz/run.sh: compile failed" >&2; exit 1; }
fi
BIN=$BUILD/fuzz_encoders
if [ ! -e "$BIN" ] || [ ${#todo[@]} -gt 0 ]; then
	"$CC" -fsanitize=fuzzer,address,undefined "${objs[@]}" -o "$BIN"
fi
if [ "${FUZZ_BUILD_ONLY:-0}" = 1 ]; then
	echo "$BIN"
	exit 0
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
CORPUS=$ROOT/fuzz/corpus

if [ "${FUZZ_MERGE:-0}" = 1 ]; then
	seeds=$(mktemp -d)
	new=$(mktemp -d)
	PDIG_FUZZ_SEEDS=$seeds "$BIN"
	# Only the generated seeds: what the fuzzer finds is thousands of
	# files, too many to commit; the seeds already reach every encoder.
	"$BIN" -merge=1 -max_len=8192 "$new" "$seeds"
	rm -rf "$seeds"
	rm -f "$CORPUS"/*
	# Content-addressed names, like libFuzzer's own.
	mv "$new"/* "$CORPUS"/
	rmdir "$new"
	echo "fuzz/corpus: $(ls "$CORPUS" | wc -l) files, $(du -sk "$CORPUS" | cut -f1) KiB"
	exit 0
fi

JOBS=${FUZZ_JOBS:-1}
cd "$BUILD"
if [ "$JOBS" -gt 1 ]; then
	# -jobs: each worker gets its own log (fuzz-N.log) and runs RUNS/JOBS.
	exec "$BIN" -max_len=8192 -runs=$((RUNS / JOBS)) -jobs="$JOBS" -workers="$JOBS" \
		-print_final_stats=1 "$@" "$BUILD/corpus" "$CORPUS"
fi
exec "$BIN" -max_len=8192 -runs="$RUNS" -print_final_stats=1 "$@" "$BUILD/corpus" "$CORPUS"
