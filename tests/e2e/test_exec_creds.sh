#!/bin/bash
# After an exec pdig knows the credentials without reading them when the
# program has no set-id bit: a set-uid-root program run by uid 65534 must
# still show euid 0 on its child's clone exit, and the execve exit's
# EXE_WRITABLE flag must follow the program's owner and the caller's ids.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
if [ "$(id -u)" != 0 ]; then
	skip_test "needs root to make a set-uid-root program and switch to uid 65534"
fi
install -o root -g root -m 4755 "$HELPERS/exec_fork" "$WORK/suid_prog"
install -o 65534 -g 65534 -m 755 "$HELPERS/exec_fork" "$WORK/own_prog"
install -o root -g root -m 755 "$HELPERS/exec_fork" "$WORK/root_prog"
# each program twice: the second run meets pdig's cached facts of the file
"$PDIG" -w "$WORK/cap.scap" setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	sh -c 'for p in suid_prog own_prog root_prog suid_prog own_prog root_prog; do "$0/$p"; done' "$WORK" \
	>"$WORK/truth"
expect_eq "$?" 0 "programs exit 0"
expect_eq "$(grep -c '^prog|' "$WORK/truth")" 6 "six programs ran"
expect_eq "$(grep -c '^prog|[0-9]*|0|' "$WORK/truth")" 2 "the set-uid program ran with euid 0 (not nosuid)"
# the same programs on a read-only mount: the owner, and root (CAP_FOWNER),
# still count as able to write it, as the driver's inode_owner_or_capable
mkdir "$WORK/ro"
cp -a "$WORK/own_prog" "$WORK/root_prog" "$WORK/ro/"
mount --bind "$WORK/ro" "$WORK/ro" && mount -o remount,bind,ro "$WORK/ro" || fail "read-only bind mount"
"$PDIG" -w "$WORK/ro.scap" sh -c '"$0/ro/root_prog"; setpriv --reuid=65534 --regid=65534 --clear-groups -- sh -c "\"\$0/ro/own_prog\"; \"\$0/ro/root_prog\"" "$0"' "$WORK" \
	>>"$WORK/truth"
expect_eq "$?" 0 "programs on a read-only mount exit 0"
expect_eq "$(grep -c '^prog|' "$WORK/truth")" 9 "nine programs ran"
expect_eq "$(grep '^prog|' "$WORK/truth" | tail -3 | cut -d'|' -f5 | tr -d '\n')" 110 \
	"truth on the read-only mount: root writable, owner writable, other not"
for cap in cap ro; do
	sysdig -r "$WORK/$cap.scap" -p '*%evt.type|%evt.rawres|%thread.tid|%evt.arg.uid|%evt.arg.gid|%evt.arg.flags' \
		"evt.dir=< and evt.type in (clone,clone3,fork,vfork,execve)"
done >"$WORK/events" 2>"$WORK/events.err"
while IFS="|" read -r who pid euid egid w _; do
	case $who in
	child)
		expect_grep "$WORK/events" "^(clone|clone3|fork|vfork)\|0\|$pid\|$euid\|$egid\|" \
			"child $pid: clone exit uid $euid gid $egid" ;;
	prog)
		if [ "$w" = 1 ]; then
			expect_grep "$WORK/events" "^execve\|0\|$pid\|.*EXE_WRITABLE" "program $pid: execve exit says writable"
		else
			expect_grep "$WORK/events" "^execve\|0\|$pid\|" "program $pid: execve exit"
			expect_no_grep "$WORK/events" "^execve\|0\|$pid\|.*EXE_WRITABLE" "program $pid: execve exit says not writable"
		fi ;;
	esac
done <"$WORK/truth"
finish
