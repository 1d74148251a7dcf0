#!/bin/bash
# The park's helper H is known only by the tid the kernel names at its
# thread's vfork event (docs/scale.md "The park"), never by registers the
# program controls. park_spoof's threads make the very clone the park makes
# (CLONE_VM|CLONE_VFORK|CLONE_THREAD|CLONE_SIGHAND, stack 0x1000, page
# 0x1000 mapped) from the `syscall` its other threads fork from: each such
# child is the program's own and must run (it exits at once), not be held
# as an H forever (the first park held them: 6 clones never returned, no
# event, no procexit). park_chain does that in a stream of short-lived
# processes for longer than the tids take to wrap (pid_max 32768): the
# first park held unrelated new tasks at their first stop once a stale
# record met a reused tid, and pdig never ended (rc 124/137).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"

timeout -k 2 40 "$PDIG" --threads 2 -v -o "$WORK/spoof.txt" "$HELPERS/park_spoof" 5 \
	>"$WORK/spoof.out" 2>"$WORK/spoof.err"
expect_eq "$?" 0 "spoof: pdig and the program end normally"
cat "$WORK/spoof.out"
grep -E '^pdig: (parks|tracer thread)' "$WORK/spoof.err"
expect_grep "$WORK/spoof.out" 'in a clone for over 2 s: 0$' "spoof: every clone of the program's own returned"
outs=$(awk '/^pdig: tracer thread/{s += $11} END{print s + 0}' "$WORK/spoof.err")
[ "$outs" -ge 10 ] && ok "spoof: $outs handovers (parks ran beside the look-alike clones)" ||
	fail "spoof: $outs handovers: the park was hardly tried"
expect_grep "$WORK/spoof.err" 'parks left unfinished: 0$' "spoof: every park finished"

# longer than a wrap of the tids (pid_max 32768 wraps in ~20 s here)
timeout -k 2 75 "$PDIG" --threads 2 -v -o /dev/null "$HELPERS/park_chain" 25 \
	>"$WORK/chain.out" 2>"$WORK/chain.err"
expect_eq "$?" 0 "chain: pdig and the program end normally after the tids wrapped (124/137: a hang)"
cat "$WORK/chain.out"
grep -E '^pdig: parks' "$WORK/chain.err"
expect_grep "$WORK/chain.out" 'untraced 0$' "chain: no child ran untraced"
expect_grep "$WORK/chain.err" 'parks left unfinished: 0$' "chain: every park finished"
finish
