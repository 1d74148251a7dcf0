#!/bin/bash
# FD/IO family under `pdig -a`: I/O on fds and the fd-table syscalls of
# progs/sc_fdio.c, success and failure, as the real `sysdig -u` decodes
# them; and the data snaplen the consumer asks for (-s) is honoured.
. "$(dirname "$0")/sclib.sh"
e2e_isolate "$@"
D=$WORK/d
mkdir "$D"
sc_trace sc_fdio -- "$HELPERS/sc_fdio" "$D"
expect_eq "$PRC" 0 "sc_fdio exits 0"
v() { val "$1" sc_fdio; }
f=$(v f) F="$(v f)(<f>$D/data)" N=$D/data
IFS=, read -r p0 p1 <<<"$(v pipe)"
IFS=, read -r q0 q1 <<<"$(v pipe2)"
# the 300-byte text: "pdig-snaplen-0123456789/" repeated
T=$(printf 'pdig-snaplen-0123456789/%.0s' {1..13})

# write / read / lseek; writes carry the buffer whatever the result,
# reads only what was read
call write "fd=$F size=300" SUCCESS "$N" "res=300 data=${T:0:80}"
call write "fd=999 size=1" EBADF "" "res=-9(EBADF) data=x"
call write "fd=$F size=10" EFAULT "$N" "res=-14(EFAULT) data="
call lseek "fd=$F offset=10 whence=0(SEEK_SET)" SUCCESS "$N" "res=10"
call lseek "fd=999 offset=-5 whence=2(SEEK_END)" EBADF "" "res=-9(EBADF)"
call read "fd=$F size=20" SUCCESS "$N" "res=20 data=${T:10:20}"
call read "fd=999 size=5" EBADF "" "res=-9(EBADF) data="

# positional and vectored I/O
call pwrite64:pwrite "fd=$F size=6 pos=100" SUCCESS "$N" "res=6 data=PWRITE"
call pwrite64:pwrite "fd=999 size=6 pos=100" EBADF "" "res=-9(EBADF) data=PWRITE"
call pread64:pread "fd=$F size=6 pos=100" SUCCESS "$N" "res=6 data=PWRITE"
call pread64:pread "fd=$F size=6 pos=-1" EINVAL "$N" "res=-22(EINVAL) data="
call writev "fd=$F size=5" SUCCESS "$N" "res=5 data=abcde"
call writev "fd=999 size=5" EBADF "" "res=-9(EBADF) data=abcde"
call readv "fd=$F" SUCCESS "$N" "res=8 size=8 data=${T:0:8}"
call readv "fd=999" EBADF "" "res=-9(EBADF) size=8 data="
call pwritev "fd=$F size=3 pos=200" SUCCESS "$N" "res=3 data=XYZ"
call pwritev "fd=999 size=3 pos=200" EBADF "" "res=-9(EBADF) data=XYZ"
call preadv "fd=$F pos=200" SUCCESS "$N" "res=3 size=3 data=XYZ"
call preadv "fd=999 pos=200" EBADF "" "res=-9(EBADF) size=3 data="
call fstat "fd=$F" SUCCESS "$N" "res=0"
call fstat "fd=999" EBADF "" "res=-9(EBADF)"

# dup, dup2 and dup3 share the dup event; the new fd names the file
call dup "fd=$F" SUCCESS "$N" "res=$(v dup)(<f>$N)"
call dup "fd=999" EBADF "" "res=-9(EBADF)"
call dup2:dup "fd=$F" SUCCESS "$N" "res=20(<f>$N)"
call dup2:dup "fd=999" EBADF "" "res=-9(EBADF)"
call dup3:dup "fd=$F" SUCCESS "$N" "res=21(<f>$N)"
call dup3:dup "fd=$F" EINVAL "$N" "res=-22(EINVAL)"
call fcntl "fd=$F cmd=26(F_DUPFD_CLOEXEC)" SUCCESS "$N" "res=30(<f>$N)"
call fcntl "fd=999 cmd=4(F_GETFL)" EBADF "" "res=-9(EBADF)"
call flock "fd=$F operation=6(LOCK_EX|LOCK_NB)" SUCCESS "$N" "res=0"
call flock "fd=999 operation=8(LOCK_UN)" EBADF "" "res=-9(EBADF)"
call close "fd=21(<f>$N)" SUCCESS "$N" "res=0"
call close "fd=999" EBADF "" "res=-9(EBADF)"

# fd-creating syscalls (the driver leaves eventfd/signalfd/timerfd/inotify
# flags, signalfd's mask and timerfd's clockid at 0)
call pipe "" SUCCESS "" "res=0 fd1=$p0(<p>) fd2=$p1(<p>) ino=[1-9]*"
call pipe "" EFAULT "" "res=-14(EFAULT) fd1=-1(EPERM) fd2=-1(EPERM) ino=0"
call pipe2:pipe "" SUCCESS "" "res=0 fd1=$q0(<p>) fd2=$q1(<p>) ino=[1-9]*"
call pipe2:pipe "" EINVAL "" "res=-22(EINVAL) fd1=$q0(<p>) fd2=$q1(<p>) ino=0"
call eventfd "initval=5 flags=0" SUCCESS "" "res=$(v ev)(<e>)"
call eventfd2:eventfd "initval=7 flags=0" SUCCESS "" "res=$(v ev2)(<e>)"
call eventfd2:eventfd "initval=0 flags=0" EINVAL "" "res=-22(EINVAL)"
call signalfd "fd=-1(EPERM) mask=0 flags=0" SUCCESS "" "res=$(v sfd)(<s>)"
call signalfd4:signalfd "fd=-1(EPERM) mask=0 flags=0" SUCCESS "" "res=$(v sfd4)(<s>)"
call signalfd4:signalfd "fd=$F mask=0 flags=0" EINVAL "" "res=-22(EINVAL)"
call timerfd_create "clockid=0 flags=0" SUCCESS "" "res=$(v tfd)(<t>)"
call timerfd_create "clockid=0 flags=0" EINVAL "" "res=-22(EINVAL)"
call inotify_init "flags=0" SUCCESS "" "res=$(v ifd)(<i>)"
call inotify_init1:inotify_init "flags=0" SUCCESS "" "res=$(v ifd1)(<i>)"
call inotify_init1:inotify_init "flags=0" EINVAL "" "res=-22(EINVAL)"

# data moved between fds; sendfile's offset is read before and after,
# copy_file_range records the offset pointers (as the driver does)
call sendfile "out_fd=$p1(<p>) in_fd=$F offset=0 size=16" SUCCESS "" "res=16 offset=16"
call sendfile "out_fd=$p1(<p>) in_fd=999 offset=16 size=16" EBADF "" "res=-9(EBADF) offset=16"
call splice "fd_in=$p0(<p>) fd_out=$F size=16 flags=1(SPLICE_F_MOVE)" SUCCESS "" "res=16"
call splice "fd_in=999 fd_out=$F size=16 flags=0" EBADF "" "res=-9(EBADF)"
call copy_file_range "fdin=$F offin=$(v cin) len=10" SUCCESS "$N" "res=10 fdout=$F offout=$(v cout)"
call copy_file_range "fdin=999 offin=$(v cin) len=10" EBADF "$N" "res=-9(EBADF) fdout=$F offout=$(v cout)"

# ioctl: request and argument in hex
call ioctl "fd=$F request=541B argument=$(v nread)" SUCCESS "$N" "res=0"
call ioctl "fd=$F request=5401 argument=$(v tcgets)" ENOTTY "$N" "res=-25(ENOTTY)"

# snaplen: the 300-byte write shows 80 bytes by default (above), exactly
# 200 when the consumer asks for 200
sc_trace sc_fdio -s 200 -- "$HELPERS/sc_fdio" "$D"
call write "fd=$F size=300" SUCCESS "$N" "res=300 data=${T:0:200}"
expect_eq "${#T}" 312 "snaplen text is long enough"
finish
