#!/bin/bash
# A sibling thread cannot slip pdig in as a file's signal owner between
# pdig's check and the kernel's read: F_SETOWN_EX and FIOSETOWN pass the
# owner in memory, and setown_race's flipper rewrites it (its own pid <->
# pdig's) as fast as it can while the main thread sets the owner of a new
# pipe or socket, 4000 rounds, reading back what the kernel set. pdig pins
# the checked value (src/tracer/guard_owner.c): F_OWNER_PID/PGRP and
# FIOSETOWN become F_SETOWN with the owner in a register, F_OWNER_TID reads
# a copy below the stack. On the build before, pdig was left the owner in
# hundreds of rounds. The program also checks that rsi and rdx come back
# from each call as they went in (pdig puts them back at the exit).
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/setown_race" "$WORK/"
chmod 755 "$WORK/setown_race"

for how in ex tid ioctl; do
	timeout -k 2 60 "${AS_USER[@]}" "$WORK/pdig" -o /dev/null "$WORK/setown_race" $how 4000 \
		>"$WORK/$how.stdout" 2>"$WORK/$how.stderr"
	expect_eq "$?" 0 "$how: pdig and the program end normally"
	cat "$WORK/$how.stdout"
	line=$(grep '^rounds=' "$WORK/$how.stdout")
	case "$line" in
	"rounds=4000 ok="*" won=0 regs=0") ok "$how: the sibling never made pdig the owner, registers intact: $line" ;;
	*) fail "$how: $line" ;;
	esac
	# the race was run: many calls passed the check (the flipper's own pid)
	okn=${line#*ok=}; okn=${okn%% *}
	[ "${okn:-0}" -ge 200 ] && ok "$how: $okn owner calls passed the check" || fail "$how: only '$okn' owner calls passed"
done
finish
