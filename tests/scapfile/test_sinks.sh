#!/bin/bash
# -w, -o and the live udig ring at once: all three get every event. Then
# -j -o: valid JSON lines that describe a known program.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
F='*%evt.num|%proc.name|%thread.tid|%evt.dir|%evt.type|%fd.name'
consume_run "$WORK/live" "$F" -- "$PDIG" -w "$WORK/all.scap" -o "$WORK/all.txt" /bin/cat /etc/hostname >/dev/null
expect_eq "$PRC" 0 "cat exits 0 with three sinks"
sysdig -r "$WORK/all.scap" -v -p "$F" >"$WORK/file" 2>"$WORK/file.err"
expect_eq "$?" 0 "sysdig -r reads the file"
nlive=$(wc -l <"$WORK/live") nfile=$(wc -l <"$WORK/file") ntext=$(wc -l <"$WORK/all.txt")
[ "$nlive" -gt 20 ] && ok "live got $nlive events" || fail "live got $nlive events"
expect_eq "$nfile" "$nlive" "the file has as many events as live"
expect_eq "$ntext" "$nlive" "the text output has as many lines as live"
cmp -s "$WORK/live" "$WORK/file" && ok "file = live" || fail "file differs from live: $(diff "$WORK/live" "$WORK/file" | head -3)"
expect_grep "$WORK/live" '\|cat\|[0-9]+\|<\|openat\|/etc/hostname$' "live: openat of /etc/hostname"
expect_grep "$WORK/all.txt" '^[0-9:.]+ cat\([0-9]+\) < openat fd=[0-9]+\(/etc/hostname\)' "text: openat exit with the fd name"
expect_grep "$WORK/all.txt" '^[0-9:.]+ cat\([0-9]+\) > procexit' "text: procexit"
expect_no_grep "$WORK/live.err" 'Driver Drops:[1-9]' "no drops in the ring"

"$PDIG" -j -o "$WORK/out.json" /bin/cat /etc/hostname >/dev/null
expect_eq "$?" 0 "cat exits 0 with -j -o"
python3 - "$WORK/out.json" <<'PY' >"$WORK/json.check" 2>&1
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) > 20, f"only {len(lines)} lines"
evs = [json.loads(l) for l in lines]  # raises on any invalid line
op = [e for e in evs if e["type"] == "openat" and e["dir"] == "<"
      and e["args"].get("name") == "/etc/hostname"]
assert op, "no openat exit for /etc/hostname"
e = op[0]
assert isinstance(e["args"]["fd"], int) and e["args"]["fd"] >= 0, e
assert e["args"].get("fd_name") == "/etc/hostname", e
assert e["comm"] == "cat", e
assert all(isinstance(x["ts"], int) and x["dir"] in "<>" for x in evs)
assert any(x["type"] == "procexit" for x in evs), "no procexit"
print(f"json ok: {len(evs)} lines")
PY
if [ $? -eq 0 ]; then ok "$(cat "$WORK/json.check")"; else fail "JSON check: $(tail -3 "$WORK/json.check")"; fi
finish
