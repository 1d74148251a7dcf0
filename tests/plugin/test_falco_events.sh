#!/bin/bash
# Falco 0.44.1 and 0.42.0 with libpdig.so: the plugin finds each host's
# event schema in its memory (4.5.1 and 4.0.1) and asks producers for it;
# events laid out in that schema (make_events.py, from the libs dumps) and
# written into the ring by a producer make the test rules fire exactly
# where they should, with the process tree (proc.pname, proc.aname) built
# from them; the events the host could not parse are skipped and logged,
# and Falco neither crashes nor stops on them.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

for v in "${FALCO_VERSIONS[@]}"; do
	case $v in
	0.44.1) want=4.5.1 libs=0.25.4 ;;
	0.42.0) want=4.0.1 libs=0.22.1 ;;
	esac
	dump=$SCHEMAS/libs-$libs.json
	[ -r "$dump" ] || skip_test "no schema dump $dump (set PDIG_SCHEMA_DUMPS)"
	ring=$WORK/ring-$v
	mkdir -p "$ring"
	out=$WORK/falco-$v.out
	start_falco "$v" "$out" "{\"ring_dir\":\"$ring\"}" ""
	got=$(wait_ring "$ring") || { fail "$v: no ring: $(tail -3 "$out")"; stop_falco "$out" "$v"; continue; }
	expect_eq "$got" "$want" "$v: the plugin detected the host's schema and asks for it"
	expect_grep "$out" "pdig: event schema $want .*host event table: [0-9]+ events" "$v: the plugin says which schema and why"
	python3 "$TESTS_PLUGIN/make_events.py" "$dump" "$WORK/ev-$v" || fail "$v: make_events"
	expect_eq "$("$RING_FEED" feed "$ring" "$WORK/ev-$v")" "put 9 lost 0" "$v: the producer put every event"
	for i in $(seq 100); do grep -q 'SHELL_SPAWN proc=sh' "$out" && grep -q SENSITIVE_READ "$out" && break; sleep 0.1; done
	sleep 0.5
	stop_falco "$out" "$v"
	expect_eq "$FRC" 0 "$v: Falco exited cleanly"
	expect_grep "$out" 'SENSITIVE_READ file=/etc/shadow proc=cat pname=sh aname2=bash pid=4242 cmdline=cat /etc/shadow' \
		"$v: reading /etc/shadow alerts, with the parent from the events"
	expect_eq "$(count "$out" SENSITIVE_READ)" 1 "$v: /etc/hostname and the skipped events raise nothing"
	expect_grep "$out" 'SHELL_SPAWN proc=sh pname=bash aname2=[^ ]+ pid=4100 cmdline=sh -c cat /etc/shadow; ls' \
		"$v: the shell spawn alerts with its parent"
	expect_no_grep "$out" 'SHELL_SPAWN proc=(ls|cat)' "$v: no shell alert for ls or cat"
	expect_grep "$out" 'skipping events the host could not parse \(first: type 307, a param count other than the host' \
		"$v: the bad events were skipped and logged once"
	expect_eq "$(grep -c 'skipping events' "$out")" 1 "$v: ... and logged only once"
	[ -e "$ring/pdig-ring" ] && fail "$v: the ring file outlived its consumer" || ok "$v: the ring file is gone with Falco"
done
finish
