#!/bin/bash
# Process and fd lists written before the first event (the state source):
# sysdig -r names the process and every kind of fd from them alone.
. "$(dirname "$0")/../e2e/lib.sh"
: "${SCAP_STATE:?SCAP_STATE must point at the scap_state program}"
"$SCAP_STATE" "$WORK/s.scap" "$WORK/u.sock" >"$WORK/fds" || fail "scap_state ran"
sysdig -r "$WORK/s.scap" -p '*%proc.name|%proc.pid|%proc.cmdline|%fd.num|%fd.type|%fd.name' >"$WORK/out" 2>"$WORK/err"
expect_eq "$?" 0 "sysdig -r reads the file"
read -r _ sport cport < <(grep ^port "$WORK/fds")
me="scap_state|[0-9]+|scap_state $WORK/s.scap $WORK/u.sock"
while read -r fd kind; do
	case $kind in
	file) want="$fd\|file\|/etc/hostname" ;;
	dir) want="$fd\|directory\|/" ;;
	pipe) want="$fd\|pipe\|pipe:\[[0-9]+\]" ;;
	tcp) want="$fd\|ipv4\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport" ;;
	listen) want="$fd\|ipv4\|127\.0\.0\.1:$sport" ;;
	unix) want="$fd\|unix\|.*$WORK/u\.sock" ;;
	*) continue ;;
	esac
	expect_grep "$WORK/out" "^$me\|$want\$" "fd $fd ($kind) named from the FD list"
done <"$WORK/fds"
expect_no_grep "$WORK/out" '<NA>' "nothing unknown"
finish
