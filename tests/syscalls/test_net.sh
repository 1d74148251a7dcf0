#!/bin/bash
# Network syscalls under `pdig -a`, decoded by the real `sysdig -u`: each
# enter and exit with the values sc_net used (ports, tuples, fds, flags),
# in a success and a failure case.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/partb_lib.sh"
e2e_isolate "$@"
EV=$WORK/ev
sc_capture sc_net "$EV" -- "$HELPERS/sc_net" "$WORK/u.sock" >"$WORK/stdout"
expect_eq "$PRC" 0 "sc_net exits 0"
read -r _ SP CP L C S <<<"$(grep '^tcp4 ' "$WORK/stdout")"
L=${L#l=} C=${C#c=} S=${S#s=}
read -r _ RP <<<"$(grep '^refused ' "$WORK/stdout")"
read -r _ SP6 CP6 S6 <<<"$(grep '^tcp6 ' "$WORK/stdout")"
S6=${S6#s=}
read -r _ UT UR <<<"$(grep '^udp ' "$WORK/stdout")"
read -r _ P0 P1 <<<"$(grep '^pair ' "$WORK/stdout")"
read -r _ UL UC US <<<"$(grep '^unix ' "$WORK/stdout")"
T4="127\.0\.0\.1:$CP->127\.0\.0\.1:$SP"
SK=$WORK/u\.sock

# --- TCP over IPv4
call socket "socket AF_INET/SOCK_STREAM" ">|socket|<NA>|<NA>|domain=2\(AF_INET\) type=1 proto=0$" "<|socket|SUCCESS||fd=$L\(<4>\)$"
call socket "socket EAFNOSUPPORT" ">|socket|<NA>|<NA>|domain=12345\(.*\) type=1 proto=0$" "<|socket|EAFNOSUPPORT||fd=-97\(EAFNOSUPPORT\)$"
call setsockopt "setsockopt SO_REUSEADDR=1" ">|setsockopt|<NA>|<NA>|$" "<|setsockopt|SUCCESS||res=0 fd=$L\(<4>\) level=1\(SOL_SOCKET\) optname=2\(SO_REUSEADDR\) val=1 optlen=4$"
call setsockopt "setsockopt TCP_NODELAY (bytes)" ">|setsockopt|<NA>|<NA>|$" "<|setsockopt|SUCCESS||res=0 fd=$C\(<4t>$T4\) level=2\(SOL_TCP\) optname=0\(UNKNOWN\) val=\.\.\.\. optlen=4$"
call setsockopt "setsockopt ENOPROTOOPT" ">|setsockopt|<NA>|<NA>|$" "<|setsockopt|ENOPROTOOPT||res=-92\(ENOPROTOOPT\) fd=$S\(<4t>$T4\) level=1\(SOL_SOCKET\) optname=0\(UNKNOWN\) val=\.\.\.\. optlen=4$"
call bind "bind 127.0.0.1:0" ">|bind|<NA>||fd=$L\(<4>\)$" "<|bind|SUCCESS|127\.0\.0\.1:0|res=0 addr=127\.0\.0\.1:0$"
call bind "bind EADDRINUSE" ">|bind|<NA>||fd=[0-9]+\(<4>\)$" "<|bind|EADDRINUSE||res=-98\(EADDRINUSE\) addr=127\.0\.0\.1:$SP$"
call listen "listen backlog 7" ">|listen|<NA>|127\.0\.0\.1:0|fd=$L\(<4>127\.0\.0\.1:0\) backlog=7$" "<|listen|SUCCESS|127\.0\.0\.1:0|res=0$"
call listen "listen EBADF" ">|listen|<NA>|<NA>|fd=-1\(EPERM\) backlog=3$" "<|listen|EBADF||res=-9\(EBADF\)$"
call connect "connect tcp4" ">|connect|<NA>||fd=$C\(<4>\) addr=127\.0\.0\.1:$SP$" "<|connect|SUCCESS|$T4|res=0 tuple=$T4$"
call connect "connect ECONNREFUSED" ">|connect|<NA>||fd=[0-9]+\(<4>\) addr=127\.0\.0\.1:$RP$" "<|connect|ECONNREFUSED|[0-9.]+:[0-9]+->127\.0\.0\.1:$RP|res=-111\(ECONNREFUSED\) tuple=[0-9.]+:[0-9]+->127\.0\.0\.1:$RP$"
call accept "accept tcp4" ">|accept|<NA>|<NA>|$" "<|accept|SUCCESS|$T4|fd=$S\(<4t>$T4\) tuple=$T4 queuepct=0 queuelen=0 queuemax=0$"
call accept "accept EINVAL" ">|accept|<NA>|<NA>|$" "<|accept|EINVAL|NULL|fd=-22\(EINVAL\) tuple=NULL queuepct=0 queuelen=0 queuemax=0$"
call accept4 "accept4 EBADF, flags SOCK_CLOEXEC (the driver writes 0)" ">|accept|<NA>|<NA>|flags=0$" "<|accept|EBADF|NULL|fd=-9\(EBADF\) tuple=NULL"
call getpeername "getpeername (no params)" ">|getpeername|<NA>|<NA>|$" "<|getpeername|<NA>|<NA>|$"
expect_eq "$(grep -c '^[0-9]*|<|getpeername|' "$EV")" 2 "getpeername: one exit per call (success and ENOTCONN)"
call getsockname "getsockname (no params)" ">|getsockname|<NA>|<NA>|$" "<|getsockname|<NA>|<NA>|$"
expect_eq "$(grep -c '^[0-9]*|<|getsockname|' "$EV")" 8 "getsockname: one exit per call (7 ok, 1 EBADF)"
call sendto "sendto on a connected socket" ">|sendto|<NA>|$T4|fd=$C\(<4t>$T4\) size=12 tuple=NULL$" "<|sendto|SUCCESS|$T4|res=12 data=hello-sendto$"
call sendto "sendto EBADF" ">|sendto|<NA>|<NA>|fd=-1\(EPERM\) size=1 tuple=NULL$" "<|sendto|EBADF||res=-9\(EBADF\) data=$"
call recvfrom "recvfrom" ">|recvfrom|<NA>|$T4|fd=$S\(<4t>$T4\) size=64$" "<|recvfrom|SUCCESS|$T4|res=12 data=hello-sendto tuple=NULL$"
call recvfrom "recvfrom EBADF" ">|recvfrom|<NA>|<NA>|fd=-1\(EPERM\) size=64$" "<|recvfrom|EBADF||res=-9\(EBADF\) data= tuple=NULL$"
call sendmsg "sendmsg, two iovecs" ">|sendmsg|<NA>|$T4|fd=$C\(<4t>$T4\) size=9 tuple=NULL$" "<|sendmsg|SUCCESS|$T4|res=9 data=msg-part2$"
call sendmsg "sendmsg EBADF" ">|sendmsg|<NA>|<NA>|fd=-1\(EPERM\) size=9 tuple=NULL$" "<|sendmsg|EBADF||res=-9\(EBADF\)"
call recvmsg "recvmsg" ">|recvmsg|<NA>|$T4|fd=$S\(<4t>$T4\)$" "<|recvmsg|SUCCESS|$T4|res=9 size=9 data=msg-part2 tuple=NULL$"
call recvmsg "recvmsg EBADF: size is the buffers' total" ">|recvmsg|<NA>|<NA>|fd=-1\(EPERM\)$" "<|recvmsg|EBADF||res=-9\(EBADF\) size=64 data= tuple=NULL$"
call getsockopt "getsockopt SO_TYPE" ">|getsockopt|<NA>|<NA>|$" "<|getsockopt|SUCCESS|$T4|res=0 fd=$S\(<4t>$T4\) level=1\(SOL_SOCKET\) optname=3\(SO_TYPE\) val=1 optlen=4$"
call getsockopt "getsockopt SO_ERROR" ">|getsockopt|<NA>|<NA>|$" "<|getsockopt|SUCCESS|$T4|res=0 fd=$S\(<4t>$T4\) level=1\(SOL_SOCKET\) optname=4\(SO_ERROR\) val=0 optlen=4$"
call getsockopt "getsockopt ENOPROTOOPT" ">|getsockopt|<NA>|<NA>|$" "<|getsockopt|ENOPROTOOPT|$T4|res=-92\(ENOPROTOOPT\) fd=$S\(<4t>$T4\) level=1\(SOL_SOCKET\) optname=0\(UNKNOWN\)"
call shutdown "shutdown SHUT_WR" ">|shutdown|<NA>|$T4|fd=$C\(<4t>$T4\) how=1\(SHUT_WR\)$" "<|shutdown|SUCCESS|$T4|res=0$"
call shutdown "shutdown EBADF" ">|shutdown|<NA>|<NA>|fd=-1\(EPERM\) how=2\(SHUT_RDWR\)$" "<|shutdown|EBADF||res=-9\(EBADF\)$"

# --- TCP over IPv6, accept4
T6="::1:$CP6->::1:$SP6"
call socket "socket AF_INET6" ">|socket|<NA>|<NA>|domain=10\(AF_INET6\) type=1 proto=0$" "<|socket|SUCCESS||fd=[0-9]+\(<6>\)$"
call bind "bind [::1]:0" ">|bind|<NA>||fd=[0-9]+\(<6>\)$" "<|bind|SUCCESS|::1:0|res=0 addr=::1:0$"
call connect "connect tcp6" ">|connect|<NA>||fd=[0-9]+\(<6>\) addr=::1:$SP6$" "<|connect|SUCCESS|$T6|res=0 tuple=$T6$"
call accept4 "accept4 tcp6" ">|accept|<NA>|<NA>|flags=0$" "<|accept|SUCCESS|$T6|fd=$S6\(<6t>$T6\) tuple=$T6 "

# --- UDP
TU="127\.0\.0\.1:$UT->127\.0\.0\.1:$UR"
call socket "socket SOCK_DGRAM" ">|socket|<NA>|<NA>|domain=2\(AF_INET\) type=2 proto=0$" "<|socket|SUCCESS||fd=[0-9]+\(<4>\)$"
call sendto "sendto with an address" ">|sendto|<NA>||fd=[0-9]+\(<4>\) size=7 tuple=0\.0\.0\.0:0->127\.0\.0\.1:$UR$" "<|sendto|SUCCESS|.*->127\.0\.0\.1:$UR|res=7 data=udp-one$"
call recvfrom "recvfrom with the sender's address" ">|recvfrom|<NA>|127\.0\.0\.1:0|fd=[0-9]+\(<4>127\.0\.0\.1:0\) size=64$" "<|recvfrom|SUCCESS|$TU|res=7 data=udp-one tuple=$TU$"
call recvfrom "recvfrom EAGAIN" ">|recvfrom|<NA>|$TU|fd=[0-9]+\(<4u>$TU\) size=64$" "<|recvfrom|EAGAIN|$TU|res=-11\(EAGAIN\) data= tuple=NULL$"
call listen "listen EOPNOTSUPP on UDP" ">|listen|<NA>|$TU|fd=[0-9]+\(<4u>$TU\) backlog=1$" "<|listen|EOPNOTSUPP|$TU|res=-95\(EOPNOTSUPP\)$"
call connect "connect udp" ">|connect|<NA>|.*|fd=[0-9]+\(<4u>.*\) addr=127\.0\.0\.1:$UR$" "<|connect|SUCCESS|$TU|res=0 tuple=$TU$"
call sendmmsg "sendmmsg (no params)" ">|sendmmsg|<NA>|<NA>|$" "<|sendmmsg|<NA>|<NA>|$"
call recvmmsg "recvmmsg (no params)" ">|recvmmsg|<NA>|<NA>|$" "<|recvmmsg|<NA>|<NA>|$"
expect_eq "$(grep -c '^[0-9]*|<|sendmmsg|' "$EV") $(grep -c '^[0-9]*|<|recvmmsg|' "$EV")" "2 2" "sendmmsg/recvmmsg: one exit per call (ok + failure)"

# --- unix
call socketpair "socketpair AF_UNIX" ">|socketpair|<NA>|<NA>|domain=1\(AF_LOCAL\) type=1 proto=0$" "<|socketpair|SUCCESS||res=0 fd1=$P0\(<u>\) fd2=$P1\(<u>\) source=[0-9a-fA-F]+ peer=[0-9a-fA-F]+$"
call socketpair "socketpair EOPNOTSUPP" ">|socketpair|<NA>|<NA>|domain=2\(AF_INET\) type=1 proto=0$" "<|socketpair|EOPNOTSUPP||res=-95\(EOPNOTSUPP\) fd1=0 fd2=0 source=0 peer=0$"
call bind "bind unix path" ">|bind|<NA>||fd=$UL\(<u>\)$" "<|bind|SUCCESS|$SK|res=0 addr=$SK$"
call connect "connect unix" ">|connect|<NA>|$SK|fd=$UC\(<u>$SK\) addr=$SK$" "<|connect|SUCCESS|[0-9a-fA-F]+->[0-9a-fA-F]+ $SK|res=0 tuple=[0-9a-fA-F]+->[0-9a-fA-F]+ $SK$"
call accept "accept unix" ">|accept|<NA>|<NA>|$" "<|accept|SUCCESS|[0-9a-fA-F]+->[0-9a-fA-F]+ $SK|fd=$US\(<u>[0-9a-fA-F]+->[0-9a-fA-F]+ $SK\) tuple="
call connect "connect unix ENOENT" ">|connect|<NA>|$SK|fd=[0-9]+\(<u>$SK\) addr=$SK$" "<|connect|ENOENT|.*|res=-2\(ENOENT\) tuple=.* $SK$"
finish
