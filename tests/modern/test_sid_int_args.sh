#!/bin/bash
# int arguments with garbage in the register's upper 32 bits (issue 18
# item 7), in schema 4.1.0 (`--schema 0.23`) read by sysdig 0.41.4: the
# drivers of the modern schemas cast them to a 32-bit int (the kernel's
# view), where the 1.0.0 driver writes the whole register
# (tests/e2e/test_int_args.sh).
. "$(dirname "$0")/lib.sh"
sid_need
E2E_HELPERS=${E2E_HELPERS:?}
CAP=$WORK/cap.scap
"$PDIG" --schema 0.23 -a -w "$CAP" "$E2E_HELPERS/int_args" >"$WORK/stdout"
expect_eq $? 0 "int_args exits 0"
sid_read "$CAP" '*%evt.dir|%evt.type|%evt.res|%evt.args' \
	'evt.type in (kill,tkill,tgkill,setpgid,prlimit,ptrace,setns,ioctl,poll,setsockopt,getsockopt)' >"$WORK/out" 2>"$WORK/err"
expect_eq $? 0 "sysdig 0.41.4 -r exits 0 $(head -c 300 "$WORK/err")"
PID=2147483632 FD=2147483633 # the low 32 bits
exit_has() { expect_grep "$WORK/out" "^<\\|$1\\|[A-Z]+\\|.*$2" "$1: $3"; }
exit_has kill "pid=$PID sig=0" "the 32-bit pid"
exit_has tkill "tid=$PID sig=0" "the 32-bit tid"
exit_has tgkill "pid=$PID tid=$((PID + 1)) sig=0" "the 32-bit ids"
exit_has setpgid "pid=$PID pgid=0" "the 32-bit ids"
exit_has prlimit "pid=$PID resource=7" "the 32-bit pid"
exit_has ptrace "request=[0-9]+\\(PTRACE_KILL\\) pid=$PID" "the 32-bit pid"
exit_has setns "fd=$FD nstype=0" "the 32-bit fd"
exit_has ioctl "fd=$FD request=5413" "the 32-bit fd"
exit_has poll "timeout=0" "the 32-bit timeout"
exit_has setsockopt "fd=$FD level=1" "the 32-bit fd"
exit_has getsockopt "fd=$FD level=1" "the 32-bit fd"
# execveat's dirfd: not in the 4.1.0 exit that sysdig 0.41.4 reads
# (tests/events/test_modern_values.c checks it per schema)
finish
