#!/bin/bash
# CPU placement: pdig moves itself to the CPU of the thread it serves (the
# tracee is never pinned by pdig); --no-follow-cpu keeps pdig's own mask.
. "$(dirname "$0")/lib.sh"
[ "$(nproc)" -ge 2 ] || { echo "skip: needs 2 CPUs"; exit 77; }
last=$(( $(nproc) - 1 ))
loop='i=0; while [ $i -lt 60 ]; do : >/dev/null; sleep 0.01; i=$((i+1)); done'
allowed_of() { awk '/^Cpus_allowed_list/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# the tracee is pinned (by taskset, not pdig) to the last CPU
"$PDIG" taskset -c $last /bin/sh -c "$loop" 2>/dev/null &
p=$!
seen=""
for i in $(seq 200); do
	a=$(allowed_of $p); [ -n "$a" ] && seen="$a"
	[ "$seen" = "$last" ] && break
	sleep 0.01
done
wait $p
expect_eq "$seen" "$last" "pdig follows the tracee to CPU $last"

"$PDIG" --no-follow-cpu taskset -c $last /bin/sh -c "$loop" 2>/dev/null &
p=$!
sleep 0.3
a=$(allowed_of $p)
wait $p
expect_eq "$a" "0-$last" "--no-follow-cpu: pdig keeps its mask"

# pdig started with a mask that excludes the tracee's CPU stays inside it
taskset -c 0 "$PDIG" taskset -c $last /bin/sh -c "$loop" 2>/dev/null &
p=$!
sleep 0.3
a=$(allowed_of $p)
wait $p
expect_eq "$a" "0" "pdig never leaves the CPUs it was given"
finish
