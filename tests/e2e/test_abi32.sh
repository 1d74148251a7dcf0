#!/bin/bash
# The 32-bit ABI is no way around pdig: an int 0x80 open from a 64-bit
# process is recorded as an open; an int 0x80 socketcall, which has no
# x86-64 event, is reported as not recorded instead of vanishing.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%evt.dir|%evt.type|%evt.res|%fd.name'
echo secret >"$WORK/target"
# with 32-bit emulation switched off at boot (ia32_emulation=0, the default
# on SEV and TDX guests) int 0x80 is a general protection fault: SIGSEGV
"$HELPERS/abi32" "$WORK/target" >/dev/null 2>&1
[ $? = 139 ] && skip_test "int 0x80 faults here, untraced (32-bit emulation off at boot)"
consume_run "$WORK/out" "$F" proc.name=abi32 -- "$PDIG" "$HELPERS/abi32" "$WORK/target" >"$WORK/stdout" 2>"$WORK/stderr"
if grep -q '^fd -38 ' "$WORK/stdout"; then
	skip_test "this kernel has no 32-bit syscall entry (IA32_EMULATION off)"
fi
expect_eq "$PRC" 0 "abi32 exits 0"
expect_grep "$WORK/out" "^abi32\|<\|open\|SUCCESS\|$WORK/target$" "int 0x80 open is recorded with its path"
expect_grep "$WORK/stderr" '^pdig: 1 traced syscalls made through the 32-bit ABI .* not recorded$' "the untwinned socketcall is reported"
finish
