#!/bin/bash
# Signals reach the tracee unchanged, job control does not hang, kill(1) to
# pdig is forwarded, exec from a non-leader thread is followed.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

out=$(timeout 20 "$PDIG" "$HELPERS/sig_self" 2>/dev/null)
expect_eq "$out" "usr1=1 code_user=1 usr2=1 child=7" "handled signals arrive once, unchanged"

# The shell stops itself (SIGSTOP, then SIGTSTP); we continue it from outside.
for sig in STOP TSTP; do
	timeout 20 "$PDIG" /bin/sh -c "echo \$\$ > $WORK/pid.$sig; kill -$sig \$\$; echo resumed-$sig" >"$WORK/job.$sig" 2>&1 &
	p=$!
	state=""
	for i in $(seq 200); do
		[ -s "$WORK/pid.$sig" ] && state=$(awk '{print $3}' "/proc/$(cat "$WORK/pid.$sig")/stat" 2>/dev/null)
		case "$state" in T|t) break ;; esac
		sleep 0.02
	done
	case "$state" in T|t) ok "SIG$sig: the tracee is stopped ($state)" ;; *) fail "SIG$sig: tracee not stopped (state '$state')" ;; esac
	sleep 0.2
	grep -q resumed "$WORK/job.$sig" && fail "SIG$sig: tracee ran on while stopped" || ok "SIG$sig: tracee stays stopped"
	kill -CONT "$(cat "$WORK/pid.$sig")"
	wait $p
	expect_eq "$?" 0 "SIG$sig: pdig exits 0 after SIGCONT (no hang)"
	expect_grep "$WORK/job.$sig" "^resumed-$sig$" "SIG$sig: tracee resumed"
done

# kill -TERM to pdig reaches the tracee; exit status is the tracee's.
timeout 20 "$PDIG" /bin/sleep 30 &
p=$!
sleep 0.3
kill -TERM $p
wait $p
expect_eq "$?" 143 "SIGTERM to pdig is forwarded (sleep dies of SIGTERM)"

# exec from a non-leader thread
F='*%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'
consume_run "$WORK/out" "$F" -- timeout 20 "$PDIG" "$HELPERS/thread_exec" /bin/echo done >"$WORK/stdout"
expect_eq "$PRC" 0 "exec from a thread: exit status 0"
pid=$(awk '/^pid/ {print $2}' "$WORK/stdout")
expect_grep "$WORK/stdout" '^done$' "exec from a thread: new program ran"
expect_grep "$WORK/out" "^echo\|$pid\|$pid\|<\|execve\|SUCCESS\|" "execve exit names echo under the process's pid"
# the driver's order: one enter, on the calling thread's tid, and the exit
# on the leader's (the kernel gives the thread that tid); pdig once added a
# second enter on the leader's tid
expect_grep "$WORK/out" "\|$pid\|[0-9]*\|>\|execve\|.*\|filename=/bin/echo" "the enter keeps the filename"
enters=$(grep -c "|>|execve|.*|filename=/bin/echo" "$WORK/out")
expect_eq "$enters" 1 "exec from a thread: one execve enter"
grep -q "^[^|]*|$pid|$pid|>|execve|.*|filename=/bin/echo" "$WORK/out" &&
	fail "exec from a thread: an execve enter on the leader's tid" ||
	ok "exec from a thread: the enter is the calling thread's, not the leader's"
expect_grep "$WORK/out" "^echo\|$pid\|$pid\|>\|procexit\|" "procexit of the process"

# NO_NEW_PRIVS only when pdig lacks CAP_SYS_ADMIN
if [ "$(id -u)" = 0 ]; then
	nnp=$("$PDIG" /bin/grep NoNewPrivs /proc/self/status 2>/dev/null | awk '{print $2}')
	expect_eq "$nnp" 0 "as root (CAP_SYS_ADMIN): no_new_privs is not set"
	nnp=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$PDIG" /bin/grep NoNewPrivs /proc/self/status 2>/dev/null | awk '{print $2}')
	expect_eq "$nnp" 1 "unprivileged: no_new_privs is set"
else
	skip_part "no_new_privs checks" "need root (CAP_SYS_ADMIN, then uid 65534)"
fi
finish
