#!/bin/bash
# pdig -p on a process whose non-leader thread execs in a loop
# (progs/exec_loop.c): the exec holds the process's cred_guard_mutex, which
# every PTRACE_SEIZE of its threads takes, while it waits for its killed
# siblings to be reaped, some of them by pdig (docs/scale.md "A seize waits
# for an exec"). Each round attaches to a fresh process, traces it a moment
# and detaches with SIGINT: pdig must attach (never "not permitted" for a
# thread that was dying), detach in time (a hang is the failure this is
# about) with status 0, and leave the process running, not stopped.
# Before the fix: about 1 round in 30 hung, 1 in 3 said "not permitted".
# ROUNDS=N to run more or fewer rounds.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

[ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)" = 0 ] ||
	skip_test "needs root or kernel.yama.ptrace_scope 0 (pdig attaches to a sibling process)"

ROUNDS=${ROUNDS:-40}
proc_state() { awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null; }

hangs=0 refused=0 bad_rc=0 stopped=0 gone=0 early=0
for round in $(seq "$ROUNDS"); do
	"$HELPERS/exec_loop" -1 500 &
	TP=$!
	# attach at a different moment of the exec loop each round
	sleep "0.0$((RANDOM % 5))$((RANDOM % 10))"
	"$PDIG" -p "$TP" -o /dev/null 2>"$WORK/err.$round" &
	PP=$!
	sleep 0.$((2 + RANDOM % 3))
	was_early=false
	if ! kill -0 "$PP" 2>/dev/null; then
		was_early=true
		early=$((early + 1))
		echo "round $round: pdig ended before the SIGINT: $(cat "$WORK/err.$round")"
	fi
	kill -INT "$PP" 2>/dev/null
	# pdig must be gone within 10 s of the SIGINT
	for _ in $(seq 500); do
		kill -0 "$PP" 2>/dev/null || break
		sleep 0.02
	done
	if kill -0 "$PP" 2>/dev/null; then
		hangs=$((hangs + 1))
		echo "round $round: pdig still runs 10 s after SIGINT (hung); its threads:"
		for t in /proc/$PP/task/*; do
			echo "  ${t##*/} $(cat "$t/wchan" 2>/dev/null) $(awk '/^State/{print $2}' "$t/status" 2>/dev/null)"
		done
		kill -KILL "$PP"
	fi
	wait "$PP"
	rc=$?
	if grep -q "not permitted" "$WORK/err.$round"; then
		refused=$((refused + 1))
		echo "round $round: $(cat "$WORK/err.$round")"
	elif [ "$rc" != 0 ] && [ "$rc" != 137 ] && ! $was_early; then
		bad_rc=$((bad_rc + 1))
		echo "round $round: pdig exited $rc: $(cat "$WORK/err.$round")"
	fi
	# let go of, the process goes on (a few looks: an exec may be under way)
	# (while an exec replaces the leader, /proc/PID/stat says Z or cannot
	# be read for a moment)
	st=
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		st=$(proc_state "$TP")
		case "$st" in t | T | Z | "") sleep 0.05 ;; *) break ;; esac
	done
	if ! kill -0 "$TP" 2>/dev/null || [ "$st" = Z ]; then
		gone=$((gone + 1))
		echo "round $round: the process is gone after the detach (state '$st')"
	elif [ "$st" = t ] || [ "$st" = T ]; then
		stopped=$((stopped + 1))
		echo "round $round: the process is left stopped ($st)"
	fi
	kill -KILL "$TP" 2>/dev/null
	wait "$TP" 2>/dev/null
done

expect_eq "$hangs" 0 "pdig never hung ($ROUNDS rounds)"
expect_eq "$refused" 0 "no 'not permitted' for a dying thread"
expect_eq "$bad_rc" 0 "every detach exits 0 (when pdig still traced at the SIGINT)"
expect_eq "$stopped" 0 "no process left stopped"
expect_eq "$gone" 0 "no process lost"
# Open: a leader seized before a sibling's exec replaced it stays in the
# table (the kernel releases it with no report), so the new image at its
# pid is never seized; if every traced thread then dies, pdig ends (status
# 1, no message) with the process untraced: 1 round in 30 here.
[ "$early" = 0 ] || echo "note (open): $early rounds where pdig ended before the SIGINT"
finish
