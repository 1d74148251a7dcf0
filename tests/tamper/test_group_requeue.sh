#!/bin/bash
# An operator's SIGTERM to pdig must end the trace even while a tracee's
# group kill of the same signal is in flight on another tracer thread than
# pdig's main one. The guard (src/tracer/guard_group.c) takes pdig's
# copies of the signal back at the call's exit and queues the ones that
# came from outside again; from a tracer thread other than the main one the
# kernel refused that (rt_tgsigqueueinfo with kill's SI_USER: EPERM), and
# the operator's SIGTERM was gone: pdig traced on.
#
# group_loop's child and its thread (both on tracer thread 1 of 2) send
# SIGTERM to their own process group back to back for 3 s, then sleep 20 s;
# the program (their parent) is gone by then, so one SIGTERM that reaches
# pdig ends the trace at once. The group is not pdig's, so the operator's
# SIGTERM is not merged into a tracee's pending copy (that race, with a
# group that has pdig in it, stays open: README), but pdig blocks SIGTERM
# for each call all the same. The test sends pdig one SIGTERM while the
# kills run. On the build before, pdig ran on until the sleep was over.
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/group_loop" "$WORK/"
chmod 755 "$WORK/group_loop"

for round in 1 2 3; do
	name=rq$round
	rm -f "$WORK/$name.pid" "$WORK/$name.stdout"
	# pdig's pid: timeout makes a group of its own, so setsid need not
	# fork, and bash, setsid and setpriv exec: the shell's pid is pdig's
	timeout -k 2 40 bash -c 'echo $$ >"$0"; exec "$@"' "$WORK/$name.pid" \
		setsid -w "${AS_USER[@]}" "$WORK/pdig" --threads 2 -v -o /dev/null "$WORK/group_loop" 15 3 \
		>"$WORK/$name.stdout" 2>"$WORK/$name.stderr" &
	runner=$!
	for i in $(seq 500); do grep -q '^child=' "$WORK/$name.stdout" 2>/dev/null && break; sleep 0.01; done
	pdig=$(cat "$WORK/$name.pid" 2>/dev/null)
	where=$(grep '^child=' "$WORK/$name.stdout")
	sleep 0.3 # the kills run
	start=$(date +%s%N)
	kill -TERM "$pdig"
	wait "$runner"
	rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	case "$where" in
	child=*" pgid="*)
		child=${where#child=}; child=${child%% *}
		[ "$child" != "$pdig" ] && [ "$child" -gt 0 ] &&
			ok "$name: the killer was traced by another tracer thread ($child) than pdig's main one ($pdig)" ||
			fail "$name: the killer was traced by pdig's main thread or none: $where" ;;
	*) fail "$name: the killer's report: '$where' (pdig $pdig)" ;;
	esac
	# only the SIGTERM can end pdig this early: the child lives 23 s. (Not
	# "ended by" on stderr: tracer thread 1 may kill the child first, and
	# worker 0 then has nothing left to announce.)
	[ "$took" -lt 10000 ] && ok "$name: pdig ended ${took} ms after the SIGTERM (the kills ran 3 s; exit $rc)" ||
		fail "$name: pdig ended ${took} ms after the SIGTERM: it was lost"
	grep '^pdig: guard: ' "$WORK/$name.stderr"
done
# at least once the copy went back from tracer thread 1 (as SI_QUEUE)
grep -hq '^pdig: guard: [1-9][0-9]* signals from outside taken back and queued again to pdig, [1-9][0-9]* as SI_QUEUE' \
	"$WORK"/rq*.stderr && ok "the guard queued the outside SIGTERM again from tracer thread 1" ||
	fail "the guard never queued an outside SIGTERM again from tracer thread 1"
finish
