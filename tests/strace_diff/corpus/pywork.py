# File and socket work: a TCP listener and a client in one process.
import os
import socket

with open('data.bin', 'wb') as f:
    f.write(b'x' * 5000)
with open('data.bin', 'rb') as f:
    assert len(f.read()) == 5000
os.rename('data.bin', 'data2.bin')
os.unlink('data2.bin')
try:
    open('/nonexistent/file')
except OSError:
    pass

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('127.0.0.1', 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
cli.sendall(b'hello over tcp')
assert conn.recv(100) == b'hello over tcp'
conn.sendall(b'reply')
assert cli.recv(100) == b'reply'
cli.shutdown(socket.SHUT_WR)
assert conn.recv(100) == b''
for s in (conn, cli, srv):
    s.close()
