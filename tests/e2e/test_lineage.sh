#!/bin/bash
# A fork child's exec takes its loginuid and cgroups from pdig's cache of
# its parent unless a tracee opened a loginuid or cgroup file for writing
# since. Here a child sets its loginuid, another moves itself to a new
# cgroup, each then execs: the execve exit must carry the new values (what
# the program then reads itself), and a plain child its parent's.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
if [ "$(id -u)" != 0 ]; then
	skip_test "needs root to write a loginuid and move a process between cgroups"
fi
CGROOT=
for d in /sys/fs/cgroup/pids /sys/fs/cgroup; do
	if [ -w "$d/cgroup.procs" ] && mkdir "$d/pdig-lineage-$$" 2>/dev/null; then
		CGROOT=$d
		break
	fi
done
[ -n "$CGROOT" ] || skip_test "no writable cgroup hierarchy here"
CG=$CGROOT/pdig-lineage-$$
trap 'echo $$ > "$CGROOT/cgroup.procs" 2>/dev/null; rmdir "$CG" 2>/dev/null' EXIT
P=$HELPERS/exec_fork
"$PDIG" -w "$WORK/cap.scap" bash -c '
	"$0"
	(echo 4242 > /proc/self/loginuid && exec "$0")
	"$0"
	(echo $BASHPID > "$1/cgroup.procs" && exec "$0")
	"$0"' "$P" "$CG" >"$WORK/truth"
expect_eq "$?" 0 "the script exits 0"
expect_eq "$(grep -c '^prog|' "$WORK/truth")" 5 "five programs ran"
# each program as it saw itself, and as the execve exit says
sysdig -r "$WORK/cap.scap" -p '*%thread.tid|%evt.arg.loginuid|%evt.arg.cgroups' \
	"evt.type=execve and evt.dir=< and evt.rawres=0 and proc.name=exec_fork" >"$WORK/events" 2>"$WORK/events.err"
n=0
while IFS="|" read -r who pid _ _ _ login cg; do
	[ "$who" = prog ] || continue
	n=$((n + 1))
	[ "$login" = 4294967295 ] && login=-1
	line=$(grep "^$pid|" "$WORK/events")
	expect_eq "$(echo "$line" | cut -d'|' -f2)" "$login" "program $n (pid $pid): loginuid $login"
	rel=${CG#/sys/fs/cgroup}
	rel=${rel#/pids}
	if echo "$cg" | grep -q "pdig-lineage-$$"; then
		expect_grep "$WORK/events" "^$pid\|.*=$rel(\.|\$)" "program $n (pid $pid): in the new cgroup"
	else
		expect_no_grep "$WORK/events" "^$pid\|.*pdig-lineage" "program $n (pid $pid): not in the new cgroup"
	fi
done <"$WORK/truth"
expect_eq "$(grep -c 'pdig-lineage' "$WORK/truth")" 1 "only the program that moved itself saw the new cgroup"
finish
