#!/bin/bash
# A capture pdig writes in schema 4.5.1 (`--schema 0.25`) replayed by Falco
# 0.44.1 (libs 0.25.4, `engine.kind=replay`): rules fire on the program and
# its file, and the fields the driver fills have values (no <NA>): user.uid,
# the exe's inode and times, the writable flag, exepath, pgid/vpgid,
# capabilities, fd.ino.
. "$(dirname "$0")/lib.sh"
FALCO=${PDIG_FALCO_0_44:-}
[ -n "$FALCO" ] && [ -x "$FALCO" ] || skip_test "no Falco 0.44.1 binary (PDIG_FALCO_0_44; shared/falco/0.44.1/falco)"
"$FALCO" --version >"$WORK/version" 2>&1 || skip_test "Falco 0.44.1 does not run here: $(head -c 200 "$WORK/version")"
RULES=$(dirname "$0")/falco/replay_rules.yaml
echo '{}' >"$WORK/empty.yaml"

"$PDIG" --schema 0.25 -w "$WORK/cap.scap" /bin/cat /etc/hostname >/dev/null
expect_eq $? 0 "pdig -w exits 0"
timeout 120 "$FALCO" -c "$WORK/empty.yaml" -o engine.kind=replay -o engine.replay.capture_file="$WORK/cap.scap" \
	-o stdout_output.enabled=true -r "$RULES" >"$WORK/out" 2>&1
expect_eq $? 0 "falco replays the capture $(grep -m3 -iE 'error|exception' "$WORK/out")"
ino=$(stat -L -c %i /usr/bin/cat)
expect_grep "$WORK/out" "EXEC uid=0 ino=$ino ctime=[0-9]+ mtime=[0-9]+ w=true exepath=/usr/bin/cat pgid=[0-9]+ vpgid=[0-9]+ caps=.*CAP_SYS_ADMIN" \
	"cat's exec: uid, exe inode and times, writable, exepath, groups, capabilities"
expect_grep "$WORK/out" "OPEN ino=$(stat -c %i /etc/hostname) name=/etc/hostname proc=cat cmdline=cat /etc/hostname uid=0" \
	"the open: fd.ino, fd.name, the process"
expect_no_grep "$WORK/out" '<NA>' "no <NA> in any output"
expect_grep "$WORK/out" 'Events detected: 2' "exactly the two events"
finish
