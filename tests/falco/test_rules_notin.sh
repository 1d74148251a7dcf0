#!/bin/bash
# A rule written as `not evt.type in (...)` fires when its program runs
# under `pdig --rules` that rule file, with Falco 0.44.1 live on the pdig
# plugin: pdig traces every type but those (as Falco's own selection
# would), so the mkdir of the marker reaches Falco, and the open of a
# marker file does not: a second rule file, given to Falco only, would
# alert on any open naming the marker, so its silence shows pdig left the
# opens out (and a second run, with -e trace=openat added, shows it
# alerts when they are traced). With the text scan pdig had before, the rule named no
# syscall and never fired.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
e2e_isolate "$@"
[ -n "${PLUGIN:-}" ] && [ -e "$PLUGIN" ] || skip_test "no libpdig.so in this build (the musl build makes none)"
FALCO=$(falco_bin 0.44.1) || exit 77

cat >"$WORK/notin.yaml" <<'Y'
- rule: pdig not in
  desc: any event but an open or an exec that names the marker
  condition: >
    not evt.type in (open, openat, openat2,
                     execve, execveat)
    and evt.dir=< and evt.args contains pdig-notin-marker
  output: "NOTIN type=%evt.type proc=%proc.name"
  priority: WARNING
Y
"$PDIG" -v --rules "$WORK/notin.yaml" true 2>"$WORK/set.err" >/dev/null
set_line=$(sed -n 's/^pdig: tracing //p' "$WORK/set.err")
case ",$set_line," in *,mkdir,*) ok "mkdir traced" ;; *) fail "mkdir not traced: $set_line" ;; esac
case ",$set_line," in *,openat,*) fail "openat traced: the rule excludes it, and nothing else needs it" ;; esac

# Falco only: catches an open pdig should not have traced
cat >"$WORK/spy.yaml" <<'Y'
- rule: pdig spy
  desc: an open naming the marker (pdig's --rules set leaves opens out)
  condition: evt.type in (open, openat, openat2) and evt.dir=< and evt.args contains pdig-notin-marker
  output: "SPY type=%evt.type file=%fd.name"
  priority: WARNING
Y
printf 'stdout_output:\n  enabled: true\n' >"$WORK/live.yaml"
LD_PRELOAD=${FALCO_PRELOAD:-} "$FALCO" -c "$WORK/live.yaml" -o watch_config_files=false -o engine.kind=nodriver \
	-o priority=debug -o plugins[0].name=pdig -o "plugins[0].library_path=$PLUGIN" -o load_plugins[0]=pdig \
	-r "$WORK/notin.yaml" -r "$WORK/spy.yaml" >"$WORK/falco.out" 2>&1 &
FPID=$!
for i in $(seq 200); do [ -e /dev/shm/pdig-ring ] && break; sleep 0.05; done
[ -e /dev/shm/pdig-ring ] || fail "Falco made no ring: $(tail -3 "$WORK/falco.out")"
echo x >"$WORK/pdig-notin-marker-file"
"$PDIG" -v --rules "$WORK/notin.yaml" bash -c \
	"cat $WORK/pdig-notin-marker-file >/dev/null && mkdir $WORK/pdig-notin-marker-dir" 2>"$WORK/pdig.err"
expect_eq "$?" 0 "the program under pdig --rules exits 0"
expect_grep "$WORK/pdig.err" '^pdig: ring: events written [1-9][0-9]*, dropped 0,' "pdig fed the plugin and dropped nothing"
# the open came first: once the mkdir's alert is out, Falco has read past it
for i in $(seq 300); do grep -q 'NOTIN type=mkdir' "$WORK/falco.out" && break; sleep 0.05; done
# the control: the same rules with the opens traced too
echo x >"$WORK/pdig-notin-marker-control"
"$PDIG" -e trace=open,openat --rules "$WORK/notin.yaml" cat "$WORK/pdig-notin-marker-control" >/dev/null 2>"$WORK/ctl.err"
expect_eq "$?" 0 "the control run exits 0"
for i in $(seq 300); do grep -q 'SPY type=.*marker-control' "$WORK/falco.out" && break; sleep 0.05; done
kill -INT "$FPID"
wait "$FPID"
rc=$?
[ $rc -lt 128 ] && ok "Falco exited by itself ($rc)" || fail "Falco died of signal $((rc - 128)): $(tail -3 "$WORK/falco.out")"
expect_grep "$WORK/falco.out" 'NOTIN type=mkdir(at)? proc=mkdir' "the not-in rule fired on the mkdir"
expect_no_grep "$WORK/falco.out" 'SPY type=.*marker-file' "no open reached Falco: pdig's --rules set left the opens out"
expect_grep "$WORK/falco.out" 'SPY type=open(at)? file=.*pdig-notin-marker-control' \
	"the spy rule fires once -e trace=openat adds the opens (the check above can fail)"
finish
