#!/bin/bash
# A tracee's own seccomp filter cannot take its syscalls away from pdig
# (src/tracer/guard_seccomp.c). seccomp's highest-precedence action wins,
# and ERRNO, USER_NOTIF and TRAP outrank pdig's RET_TRACE: on main before
# this, the calls those filters covered left no event at all.
#  - the install (seccomp(2), prctl(PR_SET_SECCOMP)) is an event even when
#    -e leaves the call out;
#  - a call the filter denies with ERRNO (Docker's profile: unshare, mount,
#    setns, bpf) fails as without pdig and has its exit event with EPERM,
#    as under the driver, and an enter (the driver has none);
#  - a USER_NOTIF listener is refused (EBUSY), so an openat answered with
#    CONTINUE cannot run unseen; without a listener the call fails with
#    ENOSYS and says so;
#  - a TRAP'd call has its exit event before the SIGSYS;
#  - a filter computing its action (RET A) is refused (EINVAL).
. "$(dirname "$0")/lib_tamper.sh" "$@"
# no %evt.res: sysdig 0.29.3 crashes (SIGSEGV) evaluating it on any bpf
# exit, the driver's too; the result is in the exit's arguments
F='*%proc.name|%evt.dir|%evt.type|%evt.args|%fd.name'

sandbox_run() { tamper_run sandbox "$@"; }
# without pdig, what the program itself sees
plain() { timeout -k 2 10 "${AS_USER[@]}" "$WORK/sandbox" "$@" 2>&1; }

expect_same_as_plain() { # NAME ARGS...: the program sees what it sees without pdig
	local name=$1; shift
	local want
	want=$(plain "$@")
	expect_eq "$(cat "$WORK/$name.stdout")" "$want" "$name: the program sees what it sees without pdig"
}

for how in errno errno-prctl; do
	sandbox_run $how $how
	expect_eq "$PRC" 0 "$how: pdig and the program end normally"
	expect_same_as_plain $how $how
	expect_grep "$WORK/$how.stdout" '^buffer=intact$' "$how: the program's filter buffer is as it left it"
	if [ $how = errno ]; then
		expect_grep "$WORK/$how.out" '^sandbox\|>\|seccomp\|' "$how: the install's enter is an event (seccomp is not traced by default)"
		expect_grep "$WORK/$how.out" '^sandbox\|<\|seccomp\|' "$how: the install's exit is an event"
	else
		expect_grep "$WORK/$how.out" '^sandbox\|>\|prctl\|' "$how: the install's enter is an event (prctl is not traced by default)"
		expect_grep "$WORK/$how.out" '^sandbox\|<\|prctl\|' "$how: the install's exit is an event"
	fi
	for call in unshare mount setns bpf; do
		expect_grep "$WORK/$how.out" "^sandbox\|<\|$call\|res(_or_fd)?=-1\(EPERM\)" "$how: the denied $call has its exit event with EPERM"
		expect_grep "$WORK/$how.out" "^sandbox\|>\|$call\|" "$how: and its enter"
	done
	expect_after $how sandbox
done

# -e naming neither install call: still stopped and reported
PDIG_ARGS="-e trace=openat,open,unshare,execve" sandbox_run narrow errno
expect_grep "$WORK/narrow.out" '^sandbox\|<\|seccomp\|' "-e without seccomp: the install is an event"
expect_grep "$WORK/narrow.out" '^sandbox\|<\|unshare\|res=-1\(EPERM\)' "-e without seccomp: the denied unshare has its exit event"

# USER_NOTIF with a listener and a thread answering CONTINUE: refused
echo secret >"$WORK/secret"
chmod 644 "$WORK/secret"
sandbox_run notif notif "$WORK/secret"
expect_grep "$WORK/notif.stdout" '^install=EBUSY$' "a USER_NOTIF listener is refused with EBUSY"
expect_grep "$WORK/notif.out" '^sandbox\|<\|seccomp\|res=-16\(EBUSY\)' "the refused install is an event with EBUSY"
expect_grep "$WORK/notif.out" "^sandbox\|<\|openat\|fd=[0-9]+.*name=$WORK/secret" "the openat the filter would have hidden is an event"
expect_after notif sandbox
sandbox_run nolistener notif-nolistener
expect_same_as_plain nolistener notif-nolistener
expect_grep "$WORK/nolistener.out" '^sandbox\|<\|openat\|fd=-38\(ENOSYS\).*name=/etc/hostname' "USER_NOTIF with no listener: the openat's exit says ENOSYS"

# TRAP: the call's exit (the value the program and the driver see), then SIGSYS
sandbox_run trap trap
expect_same_as_plain trap trap
expect_grep "$WORK/trap.stdout" '^trap=272 rc=272$' "the trapped unshare raised SIGSYS"
expect_grep "$WORK/trap.out" '^sandbox\|<\|unshare\|' "the trapped unshare has its exit event"
expect_grep "$WORK/trap.out" '^sandbox\|>\|signaldeliver\|.*SIGSYS' "the SIGSYS is an event"
expect_after trap sandbox

# a thread writing the original ERRNO back while pdig's rewrite is in the
# buffer: the process is killed at the install's exit, or its denied calls
# all have their events; never an unshare without one
PDIG_ARGS="-e trace=unshare,execve" sandbox_run race race 200
calls=$(grep -c '^call=' "$WORK/race.stdout")
events=$(grep -c '^sandbox|<|unshare|res=-1(EPERM)' "$WORK/race.out")
expect_eq "$events" "$calls" "race: each of the $calls unshares after an install has its event"
if grep -q 'changed while it was being installed' "$WORK/race.stderr"; then
	ok "race: pdig caught the racing thread and killed the process (after $calls installs)"
	expect_eq "$PRC" 137 "race: pdig exits with the killed program's status"
fi

# a later filter of RET_TRACE must not undo an earlier ERRNO (a container's
# payload undoing its runtime's profile): without pdig ERRNO outranks TRACE
# (EPERM); under pdig the TRACE, meant for a tracer the program cannot
# have, fails the call with ENOSYS as with no tracer. It never runs.
sandbox_run undo undo
expect_grep "$WORK/undo.stdout" '^undo=OK$' "undo: the TRACE filter is installed"
expect_grep "$WORK/undo.stdout" '^uname=E(PERM|NOSYS)$' "undo: uname stays denied"
expect_after undo sandbox

# an action computed at run time cannot be rewritten: refused
sandbox_run reta ret-a
expect_grep "$WORK/reta.stdout" '^install=EINVAL$' "a RET A filter is refused with EINVAL"
expect_grep "$WORK/reta.out" '^sandbox\|<\|seccomp\|res=-22\(EINVAL\)' "the refused install is an event with EINVAL"
expect_after reta sandbox
finish
