# Shared helpers for the end-to-end tests: run pdig against the real
# `sysdig -u` in a private /dev/shm (docs/consumer.md §3).
# Usage in a test: source lib.sh; e2e_isolate "$@"; then consume_run ...
set -u

# PDIG_UNDER_TEST overrides the build's binary (CI runs the suite again with
# the static musl build).
PDIG=${PDIG_UNDER_TEST:-${PDIG:?PDIG must point at the pdig binary}}
HELPERS=${HELPERS:-}
WORK=$(mktemp -d /tmp/pdig-e2e.XXXXXX)
chmod 755 "$WORK"
DESCS=/dev/shm/udig_descs
FAILS=0

# Re-exec the calling script in a private mount namespace with its own
# tmpfs /dev/shm, so tests never meet another udig ring.
e2e_isolate() {
	if [ "${PDIG_E2E_ISOLATED:-}" != 1 ]; then
		[ "$(id -u)" = 0 ] || skip_test "needs root (a private /dev/shm: unshare -m and mount)"
		export PDIG_E2E_ISOLATED=1
		exec unshare -m --propagation private bash -c \
			'mount -t tmpfs -o mode=1777 tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "$@"
	fi
}

rd_u32() { od -An -t u4 -j "$1" -N 4 "$DESCS" 2>/dev/null | tr -d ' '; }

# consume_run OUT FMT [FILTER...] -- CMD...: start sysdig -u with -p FMT,
# wait until it owns the ring, run CMD, wait for the drain, stop sysdig.
# Sets PRC (CMD's exit status). A consumer that dies, never owns the ring,
# leaves events in it or exits non-zero fails the test: what it printed
# would be short of what was produced.
consume_run() {
	local out=$1 fmt=$2; shift 2
	local filter=()
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do filter+=("$1"); shift; done
	shift
	sysdig -u -v -p "$fmt" "${filter[@]}" >"$out" 2>"$out.err" &
	local sp=$! i
	for i in $(seq 1000); do
		[ "$(rd_u32 60)" = "$sp" ] && break
		kill -0 $sp 2>/dev/null || { fail "consumer died: $(cat "$out.err")"; return 2; }
		sleep 0.01
	done
	[ "$(rd_u32 60)" = "$sp" ] || { fail "consumer not ready within 10 s"; kill -INT $sp; return 2; }
	"$@"
	PRC=$?
	for i in $(seq 1000); do [ "$(rd_u32 0)" = "$(rd_u32 4)" ] && break; sleep 0.01; done
	[ "$(rd_u32 0)" = "$(rd_u32 4)" ] ||
		fail "consumer did not drain the ring within 10 s (head $(rd_u32 0), tail $(rd_u32 4))"
	kill -INT $sp
	wait $sp
	local crc=$?
	[ $crc -eq 0 ] || fail "consumer exited $crc: $(cat "$out.err")"
	return 0
}

# wait_sleeping PID: until the thread or process sleeps (blocked in a call),
# at most 5 s
wait_sleeping() {
	local i
	for i in $(seq 500); do [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" = S ] && return; sleep 0.01; done
}

ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
# skip_part PART REASON: one part of the test cannot run here; the rest does.
skip_part() { echo "SKIP: $1: $2"; }
# skip_test REASON: none of the test can run here (exit 77: ctest says skipped).
skip_test() { echo "SKIP: $*"; rm -rf "$WORK"; exit 77; }

# expect_grep FILE REGEX DESCRIPTION
expect_grep() {
	if grep -Eq -- "$2" "$1"; then ok "$3"; else fail "$3 (no line matches /$2/ in $1)"; fi
}
expect_no_grep() {
	if grep -Eq -- "$2" "$1"; then fail "$3 (unexpected: $(grep -Em1 -- "$2" "$1"))"; else ok "$3"; fi
}
expect_eq() {
	if [ "$1" = "$2" ]; then ok "$3"; else fail "$3 (got '$1', want '$2')"; fi
}

finish() {
	if [ $FAILS -ne 0 ]; then
		echo "---- $FAILS failure(s); outputs kept in $WORK"
		exit 1
	fi
	rm -rf "$WORK"
	exit 0
}
