#!/bin/bash
# Spawn mode as an ordinary user with no capabilities (as on Fargate): the
# tracer traces its own child; seccomp is armed under NO_NEW_PRIVS.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
if [ "$(id -u)" != 0 ]; then
	RUN=()
else
	RUN=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
fi
cp "$PDIG" "$WORK/pdig"; chmod 755 "$WORK/pdig"
F='*%proc.name|%evt.dir|%evt.type|%evt.res|%user.uid|%fd.name'
consume_run "$WORK/out" "$F" -- "${RUN[@]}" "$WORK/pdig" /bin/cat /etc/hostname >"$WORK/stdout" 2>"$WORK/stderr"
expect_eq "$PRC" 0 "pdig as uid 65534 exits 0"
cmp -s "$WORK/stdout" /etc/hostname && ok "output unchanged" || fail "output differs: $(cat "$WORK/stderr")"
expect_grep "$WORK/out" '^cat\|<\|openat\|SUCCESS\|65534\|/etc/hostname$' "open seen, as uid 65534"
expect_grep "$WORK/out" '^cat\|<\|execve\|SUCCESS\|65534\|' "execve seen"
finish
