#!/bin/bash
# Memory family under `pdig -a`: mmap, munmap, mprotect, brk of
# progs/sc_mem.c, success and failure, as the real `sysdig -u` decodes them.
. "$(dirname "$0")/sclib.sh"
e2e_isolate "$@"
D=$WORK/d
mkdir "$D"
sc_trace sc_mem -- "$HELPERS/sc_mem" "$D"
expect_eq "$PRC" 0 "sc_mem exits 0"
v() { val "$1" sc_mem; }
F="$(v f)(<f>$D/map)"
VM='vm_size=[1-9]* vm_rss=[1-9]* vm_swap=0'

# mmap/brk results are addresses (PT_UINT64, hex): an error is the raw
# negative value, which sysdig shows as such
call mmap "addr=0 length=8192 prot=3(PROT_READ|PROT_WRITE) flags=10(MAP_PRIVATE|MAP_ANONYMOUS) fd=-1(EPERM) offset=0" \
	SUCCESS "<NA>" "res=$(v anon) $VM"
call mmap "addr=0 length=4096 prot=5(PROT_READ|PROT_EXEC) flags=1(MAP_SHARED) fd=$F offset=4096" \
	SUCCESS "<NA>" "res=$(v file) $VM"
call mmap "addr=0 length=4096 prot=1(PROT_READ) flags=2(MAP_PRIVATE) fd=999 offset=0" \
	FFFFFFFFFFFFFFF7 "<NA>" "res=FFFFFFFFFFFFFFF7 $VM"
call mprotect "addr=$(v anon) length=4096 prot=1(PROT_READ)" SUCCESS "<NA>" "res=0"
call mprotect "addr=$(v anon1) length=4096 prot=0(PROT_NONE)" EINVAL "<NA>" "res=-22(EINVAL)"
call munmap "addr=$(v anon) length=8192" SUCCESS "<NA>" "res=0 $VM"
call munmap "addr=$(v anon1) length=10" EINVAL "<NA>" "res=-22(EINVAL) $VM"
call brk "addr=0" SUCCESS "<NA>" "res=$(v cur) $VM"
expect_eq "$(v grown)" "$(v want)" "brk grew the heap by 16 KiB"
call brk "addr=$(v want)" SUCCESS "<NA>" "res=$(v grown) $VM"
call brk "addr=1000" SUCCESS "<NA>" "res=$(v refused) $VM"
finish
