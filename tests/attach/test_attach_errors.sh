#!/bin/bash
# Attach errors: one line on stderr and a non-zero exit, the target left
# alone. And pdig's exit status when the attached process ends by itself.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

# attach_err NAME WANT_RC REGEX PDIG-ARGS...: pdig must fail with WANT_RC
# ("nz" = any non-zero) and exactly one stderr line matching REGEX.
attach_err() {
	local name=$1 want=$2 re=$3; shift 3
	timeout 10 "$@" >"$WORK/o" 2>"$WORK/e"
	local rc=$?
	if [ "$want" = nz ]; then
		[ $rc -ne 0 ] && [ $rc -ne 124 ] && ok "$name: exit $rc" || fail "$name: exit $rc"
	else
		expect_eq "$rc" "$want" "$name: exit status"
	fi
	expect_eq "$(wc -l <"$WORK/e")" 1 "$name: one line on stderr"
	expect_grep "$WORK/e" "$re" "$name: $(head -c 150 "$WORK/e")"
}

D=$WORK/l
start_looper "$D" || { fail "looper"; finish; }

nopid=999999
while kill -0 $nopid 2>/dev/null; do nopid=$((nopid + 1)); done
attach_err "no such process" nz "^pdig: $nopid: no such process" "$PDIG" -p $nopid
attach_err "-p abc" 2 "^pdig: -p: not a process id: abc" "$PDIG" -p abc
attach_err "-P 0" 2 "^pdig: -P: not a process id: 0" "$PDIG" -P 0
attach_err "-S without -p" 2 "^pdig: -S goes with -p or -P" "$PDIG" -S /bin/true
attach_err "a thread id" nz "^pdig: $WTID: is a thread, not a process; use its process id $LPID" "$PDIG" -p "$WTID"
attach_err "an ancestor (the test shell)" nz "^pdig: $$: cannot trace pdig itself or one of its ancestors" "$PDIG" -p $$
attach_err "pdig itself" nz "cannot trace pdig itself" bash -c 'exec "$0" -p $$' "$PDIG"

# another tracer holds it
"$HELPERS/ptrace_hold" "$LPID" >"$WORK/hold" &
HP=$!
if wait_for 5 test -s "$WORK/hold"; then
	attach_err "already traced" nz "^pdig: $LPID: already traced by process $HP$" "$PDIG" -p "$LPID"
	expect_eq "$(status_field "$LPID" TracerPid)" "$HP" "the other tracer keeps it"
else
	fail "ptrace_hold could not attach: $(cat "$WORK/hold")"
fi
kill -KILL "$HP"
wait "$HP" 2>/dev/null
wait_for 5 eval '[ "$(status_field "$LPID" TracerPid)" = 0 ]'

# not permitted: pdig as nobody against a root process
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	cp "$PDIG" "$WORK/pdig" && chmod 755 "$WORK/pdig"
	attach_err "not permitted" nz "^pdig: $LPID: not permitted to trace it" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$WORK/pdig" -p "$LPID"
	# CAP_SYS_PTRACE alone is enough (kill(pid, 0) would say EPERM)
	: >"$WORK/cap.txt" && chmod 666 "$WORK/cap.txt"
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+sys_ptrace --ambient-caps=+sys_ptrace \
		"$WORK/pdig" -p "$LPID" -o "$WORK/cap.txt" 2>"$WORK/cap.err" &
	PP=$!
	wait_for 5 traced_by "$LPID" "$PP" && ok "nobody with CAP_SYS_PTRACE attaches" ||
		fail "nobody with CAP_SYS_PTRACE: $(cat "$WORK/cap.err")"
	wait_for 5 grep -q "< openat" "$WORK/cap.txt"
	kill -INT "$PP"
	wait_exit "$PP" 5
	expect_eq "$WRC" 0 "... and detaches, exit 0"
	expect_grep "$WORK/cap.txt" "looper\($WTID\) < openat fd=[0-9]+\($D/worker.txt\)" "... with events"
else
	skip_part "'not permitted' and CAP_SYS_PTRACE" "need root and setpriv"
fi

expect_eq "$(status_field "$LPID" TracerPid)" 0 "after all that the looper is untraced"
case "$(proc_state "$LPID")" in t|T|Z|"") fail "looper state '$(proc_state "$LPID")'" ;; *) ok "looper not stopped" ;; esac
expect_eq "$(st_u64 "$D" 16)" 0 "no signal reached the looper"

# the attached process exits by itself: pdig exits with its status
"$PDIG" -p "$LPID" -o "$WORK/t.txt" 2>"$WORK/pdig.err" &
PP=$!
wait_for 5 traced_by "$LPID" "$PP" || fail "not attached in 5 s"
looper_quit "$D" 7
wait_exit "$PP" 5
expect_eq "$WRC" 7 "pdig -p exits 7 when the process exits 7"
expect_eq "$(cat "$WORK/pdig.err")" "" "nothing on stderr"

D=$WORK/l2
start_looper "$D" || { fail "looper 2"; finish; }
"$PDIG" -p "$LPID" -o /dev/null 2>"$WORK/pdig.err" &
PP=$!
wait_for 5 traced_by "$LPID" "$PP" || fail "not attached in 5 s"
kill -KILL "$LPID"
wait_exit "$PP" 5
expect_eq "$WRC" 137 "pdig -p exits 128+9 when the process is killed"
finish
