#!/bin/bash
# `pdig --rules FILE` traces only the syscalls the rules name plus
# libsinsp's repair set (Falco's base_syscalls.repair), and the consumer's
# state stays right: the replay test's scenario runs once with the default
# set and once with `--rules rules.yaml`, and
# - `sysdig -r` (0.29.3, schema 1.0.0) gives every event the rules look
#   at (execve, execveat, open*, connect exits) the same process, parent,
#   ancestor, exe, cwd, uid, args, fd and tuple fields in both captures;
# - Falco 0.44.1 replaying the --rules capture (schema falco-0.44) raises
#   the same alerts as on the full one, and the scenario's checks pass.
# And the set is what it should be: no recvfrom, read, write, no rule-less
# syscalls such as unlink or mkdir.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
[ "$(id -u)" = 0 ] || skip_test "needs root (the write-below-/etc scenario)"
command -v python3 >/dev/null || skip_test "needs python3 (the connect scenario's listener)"
command -v sysdig >/dev/null || skip_test "needs sysdig"

set_line=$("$PDIG" -v --rules "$RULES" true 2>&1 | sed -n 's/^pdig: tracing //p')
for sc in execve execveat openat connect socket close clone clone3 chdir setuid prctl; do
	case ",$set_line," in *",$sc,"*) ;; *) fail "--rules: $sc not traced: $set_line" ;; esac
done
for sc in recvfrom read write unlink mkdir sendto bind; do
	case ",$set_line," in *",$sc,"*) fail "--rules: $sc traced: $set_line" ;; esac
done

scenario_write
F='%evt.type|%proc.name|%proc.pname|%proc.aname[2]|%proc.exepath|%proc.cwd|%user.uid|%proc.args|%fd.num|%fd.type|%fd.name|%fd.sip|%fd.sport|%evt.rawres'
FILTER='evt.dir=< and evt.type in (execve, execveat, open, openat, openat2, connect)'
for mode in full rules; do
	args=()
	[ $mode = rules ] && args=(--rules "$RULES")
	scenario_run "${args[@]}" -w "$WORK/$mode.scap"
	expect_eq "$PRC" 0 "$mode: the scenario exits 0"
	sysdig -r "$WORK/$mode.scap" -p "*$F" "$FILTER" 2>"$WORK/$mode.err" |
		sed -E -e 's/pdig-falco-test\.[0-9]+/pdig-falco-test.N/g' -e 's/:[0-9]{4,5}->/:PORT->/g' \
			-e 's/\|[0-9a-f]+->[0-9a-f]+ /|UNIXADDR->UNIXADDR /g' >"$WORK/$mode.out"
	[ -s "$WORK/$mode.out" ] || fail "$mode: sysdig -r printed nothing: $(cat "$WORK/$mode.err")"
done
if ! cmp -s "$WORK/full.out" "$WORK/rules.out"; then
	fail "sysdig's state differs with --rules: $(diff "$WORK/full.out" "$WORK/rules.out" | head -20)"
fi
expect_grep "$WORK/rules.out" '^connect\|bash\|.*\|ipv4\|127\.0\.0\.1:PORT->127\.0\.0\.1:47913\|127\.0\.0\.1\|47913\|0$' \
	"the connect's tuple, from the socket the repair set traces"
expect_grep "$WORK/rules.out" '^execve\|cat\|sh\|bash\|/usr/bin/cat\|' "the tree (cat, sh, bash) from the clone/exec set"
awk -F'|' '$3 == "<NA>" || $5 == "<NA>" || $6 == "<NA>"' "$WORK/rules.out" >"$WORK/unknown"
[ ! -s "$WORK/unknown" ] || fail "processes left unknown with --rules: $(head -3 "$WORK/unknown")"
full_n=$(wc -l <"$WORK/full.out")
[ "$full_n" -ge 20 ] || fail "only $full_n events compared"

version=0.44.1
falco_bin "$version" >/dev/null
for mode in full rules; do
	args=()
	[ $mode = rules ] && args=(--rules "$RULES")
	scenario_run "${args[@]}" --schema falco-0.44 -w "$WORK/$mode-44.scap"
	expect_eq "$PRC" 0 "$mode: the scenario exits 0 (falco-0.44)"
	falco_replay "$version" "$WORK/$mode-44.scap" "$WORK/$mode-44.falco"
	grep -oE '(SHELL_SPAWN|SENSITIVE_READ|WRITE_ETC|OUTBOUND|FILELESS|TREE|FIELDS) .*' "$WORK/$mode-44.falco" |
		sed -E -e 's/pdig-falco-test\.[0-9]+/pdig-falco-test.N/g' -e 's/:[0-9]{4,5}->/:PORT->/g' \
			-e 's/(ppid_ok|exe_ino|ctime|mtime|pgid|vpgid)=[0-9]+/\1=N/g' | sort >"$WORK/$mode-44.alerts"
done
scenario_check "$WORK/rules-44.falco" "Falco $version, --rules"
if ! cmp -s "$WORK/full-44.alerts" "$WORK/rules-44.alerts"; then
	fail "Falco's alerts differ with --rules: $(diff "$WORK/full-44.alerts" "$WORK/rules-44.alerts" | head -20)"
fi
[ "$(wc -l <"$WORK/rules-44.alerts")" -ge 7 ] || fail "only $(wc -l <"$WORK/rules-44.alerts") alerts compared"
finish
