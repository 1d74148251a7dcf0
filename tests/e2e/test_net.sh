#!/bin/bash
# TCP on 127.0.0.1 and a unix socket: fd.name shows the tuple or the path.
. "$(dirname "$0")/lib.sh"
e2e_isolate "$@"
F='*%proc.name|%thread.tid|%evt.dir|%evt.type|%evt.res|%fd.name|%fd.type'
consume_run "$WORK/out" "$F" -- "$PDIG" "$HELPERS/tcp_pair" >"$WORK/stdout"
expect_eq "$PRC" 0 "tcp_pair exits 0"
read -r _ sport _ cport <"$WORK/stdout"
expect_grep "$WORK/out" "\|<\|connect\|SUCCESS\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport\|ipv4$" "connect: fd.name is the client->server tuple"
expect_grep "$WORK/out" "\|<\|accept4?\|SUCCESS\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport\|ipv4$" "accept: fd.name is the client->server tuple"
expect_grep "$WORK/out" "\|<\|bind\|SUCCESS\|" "bind"
expect_grep "$WORK/out" "\|<\|listen\|SUCCESS\|" "listen"
expect_grep "$WORK/out" "\|<\|sendto\|SUCCESS\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport" "send on the client socket"
expect_grep "$WORK/out" "\|<\|recvfrom\|SUCCESS\|127\.0\.0\.1:$cport->127\.0\.0\.1:$sport" "recv on the server socket"

consume_run "$WORK/uout" "$F" -- "$PDIG" "$HELPERS/unix_pair" "$WORK/sock"
expect_eq "$PRC" 0 "unix_pair exits 0"
expect_grep "$WORK/uout" "\|<\|connect\|SUCCESS\|.*$WORK/sock\|unix$" "unix connect: fd.name has the path"
expect_grep "$WORK/uout" "\|<\|accept4?\|SUCCESS\|.*$WORK/sock\|unix$" "unix accept: fd.name has the path"
finish
