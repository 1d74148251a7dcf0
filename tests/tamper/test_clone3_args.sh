#!/bin/bash
# clone3's args, the ways the review of the clone3 race (issue 17 item 5)
# got a child past pdig: sizes the kernel accepts but pdig skipped (136,
# 68, 4096 bytes: every child escaped), a sibling toggling CLONE_UNTRACED
# in the original args (pdig read no flag, so followed nothing), and a
# sibling ending the process once an escaped child runs, before the
# clone3's exit stop (the child lived on, pdig silent).
. "$(dirname "$0")/lib_tamper.sh" "$@"
cp "$HELPERS/escape" "$WORK/"
chmod 755 "$WORK/escape"

for m in big odd page; do
	tamper_run escape "size-$m" clone3size "$m" 20
	expect_grep "$WORK/size-$m.stdout" "^clone3$m size=[0-9]+ escaped=0 traced=20 failed=0 " \
		"size $m: every child traced"
done
# a nonzero byte past the struct: the kernel's E2BIG, whatever the copy
tamper_run escape size-tail clone3size tail 5
expect_grep "$WORK/size-tail.stdout" '^clone3tail size=96 escaped=0 traced=0 failed=5 e2big=5' \
	"a nonzero tail still fails with E2BIG"

# a sibling toggling the flag in the original: an escaped child is caught
# at the clone3's exit; the racing process is killed or never won
tamper_run escape toggle clone3toggle 200
if [ "$PRC" = 137 ]; then
	expect_grep "$WORK/toggle.stderr" '^pdig: thread [0-9]+ made a child \([0-9]+\) that is not traced' \
		"toggle: pdig says why it killed it"
else
	expect_grep "$WORK/toggle.stdout" '^clone3toggle size=64 escaped=0 traced=200 ' "toggle: every child traced"
fi
expect_no_grep "$WORK/toggle.stdout" 'escaped=[1-9]' "toggle: no child ran untraced to report it"

# alive_escapes: processes still running $WORK/escape (zombies aside)
alive_escapes() {
	local p n=0
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$WORK/escape" ] || continue
		grep -q '^State:[[:space:]]*Z' "$p/status" 2>/dev/null || n=$((n + 1))
	done
	echo $n
}
for r in 1 2 3; do
	tamper_run escape "exit-$r" clone3exit
	sleep 0.3
	expect_eq "$(alive_escapes)" 0 "creator gone first (round $r): no escaped child left running"
done

# attached (-p: no filter, an escape runs free): a page-sized clone3 and the toggle
attached att-page clone3size page 20
expect_grep "$WORK/att-page.stdout" '^clone3page size=4096 escaped=0 traced=20 failed=0 ' "attached: size page: every child traced"
attached att-toggle clone3toggle 300
expect_no_grep "$WORK/att-toggle.stdout" 'escaped=[1-9]' "attached: toggle: no child ran untraced to report it"
if [ "$ERC" = 137 ]; then
	expect_grep "$WORK/att-toggle.stderr" '^pdig: thread [0-9]+ made a child \([0-9]+\) that is not traced' \
		"attached: toggle: pdig says why it killed it"
else
	expect_grep "$WORK/att-toggle.stdout" '^clone3toggle size=64 escaped=0 traced=300 ' "attached: toggle: every child traced"
fi
finish
