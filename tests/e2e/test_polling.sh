#!/bin/bash
# Polling for stops (src/tracer/waiting.c). When pdig's CPUs exclude the
# tracee's it polls for the next stop before blocking, and those polls
# catch the stops; when it shares the tracee's CPU or could, it does not
# poll, except unprivileged (no idle assist) for a program with one thread;
# when the polls stop catching stops, it pauses them. PDIG_NO_POLL=1 and
# --no-follow-cpu turn polling off. The figures come from pdig -v.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
[ "$(nproc)" -ge 2 ] || skip_test "needs 2 CPUs (polling is about tracer and tracee on different CPUs)"
loop='i=0; while [ $i -lt 3000 ]; do : >/dev/null; i=$((i+1)); done'
# polled HITS POLLS PAUSES EVENTS from a -v report
polled() {
	sed -n 's/^pdig: polling for stops: \([0-9]*\) of \([0-9]*\) polls.* paused \([0-9]*\) times$/\1 \2 \3/p' "$1"
	sed -n 's/^pdig: text: events written \([0-9]*\),.*/\1/p' "$1"
}

# pdig on CPU 0, the program on CPU 1: every stop crosses CPUs
taskset -c 0 "$PDIG" -v -o /dev/null taskset -c 1 /bin/sh -c "$loop" 2>"$WORK/split.err"
expect_eq "$?" 0 "split: the traced loop finishes"
read -r hits polls pauses events < <(polled "$WORK/split.err" | tr '\n' ' ')
echo "split: hits=$hits polls=$polls pauses=$pauses events=$events"
[ "${polls:-0}" -ge 3000 ] && ok "split: pdig polls ($polls polls for $events events)" ||
	fail "split: pdig should poll for most of the 6000+ stops, polled ${polls:-0}"
[ $(( ${hits:-0} * 2 )) -ge "${polls:-1}" ] && ok "split: most polls catch a stop ($hits of $polls)" ||
	fail "split: fewer than half the polls caught a stop ($hits of $polls)"

# both on CPU 0, or both free: polling would only keep the tracee off
# pdig's CPU; pdig never polls
taskset -c 0 "$PDIG" -v -o /dev/null /bin/sh -c "$loop" 2>"$WORK/pinned.err"
expect_eq "$?" 0 "pinned: the traced loop finishes"
expect_no_grep "$WORK/pinned.err" "polling for stops" "pinned together: no polling"
"$PDIG" -v -o /dev/null /bin/sh -c "$loop" 2>"$WORK/free.err"
expect_no_grep "$WORK/free.err" "polling for stops" "unpinned: no polling"

# unprivileged (RLIMIT_NICE 0: no idle assist), unpinned: one thread is
# polled for, a program that keeps starting children is not
if [ "$(id -u)" = 0 ]; then
	unpriv=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all -- prlimit --nice=0)
	"${unpriv[@]}" "$PDIG" -v -o /dev/null /bin/sh -c "$loop" 2>"$WORK/unpriv.err"
	read -r hits polls pauses events < <(polled "$WORK/unpriv.err" | tr '\n' ' ')
	echo "unprivileged: hits=$hits polls=$polls pauses=$pauses events=$events"
	preempted=$(sed -n 's/.* \([0-9]*\) preemptions, .*/\1/p' "$WORK/unpriv.err")
	if [ "${polls:-0}" -ge 3000 ]; then
		ok "unprivileged, one thread: pdig polls ($polls polls)"
	elif [ "${pauses:-0}" -ge 1 ] && [ $(( ${preempted:-0} * 4 )) -gt "${polls:-0}" ]; then
		# another load shares the CPUs (a busy CI host): pdig polled, was
		# preempted, and backed off, as it should
		ok "unprivileged, one thread: pdig polled and backed off, its CPU busy ($polls polls, $preempted preemptions)"
	else
		fail "unprivileged, one thread: pdig should poll, polled ${polls:-0} (${preempted:-0} preemptions, ${pauses:-0} pauses)"
	fi
	"${unpriv[@]}" "$PDIG" -v -o /dev/null /bin/sh -c 'i=0; while [ $i -lt 100 ]; do /bin/true; i=$((i+1)); done' \
		2>"$WORK/unpriv_kids.err"
	read -r hits polls pauses events < <(polled "$WORK/unpriv_kids.err" | tr '\n' ' ')
	echo "unprivileged, children: hits=$hits polls=$polls pauses=$pauses events=$events"
	[ $(( ${polls:-0} * 10 )) -lt "${events:-1}" ] && ok "unprivileged, children: few polls (${polls:-0})" ||
		fail "unprivileged, children: ${polls:-0} polls for ${events:-0} events"
else
	skip_part "unprivileged cases" "need root (they switch to uid 65534)"
fi

# apart, but the program computes 200 us between syscalls (and with no
# consumer pdig stops only at entries): polls miss, and pdig pauses them
taskset -c 0 "$PDIG" -v taskset -c 1 "$HELPERS/slow_syscalls" 2000 2>"$WORK/slow.err"
expect_eq "$?" 0 "slow: the program finishes"
read -r hits polls pauses events < <(polled "$WORK/slow.err" | tr '\n' ' ')
echo "slow: hits=$hits polls=$polls pauses=$pauses"
[ "${pauses:-0}" -ge 1 ] && ok "slow: polling paused $pauses times" || fail "slow: polling never paused"
[ "${polls:-0}" -lt 1000 ] && ok "slow: $polls polls for 2000 syscalls" ||
	fail "slow: polling kept missing ($hits of $polls polls caught a stop)"

# turned off: no polls at all
PDIG_NO_POLL=1 taskset -c 0 "$PDIG" -v -o /dev/null taskset -c 1 /bin/sh -c "$loop" 2>"$WORK/off.err"
expect_no_grep "$WORK/off.err" "polling for stops" "PDIG_NO_POLL=1: no polling"
taskset -c 0 "$PDIG" --no-follow-cpu -v -o /dev/null taskset -c 1 /bin/sh -c "$loop" 2>"$WORK/nofollow.err"
expect_no_grep "$WORK/nofollow.err" "polling for stops" "--no-follow-cpu: no polling"
expect_grep "$WORK/nofollow.err" "events written" "--no-follow-cpu: the run is reported"
finish
