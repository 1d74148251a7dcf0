# Helpers for the syscall-by-syscall tests, on top of tests/e2e/lib.sh.
#   sc_trace NAME [SYSDIG_OPTS...] -- PROG ARGS...
#       runs PROG under `pdig -a` (or `pdig $SC_SET` when SC_SET is set,
#       empty for the default set) with a live `sysdig -u`, filtered on
#       proc.name=NAME; PROG's stdout goes to $WORK/NAME.stdout, the events
#       to $WORK/NAME.out and, paired enter+exit, to $WORK/NAME.pairs.
#   call SYSCALL[:EVTYPE] ENTER_ARGS RES FDNAME EXIT_ARGS
#       some pair of SYSCALL's events (EVTYPE when sysdig names the event
#       differently, e.g. pread64:pread) matches: enter args, exit evt.res,
#       fd.name and args. Each is a bash glob: '*' matches anything, the
#       rest is literal.
#   gcall SYSCALL NR   a generic enter+exit pair named SYSCALL (evt.type
#       comes from the ID param) whose nativeID is NR.
# coverage.sh finds the syscalls a script checks by "call NAME"/"gcall NAME".
. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"

SC_FMT='*%evt.dir|%evt.type|%evt.res|%fd.name|%evt.arg.nativeID|%evt.args'
SC_PAIRS=

sc_trace() {
	local name=$1; shift
	local opts=()
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	consume_run "$WORK/$name.out" "$SC_FMT" "${opts[@]}" "proc.name=$name" -- \
		"$PDIG" ${SC_SET--a} "$@" >"$WORK/$name.stdout"
	# An enter and the exit right after it of the same type make a pair
	# (the programs are single-threaded). Trailing blanks are dropped.
	sed 's/ *$//' "$WORK/$name.out" | awk -F'|' '
		$1 == ">" { e = $0; t = $2; next }
		$1 == "<" && e != "" && $2 == t { print e; print $0 }
		{ e = "" }' >"$WORK/$name.pairs"
	SC_PAIRS=$WORK/$name.pairs
}

# _sc_match ENTER_GLOB EXIT_GLOB: some pair matches both.
_sc_match() {
	local e x
	while IFS= read -r e && IFS= read -r x; do
		# unquoted on purpose: the right side is a glob
		# shellcheck disable=SC2053
		[[ $e == $1 && $x == $2 ]] && return 0
	done <"$SC_PAIRS"
	return 1
}

_sc_report() {
	local desc=$1 type=$2 e=$3 x=$4
	if _sc_match "$e" "$x"; then
		ok "$desc"
	else
		fail "$desc"
		echo "   want: $e"
		echo "         $x"
		grep -F -- "|$type|" "$SC_PAIRS" | head -6 | sed 's/^/   have: /'
	fi
}

call() {
	local sc=${1%%:*} type=${1#*:}
	_sc_report "$sc: $2 -> $3 $5" "$type" ">|$type|<NA>|*|<NA>|$2" "<|$type|$3|$4|<NA>|$5"
}

gcall() {
	_sc_report "$1 (generic, nativeID $2)" "$1" ">|$1|<NA>|*|$2|" "<|$1|<NA>|*|<NA>|"
}

# skip PART: REASON (a part of the test that cannot run here)
skip() { echo "SKIP: $*"; }

# Value of KEY=VALUE printed by the test program.
val() { sed -n "s/^$1=//p" "$WORK/$2.stdout" | head -1; }
