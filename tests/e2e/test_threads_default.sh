#!/bin/bash
# How many tracer threads a spawned program gets (docs/scale.md, "The
# default"): the CPUs pdig may use, i.e. its affinity mask, lowered to its
# cgroup's CPU quota, at most 8; --threads N and $PDIG_THREADS=N choose;
# -p/-P as well, -S uses one. -v says how many and why.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

# threads_line CMD...: runs CMD (a pdig command line); its exit status in
# TRC, its "N tracer threads (why)" line in LINE
threads_line() {
	"$@" >"$WORK/tl.out" 2>"$WORK/tl.err"
	TRC=$?
	LINE=$(grep -E '^pdig: [0-9]+ tracer threads? \(' "$WORK/tl.err")
}

CPUS=$(nproc)
WANT=$CPUS
[ "$WANT" -gt 8 ] && WANT=8
threads_line "$PDIG" -v true; line=$LINE
expect_eq "$TRC" 0 "pdig -v true exits 0"
case "$line" in
"pdig: $WANT tracer thread"*"($CPUS CPU"*" in affinity mask"*) ok "default: $line" ;;
"pdig: "*"cgroup CPU quota"*) ok "default, lowered by this cgroup's quota: $line" ;;
*) fail "default: the -v line is '$line', want $WANT from $CPUS CPUs in the affinity mask" ;;
esac

if [ "$CPUS" -ge 2 ] && command -v taskset >/dev/null; then
	threads_line taskset -c 0 "$PDIG" -v true; line=$LINE
	expect_eq "$line" "pdig: 1 tracer thread (1 CPU in affinity mask)" "taskset -c 0: one tracer thread"
	threads_line taskset -c 0,1 "$PDIG" -v true; line=$LINE
	expect_eq "$line" "pdig: 2 tracer threads (2 CPUs in affinity mask)" "taskset -c 0,1: two"
else
	skip_part taskset "needs taskset and 2 CPUs"
fi

threads_line "$PDIG" -v --threads 3 true; line=$LINE
expect_eq "$line" "pdig: 3 tracer threads (--threads)" "--threads 3"
threads_line env PDIG_THREADS=3 "$PDIG" -v true; line=$LINE
expect_eq "$line" "pdig: 3 tracer threads (PDIG_THREADS)" "PDIG_THREADS=3"
threads_line env PDIG_THREADS=3 "$PDIG" -v --threads 1 true; line=$LINE
expect_eq "$line" "pdig: 1 tracer thread (--threads)" "--threads 1 overrides PDIG_THREADS=3"
threads_line env PDIG_THREADS=0 "$PDIG" true
expect_eq "$TRC" 2 "PDIG_THREADS=0 is refused (exit 2)"
expect_grep "$WORK/tl.err" '^pdig: PDIG_THREADS: expected a number of tracer threads \(1-64\), got .0.$' "PDIG_THREADS=0: says why"
threads_line "$PDIG" --threads 65 true
expect_eq "$TRC" 2 "--threads 65 is refused (exit 2)"

# attach mode: -p/-P take the count as a spawned program does; -S one
# (its keeper re-executes pdig, which would end the other tracer threads)
# attach_line ARGS...: pdig -v ARGS -p on a sleeping process, ended by
# SIGTERM once it traces it; its exit status in TRC, the -v line in LINE
attach_line() {
	sleep 30 &
	local sp=$! pp i
	"$@" -p "$sp" >"$WORK/att.out" 2>"$WORK/att.err" &
	pp=$!
	for i in $(seq 250); do
		t=$(awk '$1 == "TracerPid:" {print $2}' "/proc/$sp/status" 2>/dev/null)
		[ -n "$t" ] && [ "$t" != 0 ] && break
		kill -0 "$pp" 2>/dev/null || break
		sleep 0.02
	done
	kill -TERM "$pp" 2>/dev/null
	wait "$pp"
	TRC=$?
	kill "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	LINE=$(grep -E '^pdig: [0-9]+ tracer threads? \(' "$WORK/att.err")
}
attach_line "$PDIG" -v --threads 4
expect_eq "$LINE/$TRC" "pdig: 4 tracer threads (--threads)/0" "-p --threads 4: four tracer threads, said by -v"
attach_line env PDIG_THREADS=3 "$PDIG" -v
expect_eq "$LINE/$TRC" "pdig: 3 tracer threads (PDIG_THREADS)/0" "-p with PDIG_THREADS=3: three"
attach_line taskset -c 0 "$PDIG" -v
expect_eq "$LINE/$TRC" "pdig: 1 tracer thread (1 CPU in affinity mask)/0" "-p under taskset -c 0: the default, one"
attach_line env PDIG_THREADS=x "$PDIG" -v
expect_eq "$TRC" 2 "-p with PDIG_THREADS=x is refused (exit 2)"
expect_eq "$(wc -l <"$WORK/att.err")" 1 "-p with PDIG_THREADS=x: one line"
attach_line "$PDIG" -v -S --threads 2
expect_eq "$TRC" 2 "-S --threads 2 is refused (exit 2)"
expect_grep "$WORK/att.err" '^pdig: -S uses one tracer thread: .*keeper' "-S --threads 2: says why, in one line"
expect_eq "$(wc -l <"$WORK/att.err")" 1 "-S --threads 2: one line"
attach_line env PDIG_THREADS=x "$PDIG" -v -S
expect_eq "$LINE/$TRC" "pdig: 1 tracer thread (-S uses one)/0" "-S does not read PDIG_THREADS (a bad one neither)"

# a CPU quota on pdig's cgroup (what a Fargate task or `docker --cpus`
# gets): 1.5 CPUs of quota round up to 2, 0.5 to 1
quota_run() { # QUOTA_US: pdig -v true in a new cpu cgroup with that quota
	local g=$1
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		mkdir "$CG" 2>/dev/null && echo "$2 100000" >"$CG/cpu.max" 2>/dev/null || return 1
	else
		mkdir "$CG" 2>/dev/null && echo 100000 >"$CG/cpu.cfs_period_us" && echo "$2" >"$CG/cpu.cfs_quota_us" 2>/dev/null ||
			return 1
	fi
	line=$(sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" -v true' q "$CG" "$PDIG" 2>&1 | grep -E '^pdig: [0-9]+ tracer threads? \(')
	rmdir "$CG" 2>/dev/null
	return 0
}
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
	CGROOT=/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/self/cgroup)
else
	CGROOT=/sys/fs/cgroup/cpu$(sed -n 's/^[0-9]*:\([^:]*,\)\{0,1\}cpu\(,[^:]*\)\{0,1\}:\(.*\)/\3/p' /proc/self/cgroup)
fi
CG=${CGROOT%/}/pdig-threads-test.$$
if [ "$CPUS" -ge 2 ] && quota_run "$CG" 150000; then
	expect_eq "$line" "pdig: 2 tracer threads (1.5 CPUs of cgroup quota)" "a quota of 1.5 CPUs: two"
	quota_run "$CG" 50000
	expect_eq "$line" "pdig: 1 tracer thread (0.5 CPUs of cgroup quota)" "a quota of 0.5 CPUs: one"
else
	skip_part cgroup-quota "cannot make a cpu cgroup with a quota here ($CG)"
fi
finish
