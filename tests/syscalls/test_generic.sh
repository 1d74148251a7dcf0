#!/bin/bash
# Syscalls the driver reports only as generic events (no UF_USED in the
# schema 1.0.0 table; progs/sc_generic.c), as the real `sysdig -u` shows
# them: evt.type is the name of the ID param's PPM_SC code (<unknown> for a
# number the table has no entry for, such as memfd_create's 319), nativeID
# the x86-64 number, and the exit carries only the ID, so evt.res is <NA>,
# as under the driver. -a traces them all; the default set the module loads
# Falco's "Linux Kernel Module Injection" tests, and memfd_create and prctl,
# whose own events in the libs 0.22+ schemas modify the consumer's state;
# -e trace= takes their names and strace's classes hold them.
. "$(dirname "$0")/sclib.sh"
e2e_isolate "$@"
out=$WORK/sc_generic.out

# -a: every syscall, as the driver
sc_trace sc_generic -- "$HELPERS/sc_generic"
expect_eq "$PRC" 0 "-a: sc_generic exits 0"
r=$(val init_module sc_generic) && expect_eq "${r%% *}" "-1" "init_module failed, nothing was loaded"
r=$(val finit_module sc_generic) && expect_eq "${r%% *}" "-1" "finit_module failed, nothing was loaded"
gcall init_module 175
gcall finit_module 313
gcall '<unknown>' 319 # memfd_create: no routing-table entry, ID 0
gcall prctl 157
gcall getpid 39
# exit_group never returns: an enter and no exit, as the driver
expect_grep "$out" '^>\|exit_group\|<NA>\|[^|]*\|231\|' "-a: exit_group enter, nativeID 231"

# the default set: the module loads, memfd_create and prctl
SC_SET= sc_trace sc_generic -- "$HELPERS/sc_generic"
expect_eq "$PRC" 0 "default: sc_generic exits 0"
gcall init_module 175
gcall finit_module 313
gcall '<unknown>' 319
gcall prctl 157
expect_no_grep "$out" '\|(getpid|exit_group)\|' "default: no other generic syscall"

# -e trace=NAME: a generic syscall by its name, and nothing else (execve
# too, so the process is named after the program, which the filter needs)
SC_SET="-e trace=execve,memfd_create" sc_trace sc_generic -- "$HELPERS/sc_generic"
expect_eq "$PRC" 0 "-e trace=memfd_create: sc_generic exits 0"
gcall '<unknown>' 319
expect_no_grep "$out" '\|(init_module|finit_module|prctl|getpid|openat)\|' "-e trace=memfd_create: nothing else"

# a strace class holds its generic members: %process has exit_group
SC_SET="-e trace=%process" sc_trace sc_generic -- "$HELPERS/sc_generic"
expect_grep "$out" '^>\|exit_group\|<NA>\|[^|]*\|231\|' "-e trace=%process: exit_group"
expect_no_grep "$out" '\|(prctl|getpid|init_module)\|' "-e trace=%process: no other generic syscall"
finish
