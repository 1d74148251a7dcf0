# Helpers for the plugin tests: the real Falco binaries (../shared/falco,
# or $PDIG_FALCO_DIR) run with libpdig.so as their syscall source.
# Source after tests/e2e/lib.sh.
FALCO_DIR=${PDIG_FALCO_DIR:-${FALCO_DIR_DEFAULT:-}}
PLUGIN=${PLUGIN:?PLUGIN must point at libpdig.so}
RING_FEED=${RING_FEED:?}
TESTS_PLUGIN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RULES=$TESTS_PLUGIN/rules.yaml
SCHEMAS=${PDIG_SCHEMA_DUMPS:-}
FALCO_VERSIONS=(0.44.1 0.42.0)

# falco_bin VERSION: the binary, or skip the test saying what is missing
falco_bin() {
	local f=$FALCO_DIR/$1/falco
	[ -n "$FALCO_DIR" ] && [ -x "$f" ] ||
		skip_test "no Falco $1 binary (looked for '$f'; set PDIG_FALCO_DIR to the folder holding 0.44.1/falco and 0.42.0/falco)"
	local missing
	missing=$(ldd "$f" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
	[ -z "$missing" ] || skip_test "Falco $1 lacks runtime libraries: $missing(scripts/test.sh installs them)"
	echo "$f"
}

# start_falco VERSION OUT INIT_CONFIG [OPEN_PARAMS] [falco options...]:
# Falco with only the pdig plugin as its syscall source, in the
# background (FPID); its output in OUT.
start_falco() {
	local bin v=$1 out=$2 init=$3 params=${4:-}
	shift 4 2>/dev/null || shift $#
	bin=$(falco_bin "$v") || exit 77
	# a config file of its own: Falco restarts when its config changes
	local conf
	conf=$(mktemp "$WORK/falco-XXXXXX.yaml")
	printf 'stdout_output:\n  enabled: true\n' >"$conf"
	LD_PRELOAD=${FALCO_PRELOAD:-} "$bin" -c "$conf" -o watch_config_files=false -o engine.kind=nodriver -o log_level=info -o log_stderr=true \
		-o "plugins[0].name=pdig" -o "plugins[0].library_path=$PLUGIN" \
		-o "plugins[0].init_config=$init" -o "plugins[0].open_params=$params" \
		-o "load_plugins[0]=pdig" -r "$RULES" "$@" >"$out" 2>&1 &
	FPID=$!
}

# stop_falco OUT WHAT: SIGINT, then its exit status must be 0 and not a
# signal's (a crash of the host is the one thing the plugin must never cause)
stop_falco() {
	kill -INT "$FPID" 2>/dev/null
	wait_falco "$1" "$2"
}

# wait_falco OUT WHAT: Falco's exit status (FRC); a signal fails the test
wait_falco() {
	local i
	for i in $(seq 300); do kill -0 "$FPID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$FPID" 2>/dev/null && { fail "$2: Falco did not stop within 30 s"; kill -KILL "$FPID"; }
	wait "$FPID"
	FRC=$?
	if [ "$FRC" -ge 128 ]; then
		fail "$2: Falco died of signal $((FRC - 128)): $(tail -5 "$1")"
	else
		ok "$2: Falco exited by itself (status $FRC)"
	fi
}

# wait_ring DIR: until Falco's plugin has made the ring there; prints the
# schema it asks for
wait_ring() {
	"$RING_FEED" wait "$1" 20
}

# count OUT TAG: how many alerts with TAG Falco printed
count() { grep -c -- "$2" "$1"; }
