#!/bin/bash
# Zero config: Falco 0.44.1 and 0.42.0 load libpdig.so with no init config
# and no open params, and a plain `pdig CMD` feeds them through
# /dev/shm/pdig-ring (a private /dev/shm here). The test rules fire on a
# shell, on reading /etc/shadow, with the parents pdig's events give, and
# not on reading /etc/hostname nor for programs that are not shells.
# pdig reports no drop and no bad event is logged by the plugin.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"
e2e_isolate "$@"

for v in "${FALCO_VERSIONS[@]}"; do
	out=$WORK/falco-$v.out
	start_falco "$v" "$out" "" ""
	wait_ring /dev/shm >/dev/null || { fail "$v: no ring in /dev/shm: $(tail -3 "$out")"; stop_falco "$out" "$v"; continue; }
	"$PDIG" -v sh -c 'cat /etc/shadow >/dev/null; sh -c "sh -c \"cat /etc/shadow\"" >/dev/null; cat /etc/hostname >/dev/null; ls / >/dev/null' \
		2>"$WORK/pdig-$v.err"
	expect_eq "$?" 0 "$v: the program ran under pdig"
	if grep -q "cannot write" "$WORK/pdig-$v.err"; then
		fail "$v: pdig did not feed the ring: $(cat "$WORK/pdig-$v.err")"
	fi
	expect_grep "$WORK/pdig-$v.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' "$v: pdig wrote to the ring and dropped nothing"
	for i in $(seq 100); do [ "$(count "$out" SENSITIVE_READ)" -ge 2 ] && break; sleep 0.1; done
	sleep 0.5
	stop_falco "$out" "$v"
	expect_eq "$FRC" 0 "$v: Falco exited cleanly"
	expect_grep "$out" 'SENSITIVE_READ file=/etc/shadow proc=cat pname=sh aname2=[^ ]+ pid=[0-9]+ cmdline=cat /etc/shadow' \
		"$v: cat /etc/shadow under pdig alerts"
	expect_grep "$out" 'SENSITIVE_READ file=/etc/shadow proc=cat pname=sh aname2=sh pid=' \
		"$v: ... with its parent and grandparent shells (proc.pname, proc.aname)"
	expect_eq "$(count "$out" SENSITIVE_READ)" 2 "$v: exactly the two reads of /etc/shadow alert (not /etc/hostname)"
	expect_grep "$out" 'SHELL_SPAWN proc=sh pname=sh aname2=[^ ]+ pid=[0-9]+ cmdline=sh -c cat /etc/shadow' "$v: a shell started by a shell alerts"
	expect_eq "$(count "$out" SHELL_SPAWN)" 3 "$v: one shell alert per shell"
	expect_no_grep "$out" 'SHELL_SPAWN proc=(cat|ls)' "$v: no shell alert for cat or ls"
	expect_no_grep "$out" 'skipping events' "$v: the plugin found no event it had to skip"
done
finish
