#!/bin/bash
# int arguments with garbage in the register's upper 32 bits (issue 18
# item 7): in schema 1.0.0 they show as the driver sysdig 0.29.3 loads
# writes them, the whole 64-bit register (kill, tkill, tgkill, setpgid,
# prlimit and ptrace pids; setns, execveat, ioctl, setsockopt and
# getsockopt fds; poll's timeout). execveat's AT_FDCWD is matched on the
# low 32 bits, as the driver does.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

F='*%thread.tid|%evt.dir|%evt.type|%evt.res|%evt.args'
consume_run "$WORK/out" "$F" -- timeout 20 "$PDIG" -a "$HELPERS/int_args" >"$WORK/stdout"
expect_eq "$PRC" 0 "int_args exits 0"
expect_grep "$WORK/stdout" '^ok$' "int_args ran every call"

# the registers the program loads, as signed 64-bit numbers
PID=-2147483664   # 0xffffffff7ffffff0
FD=-6442450959    # 0xfffffffe7ffffff1
enter() { expect_grep "$WORK/out" "\\|>\\|$1\\|<NA>\\|$2" "$1: $3"; }
enter kill "pid=$PID sig=0" "the whole register, as the driver"
enter tkill "tid=$PID sig=0" "the whole register, as the driver"
enter tgkill "pid=$PID tid=$((PID + 1)) sig=0" "both ids whole, as the driver"
enter setpgid "pid=$PID pgid=-4294967296" "both ids whole, as the driver"
enter prlimit "pid=$PID resource=" "the whole register, as the driver"
enter ptrace "request=[0-9]+\\(PTRACE_KILL\\) pid=$PID" "the whole register, as the driver"
enter setns "fd=$FD nstype=0" "the whole register, as the driver"
enter execveat "dirfd=$FD pathname=pdig-int-args-none" "dirfd whole, as the driver"
enter execveat "dirfd=-100\\(AT_FDCWD\\) pathname=/pdig-int-args-none" "AT_FDCWD in the low 32 bits is AT_FDCWD"
enter ioctl "fd=$FD request=5413 argument=0" "the whole register, as the driver"
enter poll "fds= timeout=-4294967296" "the whole register, as the driver"
expect_grep "$WORK/out" "\\|<\\|setsockopt\\|EBADF\\|res=-9\\(EBADF\\) fd=$FD " "setsockopt: fd whole, as the driver"
expect_grep "$WORK/out" "\\|<\\|getsockopt\\|EBADF\\|res=-9\\(EBADF\\) fd=$FD " "getsockopt: fd whole, as the driver"
finish
