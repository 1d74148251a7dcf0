#!/bin/bash
# PID namespaces, as the kernel driver reports them: vtid/vpid are the
# thread's ids in its own (innermost) namespace, a clone's result in the
# parent is the child's id in the parent's namespace, and the clone exit's
# flags carry CHILD_IN_PIDNS (1<<29) for a thread in a namespace below
# pdig's or whose children go to one (after unshare(CLONE_NEWPID) or
# setns). Spawned and attached (-P) trees agree. Truth: what the programs
# print of fork()'s result and getpid(); read by the real `sysdig -u`.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

FMT='*%evt.type|%evt.rawres|%thread.tid|%thread.vtid|%proc.pid|%proc.vpid|%proc.name|%evt.args'
CLONES='evt.dir=< and evt.type in (clone,clone3,fork,vfork,execve)'
TREE=$HELPERS/pidns_tree

# in_pidns LINE: the CHILD_IN_PIDNS bit of the line's flags (1 or 0)
in_pidns() {
	local f
	f=$(grep -o ' flags=[0-9]*' <<<"$1" | head -1 | cut -d= -f2)
	[ -n "$f" ] && echo $(((f >> 29) & 1)) || echo none
}
# line FILE REGEX: the first line matching
line() { grep -Em1 -- "$2" "$1"; }
# expect_flag FILE REGEX WANT DESCRIPTION
expect_flag() {
	local l
	l=$(line "$1" "$2")
	if [ -z "$l" ]; then fail "$4 (no line matches /$2/ in $1)"; return; fi
	expect_eq "$(in_pidns "$l")" "$3" "$4"
}

# check_tree EVENTS TRUTH WHAT: a tree made by unshare + fork + fork + exec
check_tree() {
	local ev=$1 truth=$2 what=$3 I G S
	I=$(grep '^init|' "$truth" | cut -d'|' -f2)
	G=$(grep '^grand|' "$truth" | cut -d'|' -f2)
	S=$(grep '^self|' "$truth" | cut -d'|' -f2)
	expect_eq "$(grep '^grand|' "$truth" | cut -d'|' -f3)" 1 "$what: the init is pid 1 of its namespace"
	[ -n "$I" ] && [ -n "$G" ] && [ -n "$S" ] || { fail "$what: truth incomplete: $(tr '\n' ' ' <"$truth")"; return; }
	expect_eq "$G" "$S" "$what: the init's fork returned the grandchild's own pid"
	# the unsharing parent: the child's host id, and the flag (its children go elsewhere)
	expect_grep "$ev" "^(clone|clone3|fork)\|$I\|" "$what: the parent's clone result is the init's id in the parent's namespace ($I)"
	expect_flag "$ev" "^(clone|clone3|fork)\|$I\|" 1 "$what: the unsharing parent's clone exit has CHILD_IN_PIDNS"
	expect_no_grep "$ev" "^[a-z0-9]+\|[-0-9]+\|$I\|$I\|" "$what: the init never reports its host id as vtid"
	expect_grep "$ev" "^(clone|clone3|fork)\|0\|$I\|1\|$I\|1\|" "$what: the init's own clone exit has vtid 1, vpid 1"
	expect_flag "$ev" "^(clone|clone3|fork)\|0\|$I\|1\|" 1 "$what: the init's own clone exit has CHILD_IN_PIDNS"
	expect_grep "$ev" "^(clone|clone3|fork)\|$G\|$I\|1\|$I\|1\|" "$what: the init's clone result is the namespace pid $G, as fork() returned"
	expect_flag "$ev" "^(clone|clone3|fork)\|$G\|$I\|1\|" 1 "$what: the init's clone exit has CHILD_IN_PIDNS"
	expect_grep "$ev" "^(clone|clone3|fork)\|0\|[0-9]+\|$S\|[0-9]+\|$S\|" "$what: the grandchild's clone exit has vtid = vpid = $S"
	expect_flag "$ev" "^(clone|clone3|fork)\|0\|[0-9]+\|$S\|[0-9]+\|$S\|" 1 "$what: the grandchild's clone exit has CHILD_IN_PIDNS"
	expect_grep "$ev" "^execve\|0\|[0-9]+\|$S\|[0-9]+\|$S\|true\|" "$what: the grandchild's execve exit has vtid = vpid = $S"
}

# 1. unshare(1): the shell is pid 1 of the new namespace; Falco's proc.vpid=1
E=$WORK/unshare
consume_run "$E" "$FMT" "$CLONES" -- \
	"$PDIG" unshare -fp --mount-proc sh -c 'echo $$; readlink /proc/self; ls /proc/self >/dev/null' >"$E.out"
expect_eq "$PRC" 0 "pdig unshare -fp exits 0"
expect_eq "$(tr '\n' ' ' <"$E.out")" "1 2 " "the shell sees itself as pid 1, readlink as pid 2"
expect_grep "$E" "^execve\|0\|[0-9]+\|1\|[0-9]+\|1\|sh\|" "sh's execve exit has vtid 1, vpid 1"
expect_grep "$E" "^execve\|0\|[0-9]+\|2\|[0-9]+\|2\|readlink\|" "readlink's execve exit has vtid 2, vpid 2"
expect_grep "$E" "^execve\|0\|[0-9]+\|3\|[0-9]+\|3\|ls\|" "ls's execve exit has vtid 3, vpid 3"
expect_grep "$E" "^(clone|clone3|fork|vfork)\|2\|[0-9]+\|1\|[0-9]+\|1\|sh\|" "sh's clone result is the namespace pid 2"
expect_flag "$E" "^(clone|clone3|fork|vfork)\|2\|[0-9]+\|1\|[0-9]+\|1\|sh\|" 1 "sh's clone exit has CHILD_IN_PIDNS"
expect_flag "$E" "^clone\|0\|[0-9]+\|[0-9]+\|[0-9]+\|[0-9]+\|pdig\|" 0 "the spawned program, in pdig's namespace, has no CHILD_IN_PIDNS"
E=$WORK/vpid1
consume_run "$E" '%proc.name|%proc.vpid|%thread.vtid' "evt.type=execve and evt.dir=< and evt.failed=false and proc.vpid=1" -- \
	"$PDIG" unshare -fp --mount-proc sh -c 'exec true'
expect_grep "$E" '^sh\|1\|1$' "a filter on proc.vpid=1 finds the namespace's init (sh)"
expect_grep "$E" '^true\|1\|1$' "... and what it exec'd (true)"
expect_no_grep "$E" '^unshare\|' "... and not the unshare outside it (its execve)"

# 2. unshare(CLONE_NEWPID), fork an init, which forks and execs: spawned
E=$WORK/tree
consume_run "$E" "$FMT" "$CLONES" -- "$PDIG" "$TREE" >"$E.truth"
expect_eq "$PRC" 0 "pidns_tree exits 0"
check_tree "$E" "$E.truth" "spawned"

# 3. setns(CLONE_NEWPID): the caller stays where it is, its child lands in
# the namespace (pid 2: a helper's child is its init)
E=$WORK/setns
consume_run "$E" "$FMT" "$CLONES" -- "$PDIG" "$TREE" setns >"$E.truth"
expect_eq "$PRC" 0 "pidns_tree setns exits 0"
C=$(grep '^setns|' "$E.truth" | cut -d'|' -f2)
S=$(grep '^self|' "$E.truth" | cut -d'|' -f2)
expect_eq "$S" 2 "setns: the child is pid 2 of the joined namespace"
if [ -n "$C" ]; then
	expect_grep "$E" "^(clone|clone3|fork)\|$C\|" "setns: the caller's clone result is the child's id in the caller's namespace ($C)"
	expect_flag "$E" "^(clone|clone3|fork)\|$C\|" 1 "setns: the caller's clone exit has CHILD_IN_PIDNS"
	expect_grep "$E" "^(clone|clone3|fork)\|0\|$C\|2\|$C\|2\|" "setns: the child's clone exit has vtid 2, vpid 2"
	expect_grep "$E" "^execve\|0\|$C\|2\|$C\|2\|true\|" "setns: the child's execve exit has vtid 2, vpid 2"
else
	fail "setns: no truth: $(tr '\n' ' ' <"$E.truth")"
fi

# 4. -P: attached before the unshare, and after it (the init exists already)
traced_by() { grep -q "^TracerPid:[[:space:]]*$2\$" "/proc/$1/status" 2>/dev/null; }
# attach_tree MODE TRUTH: run the tree waiting on a fifo, attach, release it
attach_tree() {
	local mode=$1 truth=$2 fifo=$WORK/fifo.$1 tp pp i
	mkfifo "$fifo"
	"$TREE" "$mode" <"$fifo" >"$truth" &
	tp=$!
	exec 7>"$fifo"
	if [ "$mode" = wait-init ]; then
		for i in $(seq 500); do grep -q '^init|' "$truth" && break; sleep 0.01; done
	fi
	"$PDIG" -P "$tp" 2>"$truth.err" &
	pp=$!
	for i in $(seq 500); do traced_by "$tp" "$pp" && break; sleep 0.01; done
	traced_by "$tp" "$pp" || fail "-P $mode: not attached in 5 s"
	sleep 0.2 # the init's stop too
	echo go >&7
	exec 7>&-
	wait "$tp"
	local trc=$?
	wait "$pp"
	return $trc
}
for mode in wait wait-init; do
	E=$WORK/attach-$mode
	consume_run "$E" "$FMT" "$CLONES" -- attach_tree "$mode" "$E.truth"
	expect_eq "$PRC" 0 "-P ($mode): pidns_tree exits 0"
	if [ "$mode" = wait ]; then
		check_tree "$E" "$E.truth" "-P before the unshare"
		continue
	fi
	# the init's clone and what follows it
	I=$(grep '^init|' "$E.truth" | cut -d'|' -f2)
	G=$(grep '^grand|' "$E.truth" | cut -d'|' -f2)
	# sysdig met the init first at this event: its thread.vtid is not
	# known to it, the event's own vtid/vpid are
	expect_grep "$E" "^(clone|clone3|fork)\|$G\|$I\|.* vtid=1 vpid=1 ?$" "-P after the unshare: the init's clone result is $G, with vtid 1, vpid 1"
	expect_flag "$E" "^(clone|clone3|fork)\|$G\|$I\|" 1 "-P after the unshare: the init's clone exit has CHILD_IN_PIDNS"
	expect_grep "$E" "^(clone|clone3|fork)\|0\|[0-9]+\|$G\|[0-9]+\|$G\|" "-P after the unshare: the grandchild's clone exit has vtid = vpid = $G"
	expect_grep "$E" "^execve\|0\|[0-9]+\|$G\|[0-9]+\|$G\|true\|" "-P after the unshare: the grandchild's execve exit has vtid = vpid = $G"
done

# 5. bubblewrap's sandbox, when installed: the same ids another way
if command -v bwrap >/dev/null; then
	E=$WORK/bwrap
	consume_run "$E" "$FMT" "$CLONES" -- "$PDIG" bwrap --unshare-pid --dev-bind / / --proc /proc sh -c 'echo $$' >"$E.out"
	expect_eq "$PRC" 0 "pdig bwrap exits 0"
	V=$(cat "$E.out")
	expect_grep "$E" "^execve\|0\|[0-9]+\|$V\|[0-9]+\|$V\|sh\|" "bwrap: sh's execve exit has vtid = vpid = $V (its \$\$)"
else
	skip_part "bubblewrap" "bwrap is not installed"
fi
finish
