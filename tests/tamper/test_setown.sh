#!/bin/bash
# A tracee cannot signal pdig through a file's owner: fcntl F_SETOWN /
# F_SETOWN_EX or ioctl FIOSETOWN naming pdig (its parent in spawn mode) or
# pdig's process group, then F_SETSIG and O_ASYNC and a write, would have
# the kernel send pdig SIGKILL, SIGTERM, an RT signal or the default SIGIO
# (which ends a process that does not handle it). The owner call fails
# with EPERM and is an event; an owner of the program's own pid works.
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/setown" "$WORK/"
chmod 755 "$WORK/setown"

n=0
check() { # HOW TARGET SIG
	local name=own$((n++))
	tamper_run setown $name "$@"
	expect_eq "$PRC" 0 "$*: pdig and the program end normally"
	expect_grep "$WORK/$name.stdout" '^own=EPERM$' "$*: the owner call fails with EPERM"
	expect_grep "$WORK/$name.out" '^setown\|<\|(fcntl|ioctl)\|EPERM' "$*: its exit is an event saying EPERM"
	expect_after $name setown
}
for sig in 9 15 0 40; do
	check fcntl ppid $sig
done
check fcntl -pgrp 9
check fcntl -pgrp 0
check ex ppid 9
check ex -pgrp 15
check tid ppid 40
check ioctl ppid 9
check ioctl -pgrp 0

# an owner that is not pdig runs as without pdig: the program gets its signal
for how in fcntl ex ioctl; do
	for sig in 0 40; do
		name=self$((n++))
		tamper_run setown $name $how self $sig
		expect_eq "$PRC" 0 "$how self $sig: pdig and the program end normally"
		expect_grep "$WORK/$name.stdout" '^own=OK$' "$how self $sig: the owner call runs"
		expect_grep "$WORK/$name.stdout" "^got=${sig/#0/29}\$" "$how self $sig: the program gets its signal"
	done
done
finish
