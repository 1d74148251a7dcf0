# Shared by the availability-mode tests: run avail_load under pdig and
# check the exact account of what was shed.
. "$(dirname "$0")/../e2e/lib.sh"
SECS=4        # phase 1: paced load
PAUSE=1500    # quiet, ms: longer than the budget's quiet second
ROUNDS2=100   # phase 2: to be traced in full
RATE=6000     # rounds a second in phase 1 (4 traced calls each, more every 64th)
RATE2=50      # in phase 2: about 0.003 CPU of pdig's, well within the budgets tested (100 went over 0.05 in bursts at load 5 on 2 CPUs)
FLOOR_BUDGET=0.05 # below what the bare stops of phase 1 cost (0.13-0.24 CPU here)
KINDS="sendto recvfrom openat close socket"

# made KIND PHASE FILE: how many KIND calls avail_load made in PHASE
made() { sed -n "s/^$2 .*\\b$1=\\([0-9]*\\).*/\\1/p" "$3"; }

# shed KIND ERRFILE: the events pdig -v says it shed for syscall KIND
shed() {
	local n
	n=$(sed -n 's/^pdig: --max-cpu: events shed by syscall://p' "$2" | tr ' ' '\n' |
		awk -v k="$1" 'prev == k { print; exit } { prev = $0 }')
	echo "${n:-0}"
}

# check_account NAME EVENTS: EVENTS holds one "TYPE DIR NAME" line per event
# as the consumer saw it, in order (drop events included). Per kind, the
# events seen plus those pdig says it shed are exactly twice the calls made
# (enter and exit); process, network and sensitive-file events all
# survive; after the phase-2 marker every call is there and no drop marker
# is left open.
check_account() {
	local name=$1 ev=$2 out=$WORK/$1.out err=$WORK/$1.err k
	for k in $KINDS; do
		local m=$(( $(made $k phase1 "$out") + $(made $k phase2 "$out") ))
		[ $k = openat ] && m=$((m + 1)) # the marker
		local seen s
		seen=$(awk -v k=$k '$1 == k && ($2 == ">" || $2 == "<")' "$ev" | wc -l)
		s=$(shed $k "$err")
		expect_eq "$((seen + s))" "$((2 * m))" "$name: $k: $seen seen + $s shed = 2 x $m made"
	done
	expect_eq "$(shed socket "$err")" 0 "$name: no socket event shed"
	local forks=$(( $(made clone phase1 "$out") + $(made clone phase2 "$out") ))
	# the parent's enter and exit, the child's exit; +1: the program itself
	expect_eq "$(grep -c '^clone ' "$ev")" "$((3 * forks + 1))" "$name: every clone event of $forks forks"
	expect_eq "$(grep -c '^procexit ' "$ev")" "$((forks + 1))" "$name: every procexit"
	local passwd=$(( $(made socket phase1 "$out") + $(made socket phase2 "$out") ))
	expect_eq "$(grep -c '^openat < /etc/passwd$' "$ev")" "$passwd" "$name: every open of /etc/passwd (sensitive)"
	# phase 2, after the marker: in full
	local at
	at=$(grep -n '^openat < /etc/pdig-avail-phase2$' "$ev" | cut -d: -f1)
	[ -n "$at" ] || { fail "$name: no phase-2 marker"; return; }
	tail -n +"$at" "$ev" > "$WORK/$name.phase2"
	for k in sendto recvfrom close; do
		expect_eq "$(grep -c "^$k " "$WORK/$name.phase2")" "$((2 * $(made $k phase2 "$out")))" \
			"$name: phase 2: every $k event (pdig came back)"
	done
	expect_eq "$(grep -c '^openat ' "$WORK/$name.phase2")" "$((2 * $(made openat phase2 "$out") + 1))" \
		"$name: phase 2: every openat event"
	# narrowing is marked as the driver marks it: drop enter, drop exit
	local marks
	marks=$(head -n "$at" "$ev" | awk '$1 == "drop" { printf "%s", $2 }')
	if [[ $marks =~ ^(\>\<)+$ ]]; then
		ok "$name: drop markers $marks (enter when narrowing starts, exit when it ends)"
	else
		fail "$name: drop markers before phase 2: '$marks'"
	fi
	expect_eq "$(grep -c '^drop ' "$WORK/$name.phase2")" 0 "$name: no drop marker in phase 2"
}
