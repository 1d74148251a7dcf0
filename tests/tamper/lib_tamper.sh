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
# attack_run NAME ARGS...: the attacker under pdig, with a live consumer;
# its report in $WORK/NAME.stdout, the consumer's output in $WORK/NAME.out.
attack_run() {
	local name=$1; shift
	consume_run "$WORK/$name.out" "$F" -- timeout -k 2 10 "${AS_USER[@]}" "$WORK/pdig" ${PDIG_ARGS:-} "$WORK/attack" "$@" \
		>"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
}
# the events made after the attack reached the consumer
expect_after() {
	expect_grep "$WORK/$1.out" '^attack\|<\|(open|openat)\|SUCCESS\|.*name=/etc/hostname' "$1: later events still reach the consumer"
}
