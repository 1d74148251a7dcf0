#!/bin/bash
# The park (docs/scale.md): a new process handed to another tracer thread
# must not run one instruction untraced on its way. park_rip's sibling
# thread keeps rewriting the `syscall` the child returns from (and that the
# park's clone and its helper's exit run from) between `syscall` and two
# nops; every child checks with a raw openat that it is traced. Before the
# park became a vfork-style clone the child slept in pause() with no tracer
# and its restart fetched those bytes again: 12-38 of 300 children ran
# their own code untraced. Also with each child stopped and continued at
# once by its parent (SIGSTOP/SIGCONT), which restarted that pause too.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

# run NAME ARGS...: park_rip under pdig --threads 3 -v (three: the toggler
# gets a tracer thread of its own and every child still moves, as the
# least busy rule moves one only where that makes things more even)
run() {
	local name=$1; shift
	timeout -k 2 90 "$PDIG" --threads 3 -v -o /dev/null "$HELPERS/park_rip" "$@" \
		>"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
	expect_eq "$?" 0 "$name: pdig and the program end normally"
	cat "$WORK/$name.stdout"
	grep -E '^pdig: (parks|tracer thread)' "$WORK/$name.stderr"
	local forks nops untraced lost
	read -r _ forks _ nops _ untraced _ lost <"$WORK/$name.stdout"
	expect_eq "${untraced:-x}" 0 "$name: no child ran untraced ($forks forks, $nops saw the rewritten bytes, traced)"
	# (the first park blocked SIGSEGV while parked: 42 of 300 lost it)
	expect_eq "${lost:-x}" 0 "$name: the program's SIGSEGV handler stayed installed"
	[ "${forks:-0}" -ge 100 ] || fail "$name: only ${forks:-0} forks made: the race was hardly tried"
	# parks made: handed over, or undone at the check (the clone's bytes
	# were nops by then): both are the race this is about
	local outs undone
	outs=$(awk '/^pdig: tracer thread/{s += $11} END{print s + 0}' "$WORK/$name.stderr")
	undone=$(sed -n 's/^pdig: parks undone[^:]*: \([0-9]*\);.*/\1/p' "$WORK/$name.stderr")
	[ "$outs" -ge 30 ] && [ $((outs + ${undone:-0})) -ge 60 ] && ok "$name: $outs handovers, ${undone:-0} parks undone" ||
		fail "$name: $outs handovers, ${undone:-0} parks undone: the park was hardly tried"
	expect_grep "$WORK/$name.stderr" 'parks left unfinished: 0$' "$name: every park finished"
}

run toggled 300
run stopcont 300 stopcont
finish
