#!/bin/bash
# Event order with several tracer threads (docs/scale.md, "Event order"):
# a tid that dies on one pdig tracer thread is given at once to a new
# thread or process (tid_reuse sets the kernel's next pid), whose creation
# another tracer thread serves. In what the consumer reads (`sysdig -r`),
# each tid's lifetimes must not overlap: its procexit comes before any
# event of the next thread with that tid (its creator's clone exit
# returning the tid, or its own first event), nothing follows a procexit
# but a new lifetime, and each thread's openat and close events pair up
# enter then exit. Several workers handle the two ends of the race, so a
# lock or an order that lets the reuse's events overtake the death fails
# here (as it did once in reliability_hostile).
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

# The next pid is set for the pid namespace the program runs in: one of its
# own, so no other process (another test) gets a tid it asks for, and
# the host's pids are left alone. pdig runs as its pid 2 (not as PID 1,
# which ends differently: ending.c).
unshare -p -f --mount-proc true 2>/dev/null ||
	skip_test "needs a pid namespace of its own (unshare -p): the test sets the next pid"

ROUNDS=300
PAIRS=5

# check NAME MODE: run tid_reuse under pdig --threads 2 and read the
# events back
check() {
	local name=$1 mode=$2
	# (a tracee left stopped by a confused table hangs: bounded)
	timeout -k 5 40 unshare -p -f --mount-proc bash -c '"$0" "$@"; exit $?' \
		"$PDIG" --threads 2 -v -w "$WORK/$name.scap" "$HELPERS/tid_reuse" "$mode" $ROUNDS $PAIRS \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	expect_eq "$?" 0 "$name: exits 0"
	if grep -q '^ns_last_pid: unavailable' "$WORK/$name.out"; then
		skip_part "$name" "/proc/sys/kernel/ns_last_pid cannot be written here: tids are not reused on demand"
		return
	fi
	local reused
	reused=$(awk '/^reused /{print $2}' "$WORK/$name.out")
	# a race by design: the new one gets the tid when the old one was
	# reaped in time, and other processes may take it now and then
	[ "${reused:-0}" -ge $((ROUNDS / 10)) ] && ok "$name: $reused of $ROUNDS rounds reused the tid that was dying" ||
		fail "$name: only ${reused:-0} of $ROUNDS rounds reused the dying tid"
	expect_grep "$WORK/$name.err" '^pdig: tracer thread 1: [1-9][0-9]* stops served, handovers [1-9]' \
		"$name: the second tracer thread took tracees and served their stops"
	sysdig -r "$WORK/$name.scap" -p '*%evt.num %thread.tid %evt.dir %evt.type %evt.rawres' \
		"evt.type in (clone,clone3,fork,vfork,procexit,open,openat,close)" >"$WORK/$name.ev" 2>"$WORK/$name.ev.err"
	expect_eq "$?" 0 "$name: sysdig -r reads the capture"
	# state per tid: 1 alive (events since its last procexit), 2 dead
	awk -v name="$name" '
	function clone(t) { return t == "clone" || t == "clone3" || t == "fork" || t == "vfork" }
	function bad(msg) { nbad++; if (nbad <= 10) print name ": event " $1 ", tid " $2 ": " msg }
	function born(t) { state[t] = 1; child[t] = 0; parent[t] = 0; pend[t] = "" }
	{
		tid = $2; dir = $3; type = $4; res = $5
		if (type == "procexit") {
			if (state[tid] == 2) bad("a second procexit")
			state[tid] = 2; pend[tid] = ""
			next
		}
		if (dir == "<" && clone(type) && res == "0") {
			# the new thread or process itself: a lifetime of tid begins
			if (state[tid] == 1 && (child[tid] || !parent[tid]))
				bad("a new thread with this tid before the old one'"'"'s procexit")
			if (state[tid] != 1) born(tid)
			child[tid] = 1; lives[tid]++
			next
		}
		if (dir == "<" && clone(type) && res + 0 > 0) {
			# its creator learns the tid: it must be free in the events
			if (state[res] == 1 && (parent[res] || !child[res]))
				bad("clone returned " res ", alive in the events (its procexit not yet seen)")
			if (state[res] != 1) born(res)
			parent[res] = 1
		}
		if (state[tid] == 2) bad("an event after its procexit: " dir " " type)
		if (state[tid] != 1) born(tid)
		if (type == "open" || type == "openat" || type == "close") {
			if (dir == ">" && pend[tid] != "") bad("enter " type " while " pend[tid] " has not exited")
			if (dir == "<" && pend[tid] != type) bad("exit " type " without its enter")
			pend[tid] = dir == ">" ? type : ""
		}
	}
	END {
		for (t in lives) n += lives[t]
		print "lifetimes " n
		print "bad " nbad + 0
	}' "$WORK/$name.ev" >"$WORK/$name.check"
	cat "$WORK/$name.check" | grep -v '^lifetimes \|^bad ' | head -10
	expect_eq "$(awk '/^bad /{print $2}' "$WORK/$name.check")" 0 \
		"$name: every tid's events in order, its procexit before its next thread's"
	expect_eq "$(awk '/^lifetimes /{print $2}' "$WORK/$name.check")" "$((ROUNDS + 2))" \
		"$name: every thread made (and the program) is seen born in the events"
}

check threads threads
check procs procs
finish
