#!/bin/bash
# A -w capture's machine-info block gives the machine's online CPUs, also
# when pdig is pinned to one CPU (musl's sysconf counts only the CPUs the
# caller may run on). Truth: /sys/devices/system/cpu/online.
. "$(dirname "$0")/lib.sh"
online=$(awk -F, '{n=0; for (i=1;i<=NF;i++) {split($i,r,"-"); n += (r[2]=="" ? 1 : r[2]-r[1]+1)} print n}' \
	/sys/devices/system/cpu/online)
taskset -c 0 "$PDIG" -w "$WORK/c.scap" true
expect_eq "$?" 0 "pinned pdig -w true exits 0"
# the section header block, then the machine-info block: type, length, num_cpus
read -r type ncpu < <(python3 - "$WORK/c.scap" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
_, shb_len = struct.unpack_from('<II', d, 0)
btype, _, ncpu = struct.unpack_from('<III', d, shb_len)
print(hex(btype), ncpu)
PY
)
expect_eq "$type" "0x201" "the second block is the machine info"
expect_eq "$ncpu" "$online" "num_cpus is the machine's $online online CPUs"
sysdig -r "$WORK/c.scap" -p '%evt.type' evt.type=execve >"$WORK/ev" 2>&1
expect_grep "$WORK/ev" "^execve" "sysdig reads the capture"
finish
