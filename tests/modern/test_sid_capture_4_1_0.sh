#!/bin/bash
# A capture pdig writes in schema 4.1.0 (`--schema 0.23`), read by sysdig
# 0.41.4 (libs 0.23.2), the consumer that schema is for: process names,
# command lines, files, tuples and exit codes come out as with sysdig
# 0.29.3, and every field the driver fills has a value (no <NA>): user.uid,
# the exe's inode and times, the writable flag, exe paths, process groups,
# capability sets, fd.ino.
. "$(dirname "$0")/lib.sh"
sid_need
E2E_HELPERS=${E2E_HELPERS:?}
CAP=$WORK/cap.scap

# exit status 3, a file, a pipe, a child, a TCP connection
"$PDIG" --schema 0.23 -w "$CAP" /bin/bash -c \
	'cat /etc/hostname | cat >/dev/null; "$1" >"$2"; exit 3' _ "$E2E_HELPERS/tcp_pair" "$WORK/ports"
expect_eq $? 3 "pdig exits with the program's status"
read -r _ sport _ cport <"$WORK/ports"

F='*%evt.num|%proc.name|%evt.dir|%evt.type|%evt.res|%proc.cmdline|%fd.name|%fd.ino|%user.uid|%proc.pgid|%proc.vpgid'
sid_read "$CAP" "$F" >"$WORK/out" 2>"$WORK/err"
expect_eq $? 0 "sysdig 0.41.4 -r exits 0 $(head -c 300 "$WORK/err")"
expect_grep "$WORK/out" '\|cat\|<\|execve\|SUCCESS\|cat /etc/hostname\|' "execve exit: proc.name cat, its cmdline"
ino=$(stat -c %i /etc/hostname)
expect_grep "$WORK/out" "\\|cat\\|<\\|openat\\|SUCCESS\\|cat /etc/hostname\\|/etc/hostname\\|$ino\\|0\\|" \
	"openat exit: fd.name and fd.ino of /etc/hostname, user.uid 0"
expect_grep "$WORK/out" "\\|<\\|connect\\|SUCCESS\\|.*\\|127\\.0\\.0\\.1:$cport->127\\.0\\.0\\.1:$sport\\|" \
	"connect: fd.name is the client->server tuple"
expect_grep "$WORK/out" "\\|<\\|accept4?\\|SUCCESS\\|.*\\|127\\.0\\.0\\.1:$cport->127\\.0\\.0\\.1:$sport\\|" \
	"accept: fd.name is the client->server tuple"
expect_grep "$WORK/out" '\|tcp_pair\|<\|execve\|SUCCESS\|' "the helper's execve"
expect_grep "$WORK/out" '\|bash\|>\|procexit\|' "procexit of bash"
expect_no_grep "$WORK/out" '^[0-9]+\|<NA>\|' "every event has a process name"
# a closed fd must leave the table (the exit carries the fd since 4.0.1)
expect_grep "$WORK/out" '\|cat\|<\|close\|SUCCESS\|.*\|/etc/hostname\|' "close names the file it closes"

# The process fields of every exec'd program: a value, not <NA>.
P='*%evt.num|%proc.name|%user.uid|%user.loginuid|%proc.exe_ino|%proc.exe_ino.ctime|%proc.exe_ino.mtime|%proc.is_exe_writable|%proc.is_exe_upper_layer|%proc.is_exe_from_memfd|%proc.exepath|%proc.pgid|%proc.vpgid|%thread.cap_permitted|%thread.cap_effective|%thread.cap_inheritable|%proc.exe'
sid_read "$CAP" "$P" 'evt.type=execve and evt.dir=< and proc.name=cat' >"$WORK/proc" 2>>"$WORK/err"
expect_grep "$WORK/proc" '^[0-9]+\|cat\|' "cat's execve exit read with the process fields"
expect_no_grep "$WORK/proc" '<NA>' "no <NA> in cat's process fields"
cat_ino=$(stat -L -c %i /usr/bin/cat)
expect_grep "$WORK/proc" "^[0-9]+\\|cat\\|0\\|[^|]*\\|$cat_ino\\|" "proc.exe_ino is cat's inode, user.uid 0"
expect_grep "$WORK/proc" '\|true\|false\|false\|/usr/bin/cat\|' "root may write cat; not overlay, not memfd; exepath"
# caps: root's full permitted and effective sets, shown by name
expect_grep "$WORK/proc" '\|[^|]*CAP_SYS_ADMIN[^|]*\|[^|]*CAP_SYS_ADMIN[^|]*\|' "capabilities"

# The fd table through events new in 4.0.1: bash's pipe2 and dup2 give the
# first cat a pipe for stdout, which its close then names.
sid_read "$CAP" '*%evt.num|%proc.name|%evt.dir|%evt.type|%evt.res|%fd.type|%evt.args' \
	'evt.type in (pipe2,dup2,close)' >"$WORK/fds" 2>>"$WORK/err"
expect_grep "$WORK/fds" '\|bash\|<\|pipe2\|SUCCESS\|pipe\|res=0 fd1=[1-9][0-9]*\(<p>\) fd2=[1-9][0-9]*\(<p>\) ino=[1-9]' \
	"pipe2: both fds and the pipe's inode"
expect_grep "$WORK/fds" '\|bash\|<\|dup2\|SUCCESS\|pipe\|res=1\(<p>\) oldfd=[0-9]+\(<p>\) newfd=1\(<p>\)' \
	"dup2: the pipe becomes stdout"
expect_grep "$WORK/fds" '\|cat\|<\|close\|SUCCESS\|pipe\|res=0 fd=1\(<p>\)' "cat's stdout is the pipe"

sid_read "$CAP" '*%evt.num|%proc.name|%evt.type|%evt.arg.ret|%evt.arg.status' 'evt.type=procexit and proc.name=bash' \
	>"$WORK/exit" 2>>"$WORK/err"
expect_grep "$WORK/exit" '\|bash\|procexit\|3\|' "bash's exit code 3"
finish
