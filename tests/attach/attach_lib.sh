# Helpers shared by the attach tests (on top of tests/e2e/lib.sh).
if ! command -v sysdig >/dev/null; then
	echo "SKIP: the consumer (sysdig) is not installed"
	exit 77
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP: needs root (a private /dev/shm via unshare -m, setpriv)"
	exit 77
fi
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

# wait_for SECONDS CMD...: poll CMD every 20 ms until it succeeds.
wait_for() {
	local end=$((SECONDS + $1)); shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		sleep 0.02
	done
}

# u64 / u32 of the looper's shared state file (progs/looper.c).
st_u64() { od -An -t u8 -j "$2" -N 8 "$1/state" 2>/dev/null | tr -d ' '; }
st_u32() { od -An -t u4 -j "$2" -N 4 "$1/state" 2>/dev/null | tr -d ' '; }
ticks() { st_u64 "$1" 0; }
worker_ticks() { st_u64 "$1" 32; }
# makes the looper exit with status $2
looper_quit() { printf "$(printf '\\%03o' "$2")" | dd of="$1/state" bs=1 seek=28 conv=notrunc status=none; }

# start_looper DIR: runs progs/looper in DIR; sets LPID MTID WTID.
start_looper() {
	mkdir -p "$1"
	"$HELPERS/looper" "$1" &
	LPID=$!
	wait_for 5 test -s "$1/ids" || { echo "looper did not start"; return 1; }
	read -r LPID MTID WTID <"$1/ids"
}

status_field() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null; }
proc_state() { awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null; }

# Is every thread of $1 traced by $2 (by one of its threads: -p/-P serve
# a process on several tracer threads, docs/scale.md)?
traced_by() {
	local t tp
	for t in /proc/$1/task/*; do
		tp=$(status_field "$1/task/${t##*/}" TracerPid)
		[ -n "$tp" ] && [ "$tp" != 0 ] && { [ "$tp" = "$2" ] || [ -d "/proc/$2/task/$tp" ]; } || return 1
	done
}

# does the counter at $1 (a command printing a number) advance within 2 s?
advances() {
	local a b; a=$("$@")
	for _ in $(seq 100); do
		sleep 0.02
		b=$("$@")
		[ "${b:-0}" -gt "${a:-0}" ] && return 0
	done
	return 1
}

# is PID gone (or a zombie)?
gone() { ! kill -0 "$1" 2>/dev/null || [ "$(proc_state "$1")" = Z ]; }

# wait_exit PID SECONDS: wait for a background job; sets WRC (its status,
# or 255 after killing it when it outlived SECONDS).
wait_exit() {
	if wait_for "$2" gone "$1"; then
		wait "$1"; WRC=$?
	else
		kill -KILL "$1" 2>/dev/null; wait "$1" 2>/dev/null; WRC=255
	fi
}

# start_hammer DIR NTHREADS [fork]: runs progs/hammer in DIR; sets HP.
start_hammer() {
	mkdir -p "$1"
	"$HELPERS/hammer" "$@" &
	HP=$!
	wait_for 5 test -s "$1/ids" || { echo "hammer did not start"; return 1; }
}
# the hammer's counters (progs/hammer.c)
h_calls() { st_u64 "$1" 0; }
h_enosys() { st_u64 "$1" 8; }
h_failed() { st_u64 "$1" 16; }
h_probes_ok() { st_u64 "$1" 32; }
h_probes_bad() { st_u64 "$1" 40; }
h_quit() { printf "$(printf '\\%03o' "$2")" | dd of="$1/state" bs=1 seek=24 conv=notrunc status=none; }

# With -S, pdig (the pid the shell waits for) traces through a child of
# its own: the pid of that tracer.
s_tracer() { pgrep -P "$1" | head -1; }
