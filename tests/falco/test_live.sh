# Falco 0.42.0 and 0.44.1 live, with the pdig plugin as their syscall
# source and no plugin config: the replay test's scenario (a shell, a
# sensitive file read, a write below /etc, an outbound connect, a fileless
# memfd exec, a process tree, each beside a control) run under a plain
# `pdig` with no options raises the same alerts, and only those.
# A second part starts the program under pdig before Falco: the processes
# pdig already traced come out right from Falco's /proc scan at open.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
e2e_isolate "$@"
[ "$(id -u)" = 0 ] || skip_test "needs root (the write-below-/etc scenario)"
command -v python3 >/dev/null || skip_test "needs python3 (the connect scenario's listener)"
[ -n "${PLUGIN:-}" ] && [ -e "$PLUGIN" ] || skip_test "no libpdig.so in this build (the musl build makes none)"

# live_falco VERSION OUT: Falco with only the pdig plugin (FPID), once it
# has made its ring in /dev/shm
live_falco() {
	local bin
	bin=$(falco_bin "$1") || exit 77
	printf 'stdout_output:\n  enabled: true\n' >"$WORK/live.yaml"
	LD_PRELOAD=${FALCO_PRELOAD:-} "$bin" -c "$WORK/live.yaml" -o watch_config_files=false -o engine.kind=nodriver -o priority=debug \
		-o plugins[0].name=pdig -o "plugins[0].library_path=$PLUGIN" -o load_plugins[0]=pdig \
		-r "$RULES" >"$2" 2>&1 &
	FPID=$!
	local i
	for i in $(seq 200); do [ -e /dev/shm/pdig-ring ] && break; sleep 0.05; done
	[ -e /dev/shm/pdig-ring ] || fail "$1: Falco made no ring: $(tail -3 "$2")"
}

# stop_live OUT WHAT: after the alerts are out, SIGINT; a signal's death fails
stop_live() {
	sleep 1
	kill -INT "$FPID"
	wait "$FPID"
	local rc=$?
	[ $rc -lt 128 ] && ok "$2: Falco exited by itself ($rc)" || fail "$2: Falco died of signal $((rc - 128)): $(tail -3 "$1")"
}

scenario_write
for version in 0.42.0 0.44.1; do
	out=$WORK/live-$version.out
	live_falco "$version" "$out"
	scenario_run -v 2>"$WORK/pdig-$version.err"
	expect_eq "$PRC" 0 "$version: pdig's exit status"
	expect_grep "$WORK/pdig-$version.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' \
		"$version: plain pdig fed the plugin and dropped nothing"
	stop_live "$out" "$version"
	scenario_check "$out" "$version live"

	# late: the program runs under pdig before Falco starts
	out=$WORK/late-$version.out
	"$PDIG" bash -c "sleep 3; sh -c 'cat $WORK/pdig-tree-marker; true'; true" >/dev/null &
	pp=$!
	sleep 0.5
	live_falco "$version" "$out"
	wait $pp
	stop_live "$out" "$version, started late"
	expect_grep "$out" "TREE proc=cat pname=sh aname2=bash" \
		"$version: a program pdig traced before Falco started is known: bash described by pdig when the plugin attached, sh and cat by their own events"
done
finish
