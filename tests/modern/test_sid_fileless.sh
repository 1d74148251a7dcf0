#!/bin/bash
# Exec by fd and the fileless memfd exec in a 4.1.0 capture, read by
# sysdig 0.41.4: the exits name the program as the kernel does (filename:
# /dev/fd/N for fexecve, the path for execve), the memfd program is
# flagged (proc.is_exe_from_memfd) with its trusted path, and the ones run
# from files are not.
. "$(dirname "$0")/lib.sh"
sid_need
E2E_HELPERS=${E2E_HELPERS:?}
mkdir -p "$WORK/dir"
"$PDIG" --schema 0.23 -w "$WORK/cap.scap" "$E2E_HELPERS/fexec" "$WORK/dir" >"$WORK/truth"
expect_eq $? 0 "fexec exits 0"
F='*%proc.pid|%proc.name|%evt.res|%proc.is_exe_from_memfd|%evt.arg.filename|%proc.exepath|%evt.arg.trusted_exepath'
sid_read "$WORK/cap.scap" "$F" 'evt.type=execve and evt.dir=<' >"$WORK/out" 2>"$WORK/err"
expect_eq $? 0 "sysdig 0.41.4 -r exits 0 $(head -c 300 "$WORK/err")"
expect_grep "$WORK/out" "\\|fexec\\|SUCCESS\\|false\\|$E2E_HELPERS/fexec\\|" "execve: filename is the path"
pid=$(awk -F'|' '$1 == "exec" && $2 == "memfd" { print $3 }' "$WORK/truth")
expect_grep "$WORK/out" "^$pid\\|[^|]*\\|SUCCESS\\|true\\|/dev/fd/[0-9]+\\|[^|]*\\|/memfd:pdig-fileless \\(deleted\\)\$" \
	"memfd exec: flagged, named /dev/fd/N, trusted path the memfd"
pid=$(awk -F'|' '$1 == "exec" && $2 == "dirfd" { print $3 }' "$WORK/truth")
expect_grep "$WORK/out" "^$pid\\|fexec-copy\\|SUCCESS\\|false\\|/dev/fd/[0-9]+/fexec-copy\\|" "execveat with a dirfd: /dev/fd/N/NAME"
expect_eq "$(awk -F'|' '$4 == "true"' "$WORK/out" | wc -l)" 1 "only the memfd program is flagged"
finish
