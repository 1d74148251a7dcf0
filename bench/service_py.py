"""A non-web service for bench/service.sh: a log shipper.

Each operation appends a record to a spool file (open, write, close), reads
the spool's size back (stat), and ships the record to a collector over a new
loopback TCP connection (connect, send, recv of the ack, close); the
collector is a forked child of this process, so both ends are traced.
That is the syscall mix of an agent that batches nothing: file and network
work, no HTTP. Runs for DURATION seconds and prints `ops N secs S ops_per_s R`.

    python3 service_py.py DURATION SPOOL_DIR
"""
import os
import socket
import sys
import time


def collector(srv, parent):
    # ends when the shipper is gone, however it went (killed, failed)
    srv.settimeout(0.5)
    while os.getppid() == parent:
        try:
            c, _ = srv.accept()
        except socket.timeout:
            continue
        c.settimeout(None)
        data = c.recv(256)
        if not data:
            c.close()
            continue
        c.sendall(b"ok")
        c.close()


def main():
    duration = float(sys.argv[1])
    spool = os.path.join(sys.argv[2], "spool.log")
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    port = srv.getsockname()[1]
    parent = os.getpid()
    child = os.fork()
    if child == 0:
        try:
            collector(srv, parent)
        finally:
            os._exit(0)
    srv.close()
    try:
        ops, secs = ship(spool, port, duration)
    finally:
        os.kill(child, 9)
        os.waitpid(child, 0)
    print("ops %d secs %.3f ops_per_s %.1f" % (ops, secs, ops / secs))


def ship(spool, port, duration):
    record = b"x" * 100 + b"\n"
    ops = 0
    start = time.monotonic()
    end = start + duration
    while time.monotonic() < end:
        fd = os.open(spool, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.write(fd, record)
        os.close(fd)
        if os.stat(spool).st_size > 1 << 20:
            os.truncate(spool, 0)
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(record)
        s.recv(16)
        s.close()
        ops += 1
    return ops, time.monotonic() - start


main()
