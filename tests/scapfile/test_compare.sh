#!/bin/bash
# The core workloads written with -w while the live `sysdig -u` reads the
# udig ring: `sysdig -r FILE` must decode exactly what the live consumer
# printed (same events, args, proc.name, fd.name), and the file must hold
# what the workload really did.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%proc.pid|%thread.tid|%evt.dir|%evt.type|%evt.res|%proc.exe|%proc.cmdline|%fd.name|%fd.type|%evt.args'

# compare NAME CMD...: live and file decodings of one run must match.
compare() {
	local name=$1; shift
	consume_run "$WORK/$name.live" "$F" -- "$PDIG" -w "$WORK/$name.scap" "$@" >"$WORK/$name.stdout"
	expect_eq "$PRC" 0 "$name: exits 0 under pdig -w"
	# -v as consume_run's live sysdig: whole buffers, not 80 bytes
	sysdig -r "$WORK/$name.scap" -v -p "$F" >"$WORK/$name.file" 2>"$WORK/$name.err"
	expect_eq "$?" 0 "$name: sysdig -r reads the file"
	local n
	n=$(wc -l <"$WORK/$name.file")
	[ "$n" -gt 10 ] && ok "$name: $n events in the file" || fail "$name: only $n events in the file"
	# Live sysdig also knows the processes outside the trace from its /proc
	# scan (the shell that owns the pgid, pdig's own cwd for a relative
	# execve path); a file carries only what pdig recorded. Drop those
	# annotations, compare the rest byte for byte.
	local norm='s/pgid=([0-9]+)\([^)]*\)/pgid=\1/; s/filename=([^ (]*)\([^)]*\)/filename=\1/'
	sed -E "$norm" "$WORK/$name.live" >"$WORK/$name.live.n"
	sed -E "$norm" "$WORK/$name.file" >"$WORK/$name.file.n"
	if cmp -s "$WORK/$name.live.n" "$WORK/$name.file.n"; then
		ok "$name: file and live decode identically"
	else
		fail "$name: file differs from live: $(diff "$WORK/$name.live.n" "$WORK/$name.file.n" | head -5)"
	fi
	expect_no_grep "$WORK/$name.file" '^<NA>\|' "$name: every event has a process name"
}

compare cat /bin/cat /etc/passwd
cmp -s "$WORK/cat.stdout" /etc/passwd && ok "cat output unchanged" || fail "cat output differs"
expect_grep "$WORK/cat.file" '^cat\|.*\|<\|openat\|SUCCESS\|/bin/cat\|cat /etc/passwd\|/etc/passwd\|file\|fd=[0-9]+\(<f>/etc/passwd\)' "cat: openat exit names /etc/passwd"
expect_eq "$(grep -c '|>|procexit|' "$WORK/cat.file")" 1 "cat: one procexit"

echo hello >"$WORK/in.txt"
compare pipeline /bin/sh -c "cat $WORK/in.txt | tr a-z A-Z > $WORK/result.txt"
expect_eq "$(cat "$WORK/result.txt")" HELLO "pipeline output"
expect_grep "$WORK/pipeline.file" "^cat\|.*\|<\|openat\|SUCCESS\|.*\|$WORK/in\.txt\|file\|" "pipeline: cat opens the input"
expect_grep "$WORK/pipeline.file" "^tr\|.*\|<\|execve\|SUCCESS\|" "pipeline: tr execs"
expect_grep "$WORK/pipeline.file" '\|<\|pipe2?\|SUCCESS\|' "pipeline: the pipe"

compare threads "$HELPERS/threads_open" "$WORK"
tids=$(grep '|<|openat|SUCCESS|' "$WORK/threads.file" | grep "$WORK" | cut -d'|' -f3 | sort -u | wc -l)
[ "$tids" -ge 2 ] && ok "threads: openat from $tids threads" || fail "threads: openat from $tids threads"

compare tcp "$HELPERS/tcp_pair"
read -r _ sport _ cport <"$WORK/tcp.stdout"
expect_grep "$WORK/tcp.file" "\|<\|connect\|SUCCESS\|.*\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport\|ipv4\|" "tcp: connect tuple"
expect_grep "$WORK/tcp.file" "\|<\|accept4?\|SUCCESS\|.*\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport\|ipv4\|" "tcp: accept tuple"
finish
