#!/bin/bash
# kill, tkill, tgkill under `pdig -a`, decoded by the real `sysdig -u`:
# target pid/tid and signal as sc_signal used them, success and failure,
# and the killed child's procexit.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/partb_lib.sh"
e2e_isolate "$@"
EV=$WORK/ev
sc_capture sc_signal "$EV" -- "$HELPERS/sc_signal" >"$WORK/stdout"
expect_eq "$PRC" 0 "sc_signal exits 0"
read -r _ ME _ TID _ CH _ KS _ CAUGHT <<<"$(cat "$WORK/stdout")"
expect_eq "$KS $CAUGHT" "9 3" "the child was killed and the 3 self-signals were caught under pdig"
P="$ME\(sc_signal\)"
call kill "kill self SIGUSR1" ">|kill|<NA>|<NA>|pid=$P sig=10\(SIGUSR1\)$" "<|kill|SUCCESS|<NA>|res=0$"
call kill "kill probe (sig 0)" ">|kill|<NA>|<NA>|pid=$P sig=0$" "<|kill|SUCCESS|<NA>|res=0$"
call kill "kill ESRCH" ">|kill|<NA>|<NA>|pid=999999 sig=15\(SIGTERM\)$" "<|kill|ESRCH|<NA>|res=-3\(ESRCH\)$"
call kill "kill EINVAL (bad signal)" ">|kill|<NA>|<NA>|pid=$P sig=99$" "<|kill|EINVAL|<NA>|res=-22\(EINVAL\)$"
call kill "kill child SIGKILL" ">|kill|<NA>|<NA>|pid=$CH\(sc_signal\) sig=9\(SIGKILL\)$" "<|kill|SUCCESS|<NA>|res=0$"
call tkill "tkill self SIGUSR2" ">|tkill|<NA>|<NA>|tid=$TID\(sc_signal\) sig=12\(SIGUSR2\)$" "<|tkill|SUCCESS|<NA>|res=0$"
# syscall(SYS_tkill, -5, ...) passes the int through varargs: the register
# holds 0xfffffffb, and the driver writes the tid as the whole register
call tkill "tkill EINVAL" ">|tkill|<NA>|<NA>|tid=4294967291 sig=10\(SIGUSR1\)$" "<|tkill|EINVAL|<NA>|res=-22\(EINVAL\)$"
call tgkill "tgkill self SIGUSR1" ">|tgkill|<NA>|<NA>|pid=$P tid=$TID\(sc_signal\) sig=10\(SIGUSR1\)$" "<|tgkill|SUCCESS|<NA>|res=0$"
call tgkill "tgkill ESRCH" ">|tgkill|<NA>|<NA>|pid=$P tid=999999 sig=10\(SIGUSR1\)$" "<|tgkill|ESRCH|<NA>|res=-3\(ESRCH\)$"
expect_grep "$EV" "^$CH\|>\|procexit\|<NA>\|<NA>\|status=9 ret=0 sig=9\(SIGKILL\) core=0$" "killed child: procexit with SIGKILL"
finish
