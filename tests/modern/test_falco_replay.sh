#!/bin/bash
# Captures pdig writes in a modern schema replayed by the Falco built on
# that schema's libs (`engine.kind=replay`): 4.5.1 (`--schema 0.25`) by
# Falco 0.44.1, 4.0.1 (`--schema 0.22`) by Falco 0.42.0. Rules fire on the
# program and its file, and the fields the driver fills have values (no
# <NA>): user.uid, the exe's inode and times, the writable flag, exepath,
# pgid/vpgid, capabilities, fd.ino.
. "$(dirname "$0")/lib.sh"
RULES=$(dirname "$0")/falco/replay_rules.yaml
echo '{}' >"$WORK/empty.yaml"
ran=0

# replay_in FALCO_VERSION SCHEMA_NAME
replay_in() {
	local falco=$PDIG_FALCO_DIR/$1/falco cap=$WORK/cap-$2.scap out=$WORK/out-$1
	if [ -z "${PDIG_FALCO_DIR:-}" ] || [ ! -x "$falco" ]; then
		skip_part "Falco $1" "no binary at ${PDIG_FALCO_DIR:-(PDIG_FALCO_DIR unset)}/$1/falco"
		return
	fi
	if ! "$falco" --version >"$out" 2>&1; then
		skip_part "Falco $1" "does not run here: $(head -c 200 "$out")"
		return
	fi
	ran=$((ran + 1))
	"$PDIG" --schema "$2" -w "$cap" /bin/cat /etc/hostname >/dev/null
	expect_eq $? 0 "pdig --schema $2 -w exits 0"
	timeout 120 "$falco" -c "$WORK/empty.yaml" -o engine.kind=replay -o engine.replay.capture_file="$cap" \
		-o stdout_output.enabled=true -r "$RULES" >"$out" 2>&1
	expect_eq $? 0 "Falco $1 replays the capture $(grep -m3 -iE 'error|exception' "$out")"
	local ino
	ino=$(stat -L -c %i /usr/bin/cat)
	expect_grep "$out" "EXEC uid=0 ino=$ino ctime=[0-9]+ mtime=[0-9]+ w=true exepath=/usr/bin/cat pgid=[0-9]+ vpgid=[0-9]+ caps=.*CAP_SYS_ADMIN" \
		"Falco $1: cat's exec: uid, exe inode and times, writable, exepath, groups, capabilities"
	expect_grep "$out" "OPEN ino=$(stat -c %i /etc/hostname) name=/etc/hostname proc=cat cmdline=cat /etc/hostname uid=0" \
		"Falco $1: the open: fd.ino, fd.name, the process"
	expect_no_grep "$out" '<NA>' "Falco $1: no <NA> in any output"
	expect_grep "$out" 'Events detected: 2' "Falco $1: exactly the two events"
}

replay_in 0.44.1 0.25
replay_in 0.42.0 0.22
[ $ran -gt 0 ] || skip_test "no Falco to replay with"
finish
