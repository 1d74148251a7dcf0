#!/bin/bash
# Exec by fd: fexecve, the fileless memfd exec, execveat with a dirfd and
# with AT_EMPTY_PATH. sysdig 0.29.3 dies on a successful EXECVEAT_X with a
# real dirfd and every later event is lost, so pdig reports a successful
# execveat as an execve exit (as later drivers do) and a failed one as an
# execveat exit. Checked live (sysdig -u) and on a capture (sysdig -r):
# the consumer survives, the new program's events carry its name, and the
# failures are execveat exits with their errno.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%evt.dir|%evt.type|%evt.rawres|%proc.exe|%proc.exepath|%evt.arg.pathname|%evt.arg.name'
FILTER='evt.type in (execve,execveat,procexit) or (evt.type=openat and evt.arg.name contains pdig-fexec-marker)'

re() { printf '%s' "$1" | sed 's/[][\.*^$(){}?+|/]/\\&/g'; }

check() { # OUT TRUTH WHAT DIR
	local out=$1 truth=$2 what=$3 dir=$4 mode pid comm exe errno
	expect_eq "$(grep -c '^exec|' "$truth")" 4 "$what: four programs ran by fd"
	while IFS='|' read -r kind mode pid comm exe; do
		case $kind in
		child)
			expect_grep "$out" "^fexec\|$pid\|>\|execveat\|" "$what: $mode: the execveat enter" ;;
		exec)
			# proc.exe is argv[0], proc.name the kernel's comm (on a memfd,
			# memfd:NAME); sysdig 0.29.3 takes exepath from an execve enter
			# only, so after an execveat it keeps the caller's (README)
			expect_grep "$out" "^$(re "$comm")\|$pid\|<\|execve\|0\|[^|]*\|$(re "$HELPERS/fexec")\|" \
				"$what: $mode: an execve exit names the new program $comm"
			expect_grep "$out" "^$(re "$comm")\|$pid\|>\|openat\|.*\|/pdig-fexec-marker/$mode$" \
				"$what: $mode: the new program's next syscall, as $comm" ;;
		failed)
			errno=$comm
			expect_grep "$out" "^fexec\|$pid\|<\|execveat\|-$errno\|" "$what: $mode: a failed execveat exit with -$errno" ;;
		esac
	done <"$truth"
	# argv[0] as given to each exec
	for m in fexecve:copy-by-fd memfd:fileless dirfd:copy-by-dirfd emptypath:copy-by-empty-path; do
		pid=$(grep "^exec|${m%%:*}|" "$truth" | cut -d'|' -f3)
		expect_grep "$out" "^[^|]*\|$pid\|<\|execve\|0\|${m#*:}\|" "$what: ${m%%:*}: proc.exe is argv[0] ${m#*:}"
	done
	expect_grep "$out" "^memfd:pdig-file\|[0-9]+\|<\|execve\|0\|fileless\|" "$what: memfd exec: proc.name memfd:NAME"
	# /bin/true by fd: its own events come after the exec
	pid=$(grep '^child|fexecve-true|' "$truth" | cut -d'|' -f3)
	expect_grep "$out" "^true\|$pid\|<\|execve\|0\|true-by-fd\|" "$what: fexecve of /bin/true: execve exit"
	expect_grep "$out" "^true\|$pid\|>\|procexit\|" "$what: fexecve of /bin/true: its procexit"
	# the consumer resolves the enter's name through the dirfd
	for m in dirfd emptypath; do
		pid=$(grep "^child|$m|" "$truth" | cut -d'|' -f3)
		expect_grep "$out" "^fexec\|$pid\|>\|execveat\|.*\|$(re "$dir")/fexec-copy\|" "$what: $m: execveat enter resolved"
	done
	expect_no_grep "$out" "^[^|]*\|[0-9]+\|<\|execveat\|0\|" "$what: no successful execveat exit"
	# the caller lives on after its failed execveat calls
	pid=$(grep '^marker|failed|' "$truth" | cut -d'|' -f3)
	expect_grep "$out" "^fexec\|$pid\|>\|openat\|.*\|/pdig-fexec-marker/failed$" "$what: events after the failed execveat"
	expect_grep "$out" "^fexec\|$pid\|>\|procexit\|" "$what: the caller's procexit, the last event"
}

mkdir "$WORK/live" "$WORK/file"
consume_run "$WORK/live.out" "$F" "$FILTER" -- "$PDIG" "$HELPERS/fexec" "$WORK/live" >"$WORK/live.truth"
expect_eq "$PRC" 0 "live: fexec exits 0"
expect_no_grep "$WORK/live.truth" "^FAIL: consumer" "live: sysdig -u survives and drains"
check "$WORK/live.out" "$WORK/live.truth" live "$WORK/live"

"$PDIG" -w "$WORK/cap.scap" "$HELPERS/fexec" "$WORK/file" >"$WORK/file.truth"
expect_eq "$?" 0 "capture: fexec exits 0"
sysdig -r "$WORK/cap.scap" -p "$F" "$FILTER" >"$WORK/file.out" 2>"$WORK/file.err"
expect_eq "$?" 0 "capture: sysdig -r exits 0"
check "$WORK/file.out" "$WORK/file.truth" capture "$WORK/file"
finish
