#!/usr/bin/env python3
"""Counts the event blocks of a .scap file and, of those, the syscall enter
events (an even event type other than procexit's 186 and signaldeliver's
232, which are even too but stand alone), per docs/scap-file.md: prints
"EVENTS ENTERS"."""
import struct
import sys

data = open(sys.argv[1], "rb").read()
off = events = enters = 0
while off + 8 <= len(data):
    btype, blen = struct.unpack_from("<II", data, off)
    if blen < 12 or off + blen > len(data):
        sys.exit(f"{sys.argv[1]}: bad block at {off}")
    if btype == 0x216:
        # body: u16 cpu, then the event header: ts u64, tid u64, len u32, type u16
        etype = struct.unpack_from("<H", data, off + 8 + 2 + 20)[0]
        events += 1
        enters += etype % 2 == 0 and etype not in (186, 232)
    off += blen
print(events, enters)
