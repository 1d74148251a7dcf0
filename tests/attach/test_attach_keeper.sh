#!/bin/bash
# -S lets go: the filter cannot be removed, so when pdig ends (SIGINT,
# SIGTERM, SIGHUP, or its front process killed outright) its tracer stays
# as pdig-keeper, and the process keeps working. A hammer makes openat +
# close in a tight loop in 3 threads and counts every ENOSYS: none may
# appear, before, during or after pdig ends, which must take under 1 s and
# exit 0. The keeper holds no file of pdig's session, ignores the
# terminal's signals, follows forks and execs, and exits with the process.
# Killed with SIGKILL, it leaves the process's traced syscalls failing
# with ENOSYS, as the README says.
. "$(dirname "$0")/attach_lib.sh"
e2e_isolate "$@"

# keeper_of PID: the tracer of PID, if it is a pdig-keeper
keeper_of() {
	local k; k=$(status_field "$1" TracerPid)
	[ "${k:-0}" != 0 ] && [ "$(cat "/proc/$k/comm" 2>/dev/null)" = pdig-keeper ] && echo "$k"
}

# let_go SIG DIR [fork]: attach with -S to a fresh hammer, send SIG to pdig.
# Sets HP, PP, KP (the keeper), WRC, MS (ms from the signal to pdig's exit).
let_go() {
	local sig=$1 d=$2; shift 2
	start_hammer "$d" 3 "$@" || { fail "hammer ($sig)"; return 1; }
	"$PDIG" -S -p "$HP" -o "$d/text" 2>"$d/err" &
	PP=$!
	wait_for 5 eval '[ "$(status_field "$HP" Seccomp)" = 2 ]' || fail "$sig: no filter in 5 s"
	local c0; c0=$(h_calls "$d")
	wait_for 5 eval '[ $(h_calls "$d") -ge $((c0 + 1000)) ]'
	local t0; t0=$(date +%s%N)
	kill "-$sig" "$PP"
	wait_exit "$PP" 5
	MS=$((($(date +%s%N) - t0) / 1000000))
	# the front exits once the tracer sent its status; the tracer's
	# re-exec as pdig-keeper may finish a moment later (slow under ASan)
	wait_for 2 eval '[ -n "$(keeper_of "$HP")" ]'
	KP=$(keeper_of "$HP")
}

# the state of the hammer after pdig: working, traced by the keeper
check_kept() {
	local sig=$1 d=$2
	expect_eq "$WRC" 0 "$sig: pdig exits 0"
	[ "$MS" -lt 1000 ] && ok "$sig: pdig exits within 1 s ($MS ms)" || fail "$sig: pdig took $MS ms"
	[ -n "$KP" ] && ok "$sig: a pdig-keeper ($KP) traces the hammer" ||
		fail "$sig: no keeper (tracer '$(status_field "$HP" TracerPid)')"
	expect_grep "$d/err" "keeps pdig's seccomp filter.*pdig-keeper" "$sig: pdig says who keeps the process"
	expect_grep "$d/text" "hammer\([0-9]+\) < openat fd=[0-9]" "$sig: the events until then are written"
	advances h_calls "$d" && ok "$sig: the hammer keeps running" || fail "$sig: hammer stuck"
	sleep 0.5
	advances h_calls "$d" && ok "$sig: ... and still after 0.5 s" || fail "$sig: hammer stuck later"
	expect_eq "$(h_enosys "$d")/$(h_failed "$d")" 0/0 "$sig: not one openat/close failed (ENOSYS/other), of $(h_calls "$d")"
}

# --- SIGINT, with forks and execs going on
D=$WORK/int
let_go INT "$D" fork
check_kept INT "$D"
p0=$(h_probes_ok "$D")
wait_for 5 eval '[ $(h_probes_ok "$D") -ge $((p0 + 5)) ]' &&
	ok "INT: forked children exec and open files under the keeper" || fail "INT: probes stuck at $p0"
expect_eq "$(h_probes_bad "$D")" 0 "INT: no probe failed"
if [ -n "$KP" ]; then
	case "$(ls -l "/proc/$KP/fd" | awk 'NR > 1 {print $NF}' | sort -u | tr '\n' ' ')" in
	"/dev/null ") ok "the keeper holds nothing but /dev/null" ;;
	*) fail "the keeper holds $(ls -l "/proc/$KP/fd")" ;;
	esac
	[ "$(awk '{ sub(/.*\) /, ""); print $4 }' "/proc/$KP/stat")" != "$(awk '{ sub(/.*\) /, ""); print $4 }' /proc/$$/stat)" ] &&
		ok "the keeper is in a session of its own" || fail "the keeper shares the test's session"
	kill -INT "$KP"; kill -HUP "$KP"; kill -TERM "$KP"; kill -QUIT "$KP"
	sleep 0.2
	[ "$(keeper_of "$HP")" = "$KP" ] && ok "the keeper ignores INT, HUP, TERM and QUIT" || fail "the keeper went away"
	expect_eq "$(h_enosys "$D")" 0 "INT: still no ENOSYS"
fi
h_quit "$D" 7
wait_exit "$HP" 5
expect_eq "$WRC" 7 "the hammer exits on its own (7)"
[ -n "$KP" ] && { wait_for 3 gone "$KP" && ok "the keeper exits with the process" || fail "the keeper outlived the process"; }

# --- SIGTERM and SIGHUP behave the same
for sig in TERM HUP; do
	D=$WORK/$sig
	let_go "$sig" "$D"
	check_kept "$sig" "$D"
	kill -KILL "$HP"; wait "$HP" 2>/dev/null
	[ -n "$KP" ] && { wait_for 3 gone "$KP" || fail "$sig: keeper outlived the process"; }
done

# --- pdig's front killed outright: its tracer still lets go properly
D=$WORK/kill
start_hammer "$D" 3 || fail "hammer (kill)"
"$PDIG" -S -p "$HP" -o "$D/text" 2>"$D/err" &
PP=$!
wait_for 5 eval '[ "$(status_field "$HP" Seccomp)" = 2 ]' || fail "KILL: no filter in 5 s"
kill -KILL "$PP"
wait "$PP" 2>/dev/null
wait_for 2 eval '[ -n "$(keeper_of "$HP")" ]' && ok "KILL: a keeper takes over" || fail "KILL: no keeper"
sleep 0.3
expect_eq "$(h_enosys "$D")/$(h_failed "$D")" 0/0 "KILL: not one call failed"
# --- the keeper killed outright: the documented breakage
KP=$(keeper_of "$HP")
if [ -n "$KP" ]; then
	kill -KILL "$KP"
	wait_for 2 eval '[ "$(h_enosys "$D")" -gt 0 ]' &&
		ok "a keeper killed with SIGKILL leaves the traced syscalls failing with ENOSYS (documented)" ||
		fail "no ENOSYS after the keeper was killed"
fi
kill -KILL "$HP"; wait "$HP" 2>/dev/null
finish
