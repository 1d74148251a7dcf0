#!/bin/bash
# Credential and namespace syscalls under `pdig -a`, decoded by the real
# `sysdig -u`: the get*id family, setuid/setgid/setresuid/setresgid as
# root switching to 65534 (and user.uid following it), then EPERM; setns
# and unshare with and without privilege. The 5th field is user.uid.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/partb_lib.sh"
e2e_isolate "$@"
[ "$(id -u)" = 0 ] || skip_test "needs root: the program switches from root to uid 65534 and uses setns/unshare"
EV=$WORK/ev
SC_F5=user.uid sc_capture sc_creds "$EV" -- "$HELPERS/sc_creds" >"$WORK/stdout"
expect_eq "$PRC" 0 "sc_creds exits 0"
PID=$(grep -o '^[0-9]*' "$EV" | head -1)
read -r _ CH _ CST <<<"$(grep '^child [0-9]' "$WORK/stdout")"
expect_eq "$CST" 0 "child exits 0"
NS=$(sed -n 's/^nsfd //p' "$WORK/stdout")
# rows of tid's events only
only() { grep "^$1|" "$EV" >"$WORK/ev.$1"; EV=$WORK/ev.$1; }

only "$PID"
call getuid "getuid (root)" ">|getuid|<NA>|0|$" "<|getuid|<NA>|0|uid=0\(root\)$"
call geteuid "geteuid (root)" ">|geteuid|<NA>|0|$" "<|geteuid|<NA>|0|euid=0\(root\)$"
call getgid "getgid (root)" ">|getgid|<NA>|0|$" "<|getgid|<NA>|0|gid=0\(root\)$"
call getegid "getegid (root)" ">|getegid|<NA>|0|$" "<|getegid|<NA>|0|egid=0\(root\)$"
call getresuid "getresuid (root)" ">|getresuid|<NA>|0|$" "<|getresuid|SUCCESS|0|res=0 ruid=0\(root\) euid=0\(root\) suid=0\(root\)$"
call getresgid "getresgid (root)" ">|getresgid|<NA>|0|$" "<|getresgid|SUCCESS|0|res=0 rgid=0\(root\) egid=0\(root\) sgid=0\(root\)$"
call setns "setns CLONE_NEWUTS" ">|setns|<NA>|0|fd=$NS\(<f>/proc/self/ns/uts\) nstype=128\(CLONE_NEWUTS\)$" "<|setns|SUCCESS|0|res=0$"
call setns "setns EINVAL" ">|setns|<NA>|0|fd=$NS\(<f>/proc/self/ns/uts\) nstype=16\(CLONE_NEWNET\)$" "<|setns|EINVAL|0|res=-22\(EINVAL\)$"
# syscall(SYS_setns, -1, 0) passes the int through varargs: the register
# holds 0xffffffff, and the driver writes the fd as the whole register
call setns "setns EBADF" ">|setns|<NA>|0|fd=4294967295 nstype=0$" "<|setns|EBADF|0|res=-9\(EBADF\)$"

EV=$WORK/ev; only "$CH"
call unshare "unshare CLONE_NEWUTS" ">|unshare|<NA>|0|flags=128\(CLONE_NEWUTS\)$" "<|unshare|SUCCESS|0|res=0$"
call unshare "unshare EINVAL" ">|unshare|<NA>|0|flags=256\(CLONE_PARENT\)$" "<|unshare|EINVAL|0|res=-22\(EINVAL\)$"
call setgid "setgid 65534 (user.uid still 0)" ">|setgid|<NA>|0|gid=65534\(nogroup\)$" "<|setgid|SUCCESS|0|res=0$"
call setresgid "setresgid 65534" ">|setresgid|<NA>|0|rgid=65534\(nogroup\) egid=65534\(nogroup\) sgid=65534\(nogroup\)$" "<|setresgid|SUCCESS|0|res=0$"
call setuid "setuid 65534: user.uid follows" ">|setuid|<NA>|0|uid=65534\(nobody\)$" "<|setuid|SUCCESS|65534|res=0$"
call setresuid "setresuid 65534" ">|setresuid|<NA>|65534|ruid=65534\(nobody\) euid=65534\(nobody\) suid=65534\(nobody\)$" "<|setresuid|SUCCESS|65534|res=0$"
call getuid "getuid (nobody)" ">|getuid|<NA>|65534|$" "<|getuid|<NA>|65534|uid=65534\(nobody\)$"
call geteuid "geteuid (nobody)" ">|geteuid|<NA>|65534|$" "<|geteuid|<NA>|65534|euid=65534\(nobody\)$"
call getgid "getgid (nogroup)" ">|getgid|<NA>|65534|$" "<|getgid|<NA>|65534|gid=65534\(nogroup\)$"
call getegid "getegid (nogroup)" ">|getegid|<NA>|65534|$" "<|getegid|<NA>|65534|egid=65534\(nogroup\)$"
call getresuid "getresuid (nobody)" ">|getresuid|<NA>|65534|$" "<|getresuid|SUCCESS|65534|res=0 ruid=65534\(nobody\) euid=65534\(nobody\) suid=65534\(nobody\)$"
call getresgid "getresgid (nogroup)" ">|getresgid|<NA>|65534|$" "<|getresgid|SUCCESS|65534|res=0 rgid=65534\(nogroup\) egid=65534\(nogroup\) sgid=65534\(nogroup\)$"
call setuid "setuid EPERM" ">|setuid|<NA>|65534|uid=0\(root\)$" "<|setuid|EPERM|65534|res=-1\(EPERM\)$"
call setgid "setgid EPERM" ">|setgid|<NA>|65534|gid=0\(root\)$" "<|setgid|EPERM|65534|res=-1\(EPERM\)$"
call setresuid "setresuid EPERM" ">|setresuid|<NA>|65534|ruid=0\(root\) euid=0\(root\) suid=0\(root\)$" "<|setresuid|EPERM|65534|res=-1\(EPERM\)$"
call setresgid "setresgid EPERM, -1 = unchanged" ">|setresgid|<NA>|65534|rgid=0\(root\) egid=-1\(<NONE>\) sgid=-1\(<NONE>\)$" "<|setresgid|EPERM|65534|res=-1\(EPERM\)$"
call unshare "unshare EPERM" ">|unshare|<NA>|65534|flags=128\(CLONE_NEWUTS\)$" "<|unshare|EPERM|65534|res=-1\(EPERM\)$"
call setns "setns EPERM" ">|setns|<NA>|65534|fd=$NS\(<f>/proc/self/ns/uts\) nstype=128\(CLONE_NEWUTS\)$" "<|setns|EPERM|65534|res=-1\(EPERM\)$"
ev "the child's exit is seen as nobody" ">|procexit|<NA>|65534|status=0 "
finish
