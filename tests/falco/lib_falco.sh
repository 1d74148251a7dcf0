# Helpers for the tests that run the real Falco (../shared/falco: 0.42.0
# and 0.44.1, see its README) on what pdig produces.
# Usage: source lib_falco.sh (after tests/e2e/lib.sh).

FALCO_DIR=${PDIG_FALCO_DIR:-}
RULES=$(dirname "${BASH_SOURCE[0]}")/rules.yaml

# falco_bin VERSION: the binary's path, or skip the test saying why.
falco_bin() {
	local f="$FALCO_DIR/$1/falco"
	[ -n "$FALCO_DIR" ] && [ -x "$f" ] || skip_test "no Falco $1 binary at '$FALCO_DIR/$1' (set PDIG_FALCO_DIR)"
	local missing
	missing=$(ldd "$f" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
	[ -z "$missing" ] || skip_test "Falco $1 lacks libraries: $missing(scripts/test.sh installs them)"
	echo "$f"
}

# The schema pdig writes for a Falco version: that release's libs.
falco_schema() {
	case "$1" in
	0.42.*) echo falco-0.42 ;;
	0.43.*) echo falco-0.43 ;;
	0.44.*) echo falco-0.44 ;;
	*) echo "falco_schema: no schema known for Falco $1" >&2; return 1 ;;
	esac
}

# falco_replay VERSION CAPTURE OUT: Falco in replay mode with the tests'
# rules; its alerts and log go to OUT. A Falco that crashes (a signal) or
# fails fails the test.
falco_replay() {
	local bin rc
	bin=$(falco_bin "$1") || exit 77
	: >"$WORK/empty.yaml"
	timeout 120 "$bin" -c "$WORK/empty.yaml" -o engine.kind=replay -o "engine.replay.capture_file=$2" \
		-o stdout_output.enabled=true -o log_stderr=true -o priority=debug -r "$RULES" >"$3" 2>&1
	rc=$?
	[ $rc -eq 0 ] || fail "Falco $1 replay of $2 exited $rc: $(tail -3 "$3")"
}

# The scenario both the replay and the live test run under pdig: a shell
# script doing, in order, each behaviour the rules look for and a control
# beside it. scenario_write makes it ($WORK/scenario.sh); scenario_run
# PDIG_ARGS... runs it under pdig with the connect's listener up (PRC =
# pdig's status); scenario_check OUT WHAT checks Falco's alerts.
scenario_write() {
	touch "$WORK/pdig-tree-marker" "$WORK/pdig-fields-marker"
	cat >"$WORK/scenario.sh" <<SCEN
cat /etc/shadow >/dev/null
cat /etc/hostname >/dev/null
echo x >/etc/pdig-falco-test.\$\$; rm -f /etc/pdig-falco-test.\$\$
echo x >$WORK/not-etc
bash -c 'exec 3<>/dev/tcp/127.0.0.1/47913; exec 3>&-'
$HELPERS/memfd_exec /bin/cat /dev/null
/bin/true
bash -c 'sh -c "cat $WORK/pdig-tree-marker; true"; true'
cat $WORK/pdig-fields-marker
SCEN
}

scenario_run() {
	# The listener says when it listens: a fixed 0.3 s was too short for
	# python's start on a loaded machine (the connect was refused).
	rm -f "$WORK/listening"
	python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 47913)); s.listen(); open(sys.argv[1], "w").close()
s.settimeout(20); c, _ = s.accept()' "$WORK/listening" &
	local lp=$! i
	for i in $(seq 100); do [ -e "$WORK/listening" ] && break; sleep 0.1; done
	"$PDIG" "$@" bash "$WORK/scenario.sh"
	PRC=$?
	wait $lp
}

scenario_check() {
	local out=$1 what=$2
	expect_grep "$out" "SENSITIVE_READ file=/etc/shadow proc=cat pname=bash uid=0" "$what: the shadow read"
	expect_no_grep "$out" "SENSITIVE_READ file=/etc/hostname" "$what: no alert on /etc/hostname"
	expect_grep "$out" "WRITE_ETC file=/etc/pdig-falco-test" "$what: the write below /etc"
	expect_no_grep "$out" "WRITE_ETC file=$WORK" "$what: no write alert outside /etc"
	expect_grep "$out" "OUTBOUND tuple=127.0.0.1:[0-9]*->127.0.0.1:47913 proc=bash sip=127.0.0.1 sport=47913" \
		"$what: the outbound connect"
	expect_grep "$out" "FILELESS proc=memfd:payload exe=/bin/cat exepath=/memfd:payload pname=bash" \
		"$what: the fileless exec (the program that fexecve()d becomes it, so the parent is the shell)"
	expect_eq "$(grep -c FILELESS "$out")" 1 "$what: one fileless alert (not /bin/true)"
	expect_grep "$out" "TREE proc=cat pname=sh aname2=bash" "$what: the tree"
	expect_grep "$out" "SHELL_SPAWN proc=sh pname=bash" "$what: a shell spawned by a shell"
	if grep FIELDS "$out" | grep -q '<NA>'; then
		fail "$what: process fields left <NA>: $(grep FIELDS "$out" | tr ' ' '\n' | grep '<NA>' | tr '\n' ' ')"
	else
		expect_grep "$out" "FIELDS uid=0 " "$what: the process fields"
	fi
}
