# Shared helpers for the udig shell tests (sourced). Recipe from
# docs/consumer.md §3.
set -u
PRODUCER=$1
D=/dev/shm/udig_descs

# Run the calling script again inside a private mount namespace with its own
# /dev/shm, so parallel tests and other udig users cannot interfere.
if [ -z "${UDIG_PRIVATE_SHM:-}" ]; then
  export UDIG_PRIVATE_SHM=1
  U=; [ "$(id -u)" = 0 ] || U=-r
  exec unshare $U -m --propagation private bash -c \
    'mount -t tmpfs tmpfs /dev/shm && exec bash "$0" "$@"' "$0" "$@"
fi

WORK=$(mktemp -d /tmp/udig_test.XXXXXX)
SP=
cleanup() { [ -n "$SP" ] && kill -INT "$SP" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

fail() { echo "FAIL: $*"; [ -f "$WORK/out.err" ] && tail -5 "$WORK/out.err"; exit 1; }

rd() { od -An -t u4 -j "$1" -N 4 "$D" 2>/dev/null | tr -d ' '; }    # u32 at offset
rd64() { od -An -t u8 -j "$1" -N 8 "$D" 2>/dev/null | tr -d ' '; }  # u64 at offset

# start_consumer ARGS...: sysdig -u ARGS > $WORK/out 2> $WORK/out.err, wait ready.
start_consumer() {
  sysdig -u "$@" > "$WORK/out" 2> "$WORK/out.err" &
  SP=$!
  for _ in $(seq 500); do
    [ "$(rd 60)" = "$SP" ] && return 0
    kill -0 "$SP" 2>/dev/null || fail "consumer died"
    sleep 0.01
  done
  fail "consumer not ready"
}

# Wait until the consumer has processed everything (head == tail).
drain() {
  for _ in $(seq 1000); do
    [ "$(rd 0)" = "$(rd 4)" ] && return 0
    sleep 0.01
  done
  fail "consumer did not drain (head=$(rd 0) tail=$(rd 4))"
}

# Stop the consumer; its exit status goes to CRC.
stop_consumer() {
  kill -INT "$SP"; wait "$SP"; CRC=$?; SP=
  grep -q corruption "$WORK/out.err" && fail "consumer reported corruption"
  [ "$CRC" = 0 ] || fail "consumer exit status $CRC"
}
