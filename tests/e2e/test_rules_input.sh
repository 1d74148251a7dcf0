#!/bin/bash
# `pdig --rules FILE` on files it must refuse or must not hang on
# (src/schema/rules_set.c, rules_db.c): a list naming itself (expanded once, not 10^8
# times), a file over 8 MiB (refused, not cut), a directory (refused). Each
# refusal is one line on stderr and a non-zero exit, before any program runs;
# so is a malformed file (its condition, its YAML), naming file:line.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"

cat >"$WORK/loop.yaml" <<'Y'
- list: loop
  items: [loop, loop, loop, loop, loop, loop, loop, loop, loop, open]
- list: ping
  items: [pong, pong, pong, pong, pong, pong, pong, pong, pong, openat]
- list: pong
  items: [ping, ping, ping, ping, ping, ping, ping, ping, ping, unlink]
- rule: r
  desc: d
  condition: evt.type in (loop, ping)
  output: o
  priority: INFO
Y
timeout 10 "$PDIG" -v --rules "$WORK/loop.yaml" true >/dev/null 2>"$WORK/loop.err"
expect_eq "$?" 0 "a list naming itself: pdig ends, at once"
set_line=$(sed -n 's/^pdig: tracing //p' "$WORK/loop.err")
for sc in open openat unlink; do
	case ",$set_line," in *",$sc,"*) ok "$sc from the lists" ;; *) fail "$sc not traced: $set_line" ;; esac
done

# refuse FILE WHAT: pdig --rules FILE exits non-zero with one line naming it
refuse() {
	"$PDIG" --rules "$1" true >"$WORK/out" 2>"$WORK/err"
	local rc=$?
	[ "$rc" -ne 0 ] && ok "$2: exit $rc" || fail "$2: exit 0"
	expect_eq "$(wc -l <"$WORK/err")" 1 "$2: one line on stderr ($(cat "$WORK/err"))"
	expect_grep "$WORK/err" "$3" "$2: says why"
	[ -s "$WORK/out" ] && fail "$2: the program ran: $(cat "$WORK/out")"
}
refuse /etc "a directory" 'not a regular file'
# 8 MiB of a valid file's text and one byte more
{ cat "$WORK/loop.yaml"; head -c $((8 * 1024 * 1024)) /dev/zero | tr '\0' ' '; } >"$WORK/big.yaml"
refuse "$WORK/big.yaml" "a file over 8 MiB" 'larger than 8 MiB'
refuse "$WORK/none.yaml" "a missing file" 'No such file'
# malformed rules: the condition, the YAML, a rule changed before it exists
printf -- '- rule: r\n  desc: d\n  output: o\n  condition: evt.type in (open\n' >"$WORK/cond.yaml"
refuse "$WORK/cond.yaml" "an unbalanced condition" "cond.yaml:4: rule 'r': expected ',' or '\\)'"
printf -- '- rule: r\n\t  condition: evt.type=open\n' >"$WORK/tab.yaml"
refuse "$WORK/tab.yaml" "a tab in the indentation" 'tab.yaml:2: a tab in the indentation'
printf -- '- rule: r\n  enabled: false\n' >"$WORK/orphan.yaml"
refuse "$WORK/orphan.yaml" "enabled: for no rule" "orphan.yaml:1: rule 'r': changes no earlier rule"
printf -- '- rule: r\n  condition: a\n- macro: a\n  condition: b\n- macro: b\n  condition: a\n' >"$WORK/cycle.yaml"
refuse "$WORK/cycle.yaml" "macros using each other" "uses itself"
# one condition over 1 MiB, with no append: the message says no append
{ printf -- '- rule: r\n  desc: d\n  output: o\n  condition: evt.type='; head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' a; echo; } >"$WORK/long.yaml"
refuse "$WORK/long.yaml" "a condition over 1 MiB" "long.yaml:4: 'r': condition longer than 1 MiB$"
# an exception's unknown value: the warning names the exception, not an offset in generated text
printf -- '- rule: r\n  desc: d\n  output: o\n  condition: evt.type=open\n  exceptions:\n  - name: myexc\n    fields: [evt.type]\n    comps: [in]\n    values: [[open]]\n  - name: badexc\n    fields: [evt.type]\n    comps: [in]\n    values: [[nosuch]]\n' >"$WORK/exc.yaml"
"$PDIG" --rules "$WORK/exc.yaml" true 2>"$WORK/err" >/dev/null
expect_grep "$WORK/err" "exc.yaml:4: rule 'r': exception 'badexc': 'nosuch' is no event type pdig knows" \
	"an exception's unknown value: the warning names the exception"
grep -q offset "$WORK/err" && fail "the exception's message points into generated text: $(cat "$WORK/err")"

# the "not traced" line leaves out what -e trace= traces anyway
printf -- '- rule: r\n  desc: d\n  output: o\n  condition: evt.type in (read, write, open)\n' >"$WORK/io.yaml"
"$PDIG" -e trace=read --rules "$WORK/io.yaml" true 2>"$WORK/err" >/dev/null
expect_grep "$WORK/err" 'ignores them without -A: write [(]add' "-e trace=read: only write reported as not traced"
"$PDIG" -e trace=read,write --rules "$WORK/io.yaml" true 2>"$WORK/err" >/dev/null
grep -q 'ignores them without -A' "$WORK/err" && fail "-e trace=read,write: a not-traced line: $(cat "$WORK/err")"
finish
