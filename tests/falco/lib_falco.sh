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
