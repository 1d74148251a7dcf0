#!/bin/bash
# Strangers against pdig's side of the rings (a bare consumer, no Falco).
# The ring files are 0666, so any local user can do each of these:
# - truncate the pdig ring, or the udig objects, while pdig has them
#   mapped: pdig must not die of SIGBUS (its death kills what it traces);
#   it lets go of the ring, says so, and the program runs on;
# - blind the consumer with a bad magic for half a second: pdig lets go,
#   says so, and feeds the ring again once it is good;
# - scribble the consumer's tail: the consumer heals it, events flow;
# - make pdig attach to many rings, one after another: the current ring
#   stays out of its tracees' reach (the guard's table does not fill up);
# - its own tracee, in a ring folder every uid may write (a Kubernetes
#   emptyDir: 0777, no sticky bit), removes or renames the ring, or its
#   folder, to blind the consumer: each is refused, events keep flowing.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/plugin_lib.sh"

# a folder user nobody can reach, as a stranger would
ring=$(mktemp -d /tmp/pdig-ring-attacks.XXXXXX)
chmod 755 "$ring"
trap 'rm -rf "$ring"' EXIT
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
# poke FILE OFFSET HEX: write bytes into the file as a stranger
poke() {
	printf "$(echo "$3" | sed 's/../\\x&/g')" |
		as_nobody dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
summary() { sed -n 's/^pdig: ring: events written \([0-9]*\), dropped \([0-9]*\),.*/\1 \2/p' "$1"; }

# --- 1. the pdig ring truncated under pdig ---------------------------------
"$RING_FEED" consume "$ring" 4.5.1 6 >"$WORK/c-trunc" 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null || fail "truncate: no consumer"
PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'i=0; while [ $i -lt 30 ]; do cat /etc/hostname >/dev/null; i=$((i+1)); sleep 0.1; done' \
	2>"$WORK/p-trunc.err" &
pp=$!
sleep 1
as_nobody truncate -s 4096 "$ring/pdig-ring" && ok "truncate: user nobody cut the ring to its header" ||
	fail "truncate: nobody could not truncate the ring"
wait $pp
rc=$?
expect_eq "$rc" 0 "truncate: pdig survived and the program ran to its end (135 = SIGBUS)"
expect_grep "$WORK/p-trunc.err" 'pdig-ring: no longer feeding this ring: the file was truncated under pdig' \
	"truncate: pdig says it let go of the ring, and why"
expect_eq "$(grep -c 'truncated under pdig' "$WORK/p-trunc.err")" 1 "truncate: ... once"
wait $cp

# --- 1b. the udig objects truncated under pdig (a /dev/shm of its own) -------
if unshare -m true 2>/dev/null; then
	PDIG_RING_DIR=$ring/none unshare -m sh -c '
		mount -t tmpfs tmpfs /dev/shm || exit 99
		"$0" sh -c "i=0; while [ \$i -lt 20 ]; do cat /etc/hostname >/dev/null; i=\$((i+1)); sleep 0.1; done" 2>"$1" &
		sleep 1
		setpriv --reuid=nobody --regid=nogroup --clear-groups truncate -s 0 /dev/shm/udig_descs /dev/shm/udig_buf
		wait $!' "$PDIG" "$WORK/p-udig.err"
	rc=$?
	if [ "$rc" = 99 ]; then
		skip_part "udig truncate" "cannot mount a private /dev/shm"
	else
		expect_eq "$rc" 0 "udig truncate: pdig survived and the program ran to its end (135 = SIGBUS)"
		expect_grep "$WORK/p-udig.err" 'the udig ring .* was truncated under pdig: udig output stopped' \
			"udig truncate: pdig says so"
	fi
else
	skip_part "udig truncate" "unshare -m is not allowed here"
fi

# --- 2. a header blinded for half a second, then restored --------------------
# the mark is made at run time: the program's command line must not hold it
mark=pdig-after-42-blinding
"$RING_FEED" consume "$ring" 4.5.1 9 "$mark" >"$WORK/c-blind" 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null || fail "blind: no consumer"
# events all along the attack (pdig looks at the ring only when it has one)
PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'end=$(($(date +%s) + 3)); while [ $(date +%s) -lt $end ]; do :; done
	sleep 3; cat /nonexistent/pdig-after-$((6*7))-blinding 2>/dev/null; true' 2>"$WORK/p-blind.err" &
pp=$!
sleep 0.7
# magic and state (offset 32 = 2, closed), then the good bytes again
good_magic=$(od -An -tx1 -N8 "$ring/pdig-ring" | tr -d ' \n')
poke "$ring/pdig-ring" 0 4241444d41474943 && poke "$ring/pdig-ring" 32 02000000
sleep 0.5
poke "$ring/pdig-ring" 0 "$good_magic" && poke "$ring/pdig-ring" 32 01000000
wait $pp
expect_eq "$?" 0 "blind: the program ran"
expect_grep "$WORK/p-blind.err" 'pdig-ring: no longer feeding this ring: its consumer closed it or went away' \
	"blind: pdig says it let go of the ring"
expect_grep "$WORK/p-blind.err" 'not a pdig ring \(bad magic\)' "blind: pdig says why it refused it"
wait $cp
expect_grep "$WORK/c-blind" ' marked [1-9]' "blind: events made after the header was restored reach the consumer"

# --- 3. a scribbled tail -------------------------------------------------------
"$RING_FEED" consume "$ring" 4.5.1 4 >"$WORK/c-tail" 2>&1 &
cp=$!
"$RING_FEED" wait "$ring" 10 >/dev/null || fail "tail: no consumer"
poke "$ring/pdig-ring" 128 efbeadde00000000
sleep 0.3
PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null' 2>"$WORK/p-tail.err"
expect_eq "$?" 0 "tail: the program ran"
read -r written dropped < <(summary "$WORK/p-tail.err")
[ "${written:-0}" -gt 20 ] && [ "${dropped:-1}" = 0 ] && ok "tail: pdig wrote $written events, dropped none" ||
	fail "tail: pdig wrote ${written:-?}, dropped ${dropped:-?}: $(grep 'ring:' "$WORK/p-tail.err")"
wait $cp
expect_eq "$(cat "$WORK/c-tail")" "records ${written:-x} bad 0" "tail: the consumer got them all"

# --- 4. many rings in one run: the current one is still guarded --------------
PDIG_RING_DIR=$ring "$PDIG" sh -c "while [ ! -e '$ring/go' ]; do cat /etc/hostname >/dev/null; sleep 0.02; done
	if echo garbage >>'$ring/pdig-ring'; then echo WROTE; else echo REFUSED; fi" >"$WORK/p-many.out" 2>"$WORK/p-many.err" &
pp=$!
for i in $(seq 22); do
	"$RING_FEED" consume "$ring" 4.5.1 0.4 >/dev/null 2>&1
done
"$RING_FEED" consume "$ring" 4.5.1 3 >"$WORK/c-many" 2>&1 &
cp=$!
sleep 1
touch "$ring/go"
wait $pp
n=$(grep -c 'no longer feeding this ring' "$WORK/p-many.err")
[ "$n" -ge 20 ] && ok "many: pdig attached to $n rings one after another" || fail "many: pdig attached to only $n rings"
expect_eq "$(cat "$WORK/p-many.out")" REFUSED "many: the tracee still cannot write the current ring"
expect_no_grep "$WORK/p-many.err" 'cannot protect' "many: the guard's table never ran full"
wait $cp

# --- 5. the tracee takes the ring's name away (an emptyDir: 0777, no sticky) -
vol=$(mktemp -d /tmp/pdig-ring-vol.XXXXXX)
chmod 0777 "$vol"
mkdir -m 0777 "$vol/run"
"$RING_FEED" consume "$vol/run" 4.5.1 8 pdig-read-after-0attack >"$WORK/c-name" 2>&1 &
cp=$!
"$RING_FEED" wait "$vol/run" 10 >/dev/null || fail "name: no consumer"
# each round: one attack, then one watched read (the mark made at run time)
as_nobody env PDIG_RING_DIR="$vol/run" "$PDIG" -o "$vol/events.txt" sh -c '
	r=$0/run/pdig-ring
	for a in "rm -f $r" "mv -f $r $0/run/x" "ln -s /x $0/y" "mv -f $0/y $r" "mv $0/run $0/moved" \
		"rm -f $r" "mv -f $r $0/run/x"; do
		if $a 2>/dev/null; then echo "DONE $a"; else echo "REFUSED $a"; fi
		cat /nonexistent/pdig-read-after-$((0))attack 2>/dev/null
		sleep 0.15
	done' "$vol" >"$WORK/p-name.out" 2>"$WORK/p-name.err"
expect_eq "$?" 0 "name: the program ran to its end"
expect_eq "$(grep -c '^REFUSED' "$WORK/p-name.out")" 6 "name: unlink, rename from, rename over and of the folder: all 6 refused ($(grep '^DONE' "$WORK/p-name.out" | grep -v 'ln -s' | tr '\n' ';'))"
[ -f "$vol/run/pdig-ring" ] && ok "name: the ring is still there" || fail "name: the ring is gone"
wait $cp
read -r marked < <(sed -n 's/.* marked \([0-9]*\).*/\1/p' "$WORK/c-name")
[ "${marked:-0}" -ge 7 ] && ok "name: the reads after each of the 7 attacks reached the consumer ($marked marked)" ||
	fail "name: only ${marked:-0} marked events reached the consumer after 7 attacks: $(cat "$WORK/c-name")"
expect_no_grep "$WORK/p-name.err" 'no longer feeding' "name: pdig never let go of the ring"
expect_grep "$vol/events.txt" '< unlinkat res=-13\(EACCES\) .*name=[^ ]*/run/pdig-ring' "name: the refused unlink is an event, as the driver's"
expect_grep "$vol/events.txt" '< renameat2 res=-13\(EACCES\) .*newpath=[^ ]*/run/pdig-ring' "name: the refused rename over the ring is an event"
rm -rf "$vol"

# --- 6. a stale ring left at the name: closed, or its consumer gone -----------
# pdig refuses it once, saying so, instead of attaching and letting go
# every 100 ms; a consumer making the ring again is fed at once
for kind in closed dead; do
	"$RING_FEED" consume "$ring" 4.5.1 0.5 >/dev/null 2>&1 &
	cp=$!
	"$RING_FEED" wait "$ring" 10 >/dev/null || fail "stale $kind: no consumer"
	cp "$ring/pdig-ring" "$ring/stale" # a copy: nobody holds its lock
	chmod 0666 "$ring/stale"
	wait $cp
	[ "$kind" = closed ] && poke "$ring/stale" 32 02000000
	mv "$ring/stale" "$ring/pdig-ring"
	PDIG_RING_DIR=$ring "$PDIG" -v sh -c 'end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do cat /etc/hostname >/dev/null; sleep 0.05; done' \
		2>"$WORK/p-stale-$kind.err" &
	pp=$!
	sleep 1
	"$RING_FEED" consume "$ring" 4.5.1 2 >"$WORK/c-stale-$kind" 2>&1 &
	cp=$!
	wait $pp
	expect_eq "$?" 0 "stale $kind: the program ran"
	expect_eq "$(grep -c 'a stale ring' "$WORK/p-stale-$kind.err")" 1 "stale $kind: pdig says once that the ring is stale"
	expect_no_grep "$WORK/p-stale-$kind.err" 'no longer feeding' "stale $kind: pdig never attached to it"
	wait $cp
	expect_grep "$WORK/c-stale-$kind" '^records [1-9][0-9]* bad 0' "stale $kind: the consumer that made the ring again was fed"
done
finish
