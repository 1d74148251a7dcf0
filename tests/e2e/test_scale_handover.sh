#!/bin/bash
# Several tracer threads (issue 20, docs/scale.md): threads and processes
# made at once by one thread land on its tracer thread and are handed over
# at their first stop. No stop may be lost and no syscall go untraced: each
# one's exact count of openat and close events (enter and exit) is read
# back with the real `sysdig -r`, and each says which pdig thread traces it
# (TracerPid). Signals sent to a new thread or process while it is handed
# over all arrive, and its creator's ptrace on it is refused.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

ITERS=300

# check NAME THREADS WANT_TRACERS MODE N [ARGS...]: run scale_spread under
# pdig --threads THREADS, check the counts and the distinct TracerPids
check() {
	local name=$1 threads=$2 want=$3; shift 3
	"$PDIG" --threads "$threads" -v -w "$WORK/$name.scap" "$HELPERS/scale_spread" "$@" \
		>"$WORK/$name.out" 2>"$WORK/$name.err"
	expect_eq "$?" 0 "$name: exits 0"
	local n=$2
	expect_eq "$(grep -c '^tid ' "$WORK/$name.out")" "$n" "$name: every tracee reported"
	expect_no_grep "$WORK/$name.out" ' tracer 0 ' "$name: every tracee traced to its end"
	expect_eq "$(awk '/^tid /{print $4}' "$WORK/$name.out" | sort -u | wc -l)" "$want" \
		"$name: served by $want tracer threads (TracerPid)"
	sysdig -r "$WORK/$name.scap" -p '%thread.tid %evt.dir %evt.type' "evt.type in (open,openat,close)" \
		>"$WORK/$name.ev" 2>"$WORK/$name.ev.err"
	local bad=0 tid dir type
	for tid in $(awk '/^tid /{print $2}' "$WORK/$name.out"); do
		for dir in '>' '<'; do
			for type in '(open|openat)' close; do
				# the loop's pairs and the read of /proc/thread-self/status
				local got
				# (musl's open() is open, glibc's openat)
				got=$(grep -cE "^$tid $dir $type\$" "$WORK/$name.ev")
				[ "$got" = $((ITERS + 1)) ] || { bad=$((bad + 1)); echo "$name: tid $tid: $got '$dir $type', want $((ITERS + 1))"; }
			done
		done
	done
	expect_eq "$bad" 0 "$name: every openat and close of every tracee recorded, enter and exit"
	expect_grep "$WORK/$name.err" "^pdig: $threads tracer threads served [0-9]+ stops" "$name: -v counts the stops of each tracer thread"
}

check threads2 2 2 threads 4 $ITERS
expect_grep "$WORK/threads2.err" '^pdig: tracer thread 1: [1-9][0-9]* stops served, handovers [1-9]' \
	"threads2: tracer thread 1 took tracees by handover and served their stops"
# more tracer threads than tracees: each new thread gets one of its own
check many 8 3 threads 3 $ITERS
check procs 2 2 procs 6 $ITERS
# signals sent while the new ones are handed over: 5 from the creator, 5
# from themselves, each to its handler
check sigthreads 3 3 threads 6 $ITERS signals 5
expect_eq "$(awk '/^tid / && $6 != 10' "$WORK/sigthreads.out" | wc -l)" 0 "sigthreads: every signal reached its thread"
check sigprocs 2 2 procs 4 $ITERS signals 5
expect_eq "$(awk '/^tid / && $6 != 10' "$WORK/sigprocs.out" | wc -l)" 0 "sigprocs: every signal reached its process"
check ptrace 2 2 procs 4 $ITERS ptrace
expect_grep "$WORK/ptrace.out" '^ptrace refused 4 of 4$' "ptrace: the creator may not seize its new processes"
# the control: one tracer thread serves all
"$PDIG" --threads 1 "$HELPERS/scale_spread" threads 4 10 >"$WORK/one.out" 2>&1
expect_eq "$(awk '/^tid /{print $4}' "$WORK/one.out" | sort -u | wc -l)" 1 "--threads 1: one tracer thread"
finish
