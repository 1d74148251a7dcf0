#!/bin/bash
# A tracee may send pdig's wake signal (several tracer threads: its
# handler has no SA_RESTART, since it must interrupt a worker's wait) to
# its group, pdig included. A worker blocked writing text output to a slow
# pipe then gets EINTR: stdio threw the buffer away (a reviewer's run: 2033
# of 80 016 lines lost, 36 cut in the middle, -v counting 44). The text
# sink now writes with write(2) and retries EINTR: every line arrives.
. "$(dirname "$0")/../e2e/lib.sh"
e2e_isolate "$@"
command -v python3 >/dev/null || skip_test "needs python3 for the slow reader"
command -v setsid >/dev/null || skip_test "needs setsid"
mkfifo "$WORK/fifo"
# a slow reader: 2 KiB every 2 ms, so that pdig's writes block
python3 -c '
import os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
out = open(sys.argv[2], "wb")
while True:
    b = os.read(fd, 2048)
    if not b:
        break
    out.write(b)
    time.sleep(0.002)' "$WORK/fifo" "$WORK/out.txt" &
reader=$!
timeout -k 2 120 setsid -w "$PDIG" --threads 2 -v -o "$WORK/fifo" "$HELPERS/wake_eintr" 38 5000 swap 2>"$WORK/err"
expect_eq "$?" 0 "pdig and the program end normally"
wait "$reader"
grep -E '^pdig: text|opens=' "$WORK/err"
written=$(sed -n 's/^pdig: text: events written \([0-9]*\), dropped \([0-9]*\).*/\1 \2/p' "$WORK/err")
expect_eq "${written#* }" 0 "the text sink dropped nothing"
expect_eq "$(wc -l <"$WORK/out.txt")" "${written%% *}" "every line written arrived (${written%% *})"
expect_eq "$(grep -vcE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9} ' "$WORK/out.txt")" 0 "no line cut in the middle"
expect_eq "$(grep -cE '> open(at)? .*hostname' "$WORK/out.txt")" 5000 "every open has its enter line (musl's open() is the open syscall)"
finish
