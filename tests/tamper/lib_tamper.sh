# Shared by the tamper tests: pdig and the attacker run as uid 65534 with
# no capabilities, so only what the kernel and pdig refuse stops them (as
# root, CAP_SYS_PTRACE would let every attack through).
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
AS_USER=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all)
cp "$PDIG" "$WORK/pdig"
cp "$HELPERS/attack" "$HELPERS/sandbox" "$WORK/"
chmod 755 "$WORK/pdig" "$WORK/attack" "$WORK/sandbox"
F='*%proc.name|%evt.dir|%evt.type|%evt.res|%evt.args|%fd.name'
# tamper_run PROG NAME ARGS...: helper PROG (attack, sandbox) under pdig,
# with a live consumer; its report in $WORK/NAME.stdout, the consumer's
# output in $WORK/NAME.out.
tamper_run() {
	local prog=$1 name=$2; shift 2
	consume_run "$WORK/$name.out" "$F" -- timeout -k 2 10 "${AS_USER[@]}" "$WORK/pdig" ${PDIG_ARGS:-} "$WORK/$prog" "$@" \
		>"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
}
attack_run() { tamper_run attack "$@"; }
# expect_after NAME [PROG]: the events made after the attack reached the
# consumer (PROG's open of /etc/hostname; F with %evt.res or without)
expect_after() {
	expect_grep "$WORK/$1.out" "^${2:-attack}\|<\|(open|openat)\|(SUCCESS\||fd=[0-9]).*name=/etc/hostname" \
		"$1: later events still reach the consumer"
}
# attached NAME ARGS...: escape ARGS... under pdig -p, started once pdig
# is its tracer; its report in $WORK/NAME.stdout, pdig's stderr in
# $WORK/NAME.stderr, its exit status in ERC
attached() {
	local name=$1; shift
	rm -f "$WORK/go"
	ESCAPE_GO=$WORK "${AS_USER[@]}" "$WORK/escape" "$@" >"$WORK/$name.stdout" 2>&1 &
	local ep=$! i tp
	# seized before setpriv's exec, it is not dumpable yet: pdig gets EPERM
	for i in $(seq 250); do
		[ "$(readlink "/proc/$ep/exe" 2>/dev/null)" = "$WORK/escape" ] && break
		sleep 0.02
	done
	"${AS_USER[@]}" "$WORK/pdig" -p "$ep" 2>"$WORK/$name.stderr" &
	local pp=$!
	for i in $(seq 250); do
		# its tracer is one of pdig's threads (several with -p, docs/scale.md)
		tp=$(awk '$1 == "TracerPid:" {print $2}' "/proc/$ep/status" 2>/dev/null)
		[ -n "$tp" ] && [ "$tp" != 0 ] && [ -d "/proc/$pp/task/$tp" ] && break
		sleep 0.02
	done
	touch "$WORK/go"
	wait "$ep"
	ERC=$?
	wait "$pp"
}
