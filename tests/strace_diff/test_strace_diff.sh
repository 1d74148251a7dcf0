#!/bin/bash
# Differential test: each corpus program runs once under `pdig -a -w` and
# once under `strace -f` with the same syscall set (every syscall); per
# thread, the sequences of (syscall, return value) must agree (the name
# only for a generic event, which has no return value; "<unknown>" for a
# syscall the schema routes to no PPM_SC code).
# compare.py explains how threads are matched; rules.txt lists the
# syscalls whose count or value is nondeterministic, names.map the names
# that differ between strace and sysdig.
set -u
: "${PDIG:?}" "${USED_LIST:?}"
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/pdig-sdiff.XXXXXX)
FAILS=0
# strace name -> sysdig name: names.map, plus the syscalls sysdig can
# only call "<unknown>"
NAMES=$WORK/names.map
{ cat "$HERE/names.map"; "$USED_LIST" --unknown | sed 's/$/ <unknown>/'; } >"$NAMES"

# run NAME CMD...: trace CMD both ways in fresh scratch directories.
# ASLR is off (setarch -R) in both: with it, where mappings land changes
# how often allocators (Python's arenas) call mmap.
run() {
	local name=$1; shift
	local d=$WORK/$name
	mkdir -p "$d/s" "$d/p"
	(cd "$d/s" && setarch -R strace -f -qq -e signal=none -e trace=all -o "$d/strace.txt" "$@") >/dev/null 2>"$d/strace.err" ||
		{ echo "FAIL: $name: exits non-zero under strace"; cat "$d/strace.err"; FAILS=$((FAILS + 1)); return; }
	(cd "$d/p" && setarch -R "$PDIG" -a -w "$d/cap.scap" "$@") >/dev/null 2>"$d/pdig.err" ||
		{ echo "FAIL: $name: exits non-zero under pdig"; cat "$d/pdig.err"; FAILS=$((FAILS + 1)); return; }
	sysdig -r "$d/cap.scap" -p '*%thread.tid %evt.type %evt.rawres' 'evt.dir=<' >"$d/sysdig.txt" 2>"$d/sysdig.err"
	echo "== $name"
	if python3 "$HERE/compare.py" "$d/strace.txt" "$d/sysdig.txt" "$NAMES" "$HERE/rules.txt"; then
		echo "ok: $name"
	else
		echo "FAIL: $name (traces kept in $d)"
		FAILS=$((FAILS + 1))
	fi
}

run coreutils /bin/bash "$HERE/corpus/coreutils.sh"
run pipeline /bin/bash "$HERE/corpus/pipeline.sh"
# The system python (a PATH lookup may hit a shim script). Hash
# randomisation changes dict sizes and so the allocator's mmap/brk calls.
run python env PYTHONHASHSEED=0 /usr/bin/python3 "$HERE/corpus/pywork.py"
# A toolchain run: the driver spawns cc1, as and collect2/ld (vfork-style
# clones), which open headers, temporary files and libraries.
if command -v cc >/dev/null; then
	run compile cc -O2 -o hello "$HERE/corpus/hello.c"
else
	echo "SKIP: compile: no cc on PATH"
fi
[ $FAILS -eq 0 ] && rm -rf "$WORK"
exit $((FAILS != 0))
