#!/bin/bash
# `pdig --rules` selects the syscalls Falco itself selects for the same
# rule files, checked against Falco 0.44.1's own report (`--dry-run -o
# log_level=debug`: "(N) syscalls in rules: ..." and, with
# base_syscalls.repair=true, "syscalls selected in total (final set)").
# - every event type name Falco knows, alone in `evt.type=NAME`;
# - the files of rules_select/: `not evt.type in (...)`, `!=`, `not`
#   through and/or, no evt.type, evt.type ORed with another field, quoted
#   values, lists over lines, block/plain scalars and YAML comments,
#   macros and lists of an earlier file, append/override, enabled: false,
#   other sources, exceptions; constructs of Falco's own rules files;
# - the replay test's rules (rules.yaml).
# Falco names ppm_sc codes; pdig native x86-64 syscalls. The sets compare
# equal once Falco's pread/pwrite/prlimit are pdig's pread64/pwrite64/
# prlimit64 and the names x86-64 has no syscall for (procexit, stat64,
# recv, ...) are left out. Where pdig does not know a name it must select
# every syscall (never fewer than Falco).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/lib_falco.sh"
DIR=$(cd "$(dirname "$0")/rules_select" && pwd)
FALCO=$(falco_bin 0.44.1) || exit 77
printf 'stdout_output:\n  enabled: true\n' >"$WORK/falco.yaml"

# falco_set KIND ARGS...: Falco's "syscalls in rules" (KIND=rules) or
# final set with repair (KIND=final), one x86-64 name a line, sorted
falco_set() {
	local kind=$1 out
	shift
	out=$("$FALCO" -c "$WORK/falco.yaml" --dry-run -o engine.kind=nodriver -o log_level=debug -o log_stderr=true \
		-o base_syscalls.repair=true "$@" 2>&1)
	if grep -q 'Error' <<<"$out"; then
		echo "FALCO-ERROR"
		return
	fi
	local pat='syscalls in rules: '
	[ "$kind" = final ] && pat='syscalls selected in total (final set): '
	sed -n "s/.*$pat//p" <<<"$out" | tr -d ' ' | tr ',' '\n' |
		sed -e 's/^pread$/pread64/' -e 's/^pwrite$/pwrite64/' -e 's/^prlimit$/prlimit64/' | grep . | sort
}

# pdig_set KIND ARGS...: pdig's rules set (KIND=rules) or traced set (final)
pdig_set() {
	local kind=$1
	shift
	local pat='pdig: rules select [0-9]* syscalls: '
	[ "$kind" = final ] && pat='pdig: tracing '
	"$PDIG" -v "$@" true 2>&1 >/dev/null | sed -n "s/^$pat//p" | tr ',' '\n' | grep . | sort
}

# Every x86-64 syscall pdig can trace, by name.
pdig_set final -e trace=all --repair >"$WORK/x86"
[ "$(wc -l <"$WORK/x86")" -ge 300 ] || skip_test "pdig -e trace=all names only $(wc -l <"$WORK/x86") syscalls"

# compare KIND WHAT FALCO_ARGS -- PDIG_ARGS: the sets on the syscalls
# x86-64 has; pdig's repair adds dup2, dup3, close_range, io_uring_setup
# (its exit elision), which Falco's need not have
compare() {
	local kind=$1 what=$2
	shift 2
	local fargs=()
	while [ "$1" != -- ]; do fargs+=("$1"); shift; done
	shift
	falco_set "$kind" "${fargs[@]}" >"$WORK/f"
	if grep -q FALCO-ERROR "$WORK/f"; then
		fail "$what: Falco refuses the files"
		return
	fi
	pdig_set "$kind" "$@" >"$WORK/p"
	grep -Fxf "$WORK/x86" "$WORK/f" >"$WORK/f86"
	local extra
	extra=$(comm -13 "$WORK/f86" "$WORK/p")
	[ "$kind" = final ] && extra=$(grep -vxE 'dup2|dup3|close_range|io_uring_setup' <<<"$extra")
	local fewer named
	fewer=$(comm -23 "$WORK/f86" "$WORK/p" | tr '\n' ' ')
	named=$(grep -Fx -f "$WORK/falco-all" <<<"$extra" | tr '\n' ' ')
	if [ -n "$fewer" ]; then
		fail "$what ($kind): pdig selects fewer than Falco: misses $fewer"
	elif [ -n "$named" ]; then
		fail "$what ($kind): pdig selects more than Falco: $named"
	else
		ok "$what ($kind): equal, $(wc -l <"$WORK/p") syscalls${extra:+ (and syscalls Falco cannot name)}"
	fi
}

# Falco's own universe: what its rule without evt.type selects.
falco_set rules -r "$DIR/no_type.yaml" >"$WORK/falco-all"
[ "$(wc -l <"$WORK/falco-all")" -ge 300 ] || fail "Falco selects $(wc -l <"$WORK/falco-all") syscalls for no evt.type"

# 1. every name Falco knows, alone
n_names=0 n_eq=0 n_all=0
while read -r name; do
	printf -- '- rule: r\n  desc: d\n  condition: evt.type=%s\n  output: o\n  priority: INFO\n' "$name" >"$WORK/one.yaml"
	falco_set rules -r "$WORK/one.yaml" | grep -Fxf "$WORK/x86" >"$WORK/f"
	pdig_set rules --rules "$WORK/one.yaml" 2>/dev/null >"$WORK/p"
	n_names=$((n_names + 1))
	if cmp -s "$WORK/f" "$WORK/p"; then
		n_eq=$((n_eq + 1))
	elif cmp -s "$WORK/p" "$WORK/x86"; then
		n_all=$((n_all + 1)) # pdig does not know the name: every syscall
		grep -Fxq "$name" "$WORK/x86" && fail "evt.type=$name: an x86-64 syscall pdig falls back on"
	else
		fail "evt.type=$name: Falco $(tr '\n' ' ' <"$WORK/f"), pdig $(tr '\n' ' ' <"$WORK/p")"
	fi
done < <(sed -e 's/^pread64$/pread/' -e 's/^pwrite64$/pwrite/' -e 's/^prlimit64$/prlimit/' "$WORK/falco-all")
[ "$n_names" -ge 300 ] || fail "only $n_names names tried"
ok "$n_names event type names: $n_eq equal, $n_all unknown to pdig (no x86-64 syscall): every syscall"

# 2. the cases, one file or several
for case in not_in not_equal no_type or_top narrowing layout stable_like exceptions base "base override" \
	list_named_type list_named_type_not accept_narrow accept_not exceptions_in syscall_type yaml_forms; do
	fargs=() pargs=()
	for f in $case; do
		fargs+=(-r "$DIR/$f.yaml")
		pargs+=(--rules "$DIR/$f.yaml")
	done
	compare rules "$case" "${fargs[@]}" -- "${pargs[@]}"
	compare final "$case" "${fargs[@]}" -- "${pargs[@]}"
done
compare rules "tests/falco/rules.yaml" -r "$RULES" -- --rules "$RULES"
compare final "tests/falco/rules.yaml" -r "$RULES" -- --rules "$RULES"

# 3. what the cases must select, beyond agreeing with Falco
pdig_set rules --rules "$DIR/not_in.yaml" >"$WORK/p"
grep -qx openat "$WORK/p" && fail "not_in: openat selected"
grep -qx mkdirat "$WORK/p" || fail "not_in: mkdirat (any other type) not selected"
pdig_set rules --rules "$DIR/base.yaml" --rules "$DIR/override.yaml" >"$WORK/p"
expect_eq "$(tr '\n' ' ' <"$WORK/p")" "accept accept4 chmod connect fchmod linkat open openat rmdir symlinkat unlinkat " \
	"base + override: the second file's appends, overrides and enabled changes"
"$PDIG" -v --rules "$DIR/or_top.yaml" true 2>"$WORK/err" >/dev/null
expect_grep "$WORK/err" "or_top.yaml:5: rule 'or at the top' matches every event type" "the all-types rule is named on stderr"
finish
