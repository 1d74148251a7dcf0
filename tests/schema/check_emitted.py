#!/usr/bin/env python3
"""Every event pdig builds in a schema, held against that schema's own
driver table (the JSON dumps of falcosecurity/libs, see ../shared/schemas):

- the event id is the one the driver's x86-64 routing gives the syscall
  (the generic pair without UF_USED), except a successful execveat, which
  pdig reports as an execve exit, as later drivers do;
- an enter event is built only where that generation's driver sends one
  (since libs 0.22: not for enters the table marks EF_OLD_VERSION);
- the param count is the table's, and each fixed-width param has its
  type's exact width; strings are at least their NUL.

Usage: check_emitted.py EMIT_DUMP DUMPS_DIR LIBS_VERSION SCHEMA_NAME
Exits 77 (skip) when the dumps are not there."""
import json
import os
import subprocess
import sys

WIDTH = {
    "PT_INT8": 1, "PT_UINT8": 1, "PT_FLAGS8": 1, "PT_ENUMFLAGS8": 1, "PT_SIGTYPE": 1,
    "PT_L4PROTO": 1, "PT_SOCKFAMILY": 1,
    "PT_INT16": 2, "PT_UINT16": 2, "PT_FLAGS16": 2, "PT_ENUMFLAGS16": 2, "PT_SYSCALLID": 2,
    "PT_PORT": 2,
    "PT_INT32": 4, "PT_UINT32": 4, "PT_FLAGS32": 4, "PT_ENUMFLAGS32": 4, "PT_UID": 4,
    "PT_GID": 4, "PT_MODE": 4, "PT_SIGSET": 4, "PT_BOOL": 4, "PT_IPV4ADDR": 4,
    "PT_FD32": 4, "PT_PID32": 4,
    "PT_INT64": 8, "PT_UINT64": 8, "PT_ERRNO": 8, "PT_FD": 8, "PT_PID": 8,
    "PT_RELTIME": 8, "PT_ABSTIME": 8, "PT_DOUBLE": 8,
}
STRINGS = {"PT_CHARBUF", "PT_FSPATH", "PT_FSRELPATH"}
SYS_EXECVEAT = 322


def main():
    dump, dumps, libs, schema = sys.argv[1:5]
    path = os.path.join(dumps, f"libs-{libs}.json")
    if not os.path.exists(path):
        print(f"SKIP: no schema dumps at {dumps} (set PDIG_SCHEMA_DUMPS)")
        sys.exit(77)
    events = json.load(open(path))["events"]
    routes = {s["nr"]: s for s in
              json.load(open(os.path.join(dumps, f"libs-{libs}-syscalls.json")))["syscalls"]}
    by_name = {}
    for e in events:
        for n in e["ppme"]:
            by_name[n] = e["id"]
    modern = libs != "e5c53d64"

    out = subprocess.run([dump, schema], check=True, capture_output=True, text=True).stdout
    bad = []
    seen = 0
    enters = {}
    for line in out.splitlines():
        nr, d, typ, np, lens = (line.split(" ") + [""])[:5]
        nr, typ, np = int(nr), int(typ), int(np)
        lens = [int(x) for x in lens.split(",")] if lens else []
        seen += 1
        where = f"nr {nr} {d} -> event {typ}"
        if d in "ex":
            r = routes.get(nr)
            used = r is not None and r["flags"] & 1
            want = (r["exit_event"] if d == "x" else r["enter_event"]) if used else (1 if d == "x" else 0)
            ok = typ == want
            if d == "x" and nr == SYS_EXECVEAT and typ == by_name["PPME_SYSCALL_EXECVE_19_X"]:
                ok = True
            if not ok:
                bad.append(f"{where}: the driver's routing gives event {want}")
                continue
            if d == "e":
                enters[nr] = typ
        if typ >= len(events):
            bad.append(f"{where}: no such event in libs {libs}")
            continue
        ev = events[typ]
        if d == "e" and modern and set(ev["flag_names"]) & {"EF_OLD_VERSION", "EF_UNUSED"}:
            bad.append(f"{where}: drivers of libs {libs} send no {ev['name']} enter")
        if np != ev["nparams"] or len(lens) != np:
            bad.append(f"{where} ({ev['name']}): {np} params, the table has {ev['nparams']}")
            continue
        for p, n in zip(ev["params"], lens):
            w = WIDTH.get(p["type"])
            if w is not None and n != w:
                bad.append(f"{where} ({ev['name']}): param {p['name']} {p['type']} is {n} bytes, not {w}")
            if p["type"] in STRINGS and n < 1:
                bad.append(f"{where} ({ev['name']}): string param {p['name']} has no NUL")
    # and every enter the driver sends is built
    if modern:
        for nr, r in routes.items():
            if nr >= 512 or not r["flags"] & 1:
                continue
            ev = events[r["enter_event"]]
            if not set(ev["flag_names"]) & {"EF_OLD_VERSION", "EF_UNUSED"} and nr not in enters:
                bad.append(f"nr {nr}: its {ev['name']} enter, which the driver sends, was not built")
    for b in bad[:40]:
        print("FAIL:", b)
    print(f"{seen} events checked against libs {libs}: {len(bad)} problems")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
