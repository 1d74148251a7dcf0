#!/bin/bash
# Which UF_USED syscalls (those with events of their own) have an
# end-to-end test; `pdig -a` traces these and, as generic events, every
# other syscall, whose tests (gcall) are counted too. The claims are the covered_*.txt files (NAME, or NAME SKIP reason);
# a claim only counts if some test_*.sh here checks NAME with
# `call NAME` or `gcall NAME` (sclib.sh), so the lists cannot lie.
# Fails on a claim no script checks, or on a name pdig does not trace.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
: "${USED_LIST:?USED_LIST must point at the syscalls_used_list helper}"
used=$("$USED_LIST") || { echo "FAIL: $USED_LIST did not run"; exit 1; }
M=$(wc -l <<<"$used")
bad=0
declare -A claimed=() skipped=()
for list in "$HERE"/covered_*.txt; do
	[ -e "$list" ] || continue
	while read -r name kw reason; do
		case $name in ''|'#'*) continue ;; esac
		where="$(basename "$list"): $name"
		if ! grep -qx -- "$name" <<<"$used"; then
			echo "FAIL: $where is not a UF_USED syscall"; bad=1; continue
		fi
		if [ -n "${claimed[$name]:-}${skipped[$name]:-}" ]; then
			echo "FAIL: $where is listed twice"; bad=1; continue
		fi
		if [ "$kw" = SKIP ]; then
			[ -n "$reason" ] || { echo "FAIL: $where: SKIP needs a reason"; bad=1; }
			skipped[$name]=$reason
		elif grep -Eq "^[[:space:]]*g?call[[:space:]]+$name([: ]|$)" "$HERE"/test_*.sh; then
			claimed[$name]=1
		else
			echo "FAIL: $where is listed but no test_*.sh checks it (call/gcall $name)"; bad=1
		fi
	done <"$list"
done
N=${#claimed[@]} K=${#skipped[@]}
skips=$(for s in "${!skipped[@]}"; do printf '%s (%s), ' "$s" "${skipped[$s]}"; done)
skips=${skips%, }
echo "$N of $M UF_USED syscalls have an end-to-end test; $K listed as not exercisable: ${skips:-none}"
missing=$(while read -r s; do [ -z "${claimed[$s]:-}${skipped[$s]:-}" ] && echo "$s"; done <<<"$used")
echo "missing ($(grep -c . <<<"$missing")): $(tr '\n' ' ' <<<"$missing")"
generic=$("$USED_LIST" --generic) || { echo "FAIL: $USED_LIST --generic did not run"; exit 1; }
checked=$(while read -r s; do
	grep -Eq "^[[:space:]]*gcall[[:space:]]+$s([: ]|$)" "$HERE"/test_*.sh && echo "$s"
done <<<"$generic")
echo "$(grep -c . <<<"$checked") of $(wc -l <<<"$generic") syscalls without UF_USED (generic events under -a) have an end-to-end test: $(tr '\n' ' ' <<<"$checked")"
exit $bad
