#!/bin/bash
# A thread's execve kills its siblings while the main thread makes threads
# (clone3) and processes (fork) as fast as it can (park_kill exec). The
# clone3 escape guard (src/tracer/untraced.c) looks, at the exit stop of a
# thread killed inside its clone3, for fresh untraced children of it: the
# forked children pdig has traced and reaped already are zombies with
# TracerPid 0, and were taken for escapes, and the process, by then the
# new image (/bin/true has the leader's pid), was killed: status 137 in
# 5-8% of runs. The program must end with /bin/true's status, 0, every time.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

RUNS=${PARK_EXEC_RUNS:-48}
bad=0 hangs=0
for i in $(seq "$RUNS"); do
	delay=$((4000 + (i % 5) * 2000))
	start=$SECONDS
	timeout -k 2 20 "$PDIG" --threads 2 -w /dev/null -- "$HELPERS/park_kill" exec "$delay" \
		>/dev/null 2>"$WORK/run.err"
	rc=$?
	if [ $((SECONDS - start)) -ge 20 ]; then
		# a hang (timeout's TERM, or its KILL: 137 too), a bug of its
		# own, open (see test_park_kill.sh): said, not counted here
		hangs=$((hangs + 1))
		echo "KNOWN OPEN: run $i (exec after ${delay} us) hung (status $rc)"
		continue
	fi
	if [ "$rc" != 0 ] || grep -q 'that is not traced' "$WORK/run.err"; then
		bad=$((bad + 1))
		cp "$WORK/run.err" "$WORK/bad-$i.err"
		echo "run $i (exec after ${delay} us): status $rc: $(grep -m1 'pdig:' "$WORK/run.err")"
		# one is enough to fail: spare the rest of the runs
		break
	fi
done
[ "$hangs" -lt 2 ] || fail "$hangs runs hung: more than the rare hang known"
expect_eq "$bad" 0 "park_kill exec ends with status 0 and no escape reported, in $i runs"
finish
