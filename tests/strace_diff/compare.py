#!/usr/bin/env python3
"""Compare the syscalls one program made under strace and under pdig.

usage: compare.py STRACE_OUT SYSDIG_OUT NAMES_MAP RULES

STRACE_OUT: `strace -f -qq -o` output (lines start with the pid).
SYSDIG_OUT: `sysdig -r` lines "tid type rawres" of exit events.
Threads get different ids in the two runs, so each side is turned into a
multiset of per-thread sequences of (name, result); the two multisets must
be equal. Unmatched sequences are paired by similarity and diffed."""
import collections
import difflib
import re
import sys


def load_pairs(path):
    out = {}
    for line in open(path):
        f = line.split('#')[0].split()
        if f:
            out[f[0]] = f[1:]
    return out


strace_names = {k: v[0] for k, v in load_pairs(sys.argv[3]).items()}
rules = load_pairs(sys.argv[4])
DROP = set(rules.get('drop', []))
ANY = set(rules.get('anyvalue', []))
CLONES = {'clone', 'fork', 'vfork', 'clone3'}

# strace prints "-1 ENOENT"; sysdig's rawres is -errno.
import errno as _errno  # noqa: E402


def errno_val(name):
    return -getattr(_errno, name, 1)

LINE = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>.*|(\w+)\(.*)\s+=\s+(0x[0-9a-f]+|-?\d+|\?)(?:\s+(E[A-Z0-9]+))?')


def strace_seqs(path):
    seqs = collections.OrderedDict()
    pending = {}
    for line in open(path):
        line = line.rstrip('\n')
        m = re.match(r'^(\d+)\s+(\w+)\(.*<unfinished \.\.\.>$', line)
        if m:
            pending[m.group(1)] = m.group(2)
            continue
        m = LINE.match(line)
        if not m:
            continue
        tid, resumed, name, ret, err = m.groups()
        name = name or resumed
        if ret == '?':           # the thread died inside the call
            continue
        # strace prints some results in octal (umask: 022)
        base = 8 if re.match(r'^0[0-7]+$', ret) else 0
        val = errno_val(err) if err and ret.startswith('-') else int(ret, base)
        seqs.setdefault(tid, []).append((strace_names.get(name, name), val))
    return seqs


def sysdig_seqs(path):
    seqs = collections.OrderedDict()
    for line in open(path):
        f = line.split()
        if len(f) != 3:
            continue
        tid, name, res = f
        seq = seqs.setdefault(tid, [])
        # pdig reports the child's side of a clone too; strace does not.
        if not seq and name in CLONES and res == '0':
            continue
        seq.append((name, None if res == '<NA>' else int(res)))
    return seqs


def normalise(seqs, noval):
    out = []
    for tid, seq in seqs.items():
        n = []
        for name, val in seq:
            if name in DROP:
                continue
            if name in noval or val is None:
                v = '-'
            elif val >= 0 and name in ANY:
                v = 'ok'
            else:
                v = str(val)
            n.append(f'{name} = {v}')
        if n:
            out.append((tid, tuple(n)))
    return out


st = strace_seqs(sys.argv[1])
sd = sysdig_seqs(sys.argv[2])
# Exits whose schema has no return value: compare the name only.
noval = {name for seq in sd.values() for name, v in seq if v is None}
a = normalise(st, noval)
b = normalise(sd, noval)
ca = collections.Counter(s for _, s in a)
cb = collections.Counter(s for _, s in b)
only_a = list((ca - cb).elements())
only_b = list((cb - ca).elements())
total = sum(len(s) for _, s in a)
print(f'threads: strace {len(a)}, pdig {len(b)}; syscalls compared: strace {total}, '
      f'pdig {sum(len(s) for _, s in b)}')
if not only_a and not only_b:
    print('all per-thread sequences agree')
    sys.exit(0)
print(f'{len(only_a)} strace thread(s) and {len(only_b)} pdig thread(s) without a match')
for sa in only_a:
    best = max(only_b, key=lambda sb: difflib.SequenceMatcher(None, sa, sb).ratio(), default=())
    if best:
        only_b.remove(best)
    tid_a = next(t for t, s in a if s == sa)
    tid_b = next((t for t, s in b if s == best), '-')
    print(f'--- strace tid {tid_a} vs pdig tid {tid_b}:')
    for d in difflib.unified_diff(sa, best, 'strace', 'pdig', n=3, lineterm=''):
        print('   ' + d)
for sb in only_b:
    print(f'--- pdig-only thread: {" ; ".join(sb[:8])} ...')
sys.exit(1)
