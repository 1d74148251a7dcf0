# Helpers shared by the per-syscall tests of the net, process, creds,
# signal and IPC families. Source after tests/e2e/lib.sh.
#
# sc_capture NAME OUT [PDIG_OPTS...] -- CMD...: run CMD under `pdig -a`
# with a live `sysdig -u` that keeps only proc.name=NAME (and SC_FILTER if
# set), one event per line:
#   tid|dir|type|res|F5|args       F5 = ${SC_F5:-fd.name}
# (proc.name is dropped: the filter already fixed it).
sc_capture() {
	local name=$1 out=$2 opts=() fmt
	shift 2
	while [ "$1" != "--" ]; do opts+=("$1"); shift; done
	shift
	fmt="*%thread.tid|%evt.dir|%evt.type|%evt.res|%${SC_F5:-fd.name}|%evt.args"
	consume_run "$out.raw" "$fmt" "proc.name=$name${SC_FILTER:+ and $SC_FILTER}" -- \
		"$PDIG" -a "${opts[@]}" "$@"
	# args end with a blank; drop it so patterns can anchor with $
	sed 's/ $//' "$out.raw" >"$out"
	grep -q "Driver Drops:0" "$out.raw.err" || fail "sysdig saw drops: $(grep Drops "$out.raw.err")"
}

# Patterns are EREs over "dir|type|res|fd.name|args"; a bare | separates
# fields (it is turned into [|]), so a literal | in a value is written '.'.
_sc_re() { local r=${1//|/[|]}; printf '^[0-9]+[|]%s' "$r"; }

# ev DESC PATTERN: some event matches.
ev() {
	local re; re=$(_sc_re "$2")
	if grep -Eq -- "$re" "$EV"; then ok "$1"; else fail "$1 (no event /$2/ in $EV)"; fi
}

# pair DESC ENTER EXIT: an enter matching ENTER immediately followed, in
# the same thread, by an exit matching EXIT.
pair() {
	local a b
	a=$(_sc_re "$2") b=$(_sc_re "$3")
	if RA=$a RB=$b awk -F'|' '
		{ if (($1 in prev) && prev[$1] ~ ENVIRON["RA"] && $0 ~ ENVIRON["RB"]) { f = 1; exit }
		  prev[$1] = $0 }
		END { exit !f }' "$EV"; then
		ok "$1"
	else
		fail "$1 (no /$2/ followed by /$3/ in $EV; events of that type:)"
		grep -E "^[0-9]+[|][<>][|]$(echo "$2" | cut -d'|' -f2)[|]" "$EV" | head -6 | sed 's/^/    /'
	fi
}

# call SYSCALL DESC ENTER EXIT: pair, named after the syscall it checks
# (coverage.sh counts "call NAME" lines). call SYSCALL FUNC ARGS...: run a
# checker function as FUNC SYSCALL ARGS...
call() {
	local sc=$1; shift
	if declare -F "$1" >/dev/null; then "$1" "$sc" "${@:2}"; else pair "$sc: $1" "$2" "$3"; fi
}
