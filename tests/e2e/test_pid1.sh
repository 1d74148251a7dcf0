#!/bin/bash
# pdig as a container entrypoint (PID 1 of a new PID namespace): signals
# from the runtime are forwarded, orphaned zombies are reaped, SIGTERM
# gives the program a graceful shutdown, and the exit status is the
# program's. The same scenario runs under tini and dumb-init (when
# installed) and must give the same outcome.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

# run_init NAME CMD...: start CMD as PID 1, send it signals, collect the log
run_init() {
	local name=$1; shift
	local log="$WORK/$name.log"
	rm -f "$log"
	unshare --pid --fork --mount-proc "$@" "$HELPERS/init_child" "$log" &
	local up=$!
	local init=""
	for i in $(seq 300); do
		init=$(pgrep -P $up | head -1)
		[ -n "$init" ] && grep -q ready "$log" 2>/dev/null && break
		sleep 0.01
	done
	sleep 0.3 # let the orphan exit and be reaped
	for s in HUP INT QUIT USR1 USR2; do kill -$s "$init"; sleep 0.05; done
	kill -TERM "$init"
	wait $up
	echo "rc $?" >>"$log"
}

run_init pdig "$PDIG"
L="$WORK/pdig.log"
expect_grep "$L" '^ready 2$' "the program runs as PID 2 under pdig (PID 1)"
for s in 1 2 3 10 12 15; do
	expect_grep "$L" "^sig $s 1$" "signal $s forwarded exactly once"
done
expect_grep "$L" '^zombies 0$' "orphaned zombies are reaped"
expect_grep "$L" '^graceful$' "SIGTERM lets the program shut down gracefully"
expect_grep "$L" '^rc 0$' "exit status is the program's (0)"

# exit status and death by signal as PID 1
unshare --pid --fork --mount-proc "$PDIG" /bin/sh -c 'exit 42'
expect_eq $? 42 "PID 1: exit status passes through"
unshare --pid --fork --mount-proc "$PDIG" /bin/sh -c 'kill -SEGV $$'
expect_eq $? 139 "PID 1: death by SIGSEGV gives 128+11"
# pdig ends with the program even if a background process lingers
timeout 10 unshare --pid --fork --mount-proc "$PDIG" /bin/sh -c 'sleep 60 & exit 3'
expect_eq $? 3 "PID 1: pdig exits with the program, not with its leftovers"

for init in tini dumb-init; do
	if ! command -v $init >/dev/null; then
		skip_part "comparison with $init" "$init is not installed"
		continue
	fi
	[ $init = tini ] && run_init tini tini -s -- || run_init dumb-init dumb-init --
	# compare everything but the pid line
	if diff <(grep -v ready "$WORK/$init.log") <(grep -v ready "$L") >"$WORK/$init.diff"; then
		ok "same outcome as $init"
	else
		fail "differs from $init: $(tr '\n' ' ' <"$WORK/$init.diff")"
	fi
done
finish
