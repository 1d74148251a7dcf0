#!/bin/bash
# Misc family under `pdig -a`: sleeping, futex, poll/select/epoll and the
# syscalls sysdig only knows as generic events (progs/sc_misc.c), as the
# real `sysdig -u` decodes them.
. "$(dirname "$0")/sclib.sh"
e2e_isolate "$@"
sc_trace sc_misc -- "$HELPERS/sc_misc"
expect_eq "$PRC" 0 "sc_misc exits 0"
v() { val "$1" sc_misc; }
p0=$(v p0) p1=$(v p1)

# a negative tv_nsec makes the ns count wrap, which sysdig shows as "none"
call nanosleep "interval=1000000(0.001s)" SUCCESS "<NA>" "res=0"
call nanosleep "interval=none" EINVAL "<NA>" "res=-22(EINVAL)"
call futex "addr=$(v word) op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=1" SUCCESS "<NA>" "res=0"
call futex "addr=$(v word) op=0(FUTEX_WAIT) val=1" EAGAIN "<NA>" "res=-11(EAGAIN)"

# fd lists: fd:<type char><PPM_POLL* bits> (POLLIN 1, POLLOUT 4); the exit
# lists only fds with returned events
call poll "fds=$p0:p1 $p1:p4 timeout=0" SUCCESS "<NA>" "res=2 fds=$p0:p1 $p1:p4"
call poll "fds= timeout=0" EFAULT "<NA>" "res=-14(EFAULT) fds="
call ppoll "fds=$p0:p1 timeout=2000000005(2s) sigmask=SIGUSR1" SUCCESS "<NA>" "res=1 fds=$p0:p1"
call ppoll "fds=$p0:p1 timeout=0(0s) sigmask=SIGUSR1" EINVAL "<NA>" "res=-22(EINVAL) fds=$p0:p1"
call select "" SUCCESS "<NA>" "res=1"
call select "" EINVAL "<NA>" "res=-22(EINVAL)"
call epoll_wait "maxevents=4" SUCCESS "<NA>" "res=1"
call epoll_wait "maxevents=3" EBADF "<NA>" "res=-9(EBADF)"

# generic events: evt.type is the syscall's name (from the ID param), the
# nativeID its x86-64 number; they carry no result
gcall pselect6 270
gcall epoll_create 213
gcall epoll_ctl 233
gcall alarm 37
gcall pause 34
gcall syslog 103
gcall uselib 134
gcall sched_getparam 143
gcall sched_setparam 142
expect_eq "$(grep -c '^>|alarm|' "$SC_PAIRS")" 2 "both alarm calls are paired"
finish
