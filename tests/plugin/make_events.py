#!/usr/bin/env python3
"""Writes scap events for the plugin tests, laid out exactly as a libs
version's event table says (../shared/schemas/libs-VERSION.json), to OUT:

  bash (pid 4000) execs sh (4100), which execs cat (4242) and ls (4300);
  cat opens /etc/shadow, then /etc/hostname; then events the host could not
  parse (they must be skipped): a wrong param count, an unknown type, a
  string without its NUL.

usage: make_events.py SCHEMA_JSON OUT"""
import json
import struct
import sys
import time

FIXED = {1: 1, 2: 2, 3: 4, 4: 8, 5: 1, 6: 2, 7: 4, 8: 8, 11: 8, 14: 8, 15: 8, 18: 2, 19: 1,
         20: 8, 21: 8, 22: 2, 23: 1, 24: 1, 25: 4, 26: 4, 28: 1, 29: 2, 30: 4, 31: 4, 32: 4,
         33: 8, 34: 4, 42: 4, 44: 1, 45: 2, 46: 4, 47: 4, 48: 4}
STRINGS = {9, 17, 43}

schema = json.load(open(sys.argv[1]))
types = schema['enums']['ppm_param_type (PT_*)']
events = schema['events']
now = time.time_ns()


def value(ptype, v):
    t = types[ptype]
    if t in FIXED:
        size = FIXED[t]
        return (v if v is not None else 0).to_bytes(size, 'little', signed=isinstance(v, int) and v < 0)
    if t in STRINGS:
        return (v or '').encode() + b'\0'
    return v or b''  # byte buffers and the rest: raw bytes, empty by default


def event(etype, tid, vals, nparams=None, ts=None):
    info = events[etype]
    params = [value(p['type'], vals.get(p['name'])) for p in info['params']]
    large = 'EF_LARGE_PAYLOAD' in info['flag_names']
    if nparams is not None:
        params = params[:nparams] if nparams <= len(params) else params + [b''] * (nparams - len(params))
    lens = b''.join(struct.pack('<I' if large else '<H', len(p)) for p in params)
    body = lens + b''.join(params)
    hdr = struct.pack('<QQIHI', ts or now, tid, 26 + len(body), etype, len(params))
    return hdr + body


def execve(pid, ptid, exe, argv):
    comm = exe.rsplit('/', 1)[1]
    return event(293, pid, {
        'res': 0, 'exe': exe, 'args': b''.join(a.encode() + b'\0' for a in argv[1:]),
        'tid': pid, 'pid': pid, 'ptid': ptid, 'cwd': '/root', 'fdlimit': 1024, 'comm': comm,
        'env': b'PATH=/usr/bin:/bin\0', 'vpgid': pid, 'pgid': pid, 'loginuid': 0xffffffff,
        'trusted_exepath': exe, 'filename': exe})


def openat(pid, fd, name):
    # flags PPM_O_RDONLY (1)
    return event(307, pid, {'fd': fd, 'dirfd': -100, 'name': name, 'flags': 1, 'mode': 0})


out = [
    execve(4000, 1, '/usr/bin/bash', ['bash']),
    execve(4100, 4000, '/usr/bin/sh', ['sh', '-c', 'cat /etc/shadow; ls']),
    execve(4242, 4100, '/usr/bin/cat', ['cat', '/etc/shadow']),
    openat(4242, 3, '/etc/shadow'),
    openat(4242, 4, '/etc/hostname'),
    execve(4300, 4100, '/usr/bin/ls', ['ls']),
    # what the plugin must keep from the host
    event(307, 4242, {'fd': 5, 'name': '/etc/shadow'}, nparams=6),
    struct.pack('<QQIHI', now, 4242, 26, 60000, 0),
]
bad_str = bytearray(openat(4242, 6, '/etc/shadow'))
bad_str[bad_str.index(b'/etc/shadow\0') + 11] = ord('X')  # the name loses its NUL
out.append(bytes(bad_str))
open(sys.argv[2], 'wb').write(b''.join(out))
