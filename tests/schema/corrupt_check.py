#!/usr/bin/env python3
"""Negative check for schema_conformance: patch one byte of a copy of
libscap.so (event 2's name 'open' -> 'opEn' and event 3's nparams 5 -> 4)
and require the conformance test to fail naming exactly those events."""
import os
import shutil
import struct
import subprocess
import sys

LIB = "/usr/lib/x86_64-linux-gnu/libscap.so"


def symbol_vaddr(path, name):
    # Walk .dynsym via the section headers (ELF64 little endian).
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    secs = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    for s in secs:
        if s[1] != 11:  # SHT_DYNSYM
            continue
        strtab = secs[s[6]]
        for off in range(s[4], s[4] + s[5], s[9]):
            st_name, _, _, _, st_value, _ = struct.unpack_from("<IBBHQQ", data, off)
            start = strtab[4] + st_name
            if data[start:data.index(b"\0", start)].decode() == name:
                return data, st_value
    raise SystemExit("symbol %s not found" % name)


def vaddr_to_off(data, vaddr):
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz, _, _ = struct.unpack_from("<IIQQQQQQ", data, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:
            return vaddr - p_vaddr + p_offset
    raise SystemExit("address 0x%x not in a file-backed segment" % vaddr)


def main():
    test, workdir = sys.argv[1], sys.argv[2]
    if not os.path.exists(LIB):
        print("FAIL: %s missing" % LIB)
        return 1
    copy = os.path.join(workdir, "libscap-corrupt.so")
    shutil.copyfile(LIB, copy)
    data, ei = symbol_vaddr(copy, "g_event_info")
    base = vaddr_to_off(data, ei)
    buf = bytearray(data)
    assert buf[base + 2 * 1612: base + 2 * 1612 + 5] == b"open\0", "unexpected layout"
    buf[base + 2 * 1612 + 2] = ord("E")
    assert struct.unpack_from("<I", buf, base + 3 * 1612 + 40)[0] == 5
    struct.pack_into("<I", buf, base + 3 * 1612 + 40, 4)
    open(copy, "wb").write(buf)

    env = dict(os.environ, PDIG_LIBSCAP=copy)
    r = subprocess.run([test], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    os.unlink(copy)
    out = r.stdout
    print(out)
    want = ["MISMATCH: event 2: name libscap 'opEn', ours 'open'",
            "MISMATCH: event 3 (open): nparams libscap 4, ours 5"]
    ok = r.returncode != 0 and all(w in out for w in want)
    # Only the two patched fields may be reported.
    ok = ok and out.count("MISMATCH") == 2
    print("corruption detected" if ok else "FAIL: corruption not reported as expected")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
