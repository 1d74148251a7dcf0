#!/bin/bash
# pdig is non-dumpable: a tracee with pdig's uid cannot reach its memory or
# its fds through ptrace, process_vm_readv/writev, /proc/PID/mem or
# pidfd_getfd (pdig is the tracee's parent in spawn mode). Each refusal is
# the kernel's, and the traced ones still show up as events.
. "$(dirname "$0")/lib_tamper.sh" "$@"

attack_run ptrace ptrace ppid
expect_grep "$WORK/ptrace.stdout" '^ptrace=EPERM$' "PTRACE_SEIZE of pdig fails with EPERM"
expect_grep "$WORK/ptrace.out" '^attack\|<\|ptrace\|EPERM\|' "the refused ptrace is an event"
expect_after ptrace

attack_run vmread vmread ppid
expect_grep "$WORK/vmread.stdout" '^vmread=EPERM$' "process_vm_readv of pdig fails with EPERM"
expect_after vmread
attack_run vmwrite vmwrite ppid
expect_grep "$WORK/vmwrite.stdout" '^vmwrite=EPERM$' "process_vm_writev of pdig fails with EPERM"
expect_after vmwrite

attack_run mem mem ppid
expect_grep "$WORK/mem.stdout" '^mem=(EACCES|EPERM)$' "open of pdig's /proc/PID/mem for writing fails"
expect_grep "$WORK/mem.out" '^attack\|<\|(open|openat)\|(EACCES|EPERM)\|.*/proc/[0-9]+/mem' "the refused open is an event"
expect_after mem

attack_run getfd getfd ppid
expect_grep "$WORK/getfd.stdout" '^getfd=EPERM$' "pidfd_getfd of pdig's fd 0 fails with EPERM"
expect_after getfd

# pdig still reads its own tracees (they are dumpable after their exec)
attack_run self ptrace 1
expect_grep "$WORK/self.out" '^attack\|<\|execve\|SUCCESS' "the tracee's exec is decoded"
finish
