#!/bin/bash
# A sidecar as on ECS/EKS Fargate: Falco runs in namespaces of its own
# (PID namespace with its own /proc, mount namespace with its own
# /dev/shm, IPC and UTS namespaces) and shares only a folder with the
# program's side, where pdig runs. The plugin opens the ring in that folder
# (open params), pdig finds it there through PDIG_RING_DIR. Falco cannot
# see pdig's processes in its /proc, so everything it knows about them
# comes from pdig's events: the rules still fire with the right process,
# parent and grandparent, and nothing is dropped. That holds too for a
# program pdig ran before the sidecar started: pdig describes the
# processes it traces when a plugin attaches (src/tracer/intro.c).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
e2e_isolate "$@"
command -v unshare >/dev/null || skip_test "needs unshare (util-linux)"

# Falco is PID 1 of its namespace, a child of unshare: signal it, not
# unshare, whose exit status is then Falco's. --kill-child makes sure no
# Falco outlives the test.
stop_sidecar() {
	local f
	f=$(pgrep -P "$FPID" | head -1)
	[ -n "$f" ] && kill -INT "$f" 2>/dev/null
	wait_falco "$1" "$2"
}

vol=$WORK/shared-volume
mkdir -p "$vol"
chmod 1777 "$vol"
# start_sidecar VERSION OUT: Falco in namespaces of its own (FPID: unshare)
start_sidecar() {
	local bin conf=$WORK/falco-$1.yaml
	bin=$(falco_bin "$1") || exit 77
	printf 'stdout_output:\n  enabled: true\n' >"$conf"
	rm -f "$vol/pdig-ring"
	unshare --pid --fork --kill-child=SIGKILL --mount-proc --mount --ipc --uts --propagation private \
			bash -c 'mount -t tmpfs tmpfs /dev/shm && exec "$@"' falco-sidecar \
		env LD_PRELOAD="${FALCO_PRELOAD:-}" "$bin" -c "$conf" -o watch_config_files=false -o engine.kind=nodriver \
		-o log_level=info -o log_stderr=true -o "plugins[0].name=pdig" -o "plugins[0].library_path=$PLUGIN" \
		-o "plugins[0].init_config=" -o "plugins[0].open_params=$vol" -o "load_plugins[0]=pdig" -r "$RULES" \
		>"$2" 2>&1 &
	FPID=$!
}

for v in "${FALCO_VERSIONS[@]}"; do
	out=$WORK/falco-$v.out
	start_sidecar "$v" "$out"
	wait_ring "$vol" >/dev/null || { fail "$v: no ring in $vol: $(tail -3 "$out")"; stop_sidecar "$out" "$v"; continue; }
	[ ! -e /dev/shm/pdig-ring ] && ok "$v: nothing in the program side's /dev/shm" || fail "$v: a ring in /dev/shm"
	PDIG_RING_DIR=$vol "$PDIG" -v sh -c 'sh -c "cat /etc/shadow" >/dev/null; cat /etc/hostname >/dev/null' \
		2>"$WORK/pdig-$v.err"
	expect_eq "$?" 0 "$v: the program ran under pdig"
	expect_grep "$WORK/pdig-$v.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' \
		"$v: pdig fed the sidecar's ring and dropped nothing"
	for i in $(seq 100); do [ "$(count "$out" SENSITIVE_READ)" -ge 1 ] && break; sleep 0.1; done
	sleep 0.5
	stop_sidecar "$out" "$v"
	expect_grep "$out" 'SENSITIVE_READ file=/etc/shadow proc=cat pname=sh aname2=sh pid=[0-9]+ cmdline=cat /etc/shadow' \
		"$v: the sidecar alerts on cat /etc/shadow, with parent and grandparent"
	expect_eq "$(count "$out" SENSITIVE_READ)" 1 "$v: one alert (not /etc/hostname)"
	expect_no_grep "$out" 'skipping events' "$v: the plugin skipped no event"

	# late: the program runs under pdig before the sidecar starts
	out=$WORK/late-$v.out
	# a process that makes no new process after the sidecar attached:
	# only pdig's description can name it
	PDIG_RING_DIR=$vol "$PDIG" python3 -c 'import time; time.sleep(3); open("/etc/shadow").read()' &
	pp=$!
	sleep 0.5
	start_sidecar "$v" "$out"
	wait $pp
	expect_eq "$?" 0 "$v, started late: the program ran under pdig"
	for i in $(seq 100); do [ "$(count "$out" SENSITIVE_READ)" -ge 1 ] && break; sleep 0.1; done
	sleep 0.5
	stop_sidecar "$out" "$v, started late"
	expect_grep "$out" 'SENSITIVE_READ file=/etc/shadow proc=python3 .*cmdline=python3 -c import time' \
		"$v: a program running before the sidecar started is named, through pdig's description (the sidecar's /proc does not show it)"
done
finish
