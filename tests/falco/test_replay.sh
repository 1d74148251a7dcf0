# A capture pdig writes in a current schema (-w --schema) replays in the
# real Falco 0.42.0 and 0.44.1: rules modelled on Falco's stable rules fire
# on real programs run under pdig (a shell, a sensitive file read, a write
# below /etc, an outbound connect, a fileless memfd exec, a process tree)
# and stay quiet on the controls beside them.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
[ "$(id -u)" = 0 ] || skip_test "needs root (the write-below-/etc scenario)"
command -v python3 >/dev/null || skip_test "needs python3 (the connect scenario's listener)"

scenario_write

for version in 0.42.0 0.44.1; do
	falco_bin "$version" >/dev/null
	schema=$(falco_schema "$version")
	cap="$WORK/$version.scap"
	scenario_run --schema "$schema" -w "$cap"
	rc=$PRC
	expect_eq "$rc" 0 "pdig's exit status under $schema"
	out="$WORK/$version.out"
	falco_replay "$version" "$cap" "$out"

	scenario_check "$out" "$version"
done
finish
