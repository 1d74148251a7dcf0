#!/bin/bash
# The udig ring is out of the tracee's reach: it cannot open
# /dev/shm/udig_descs to write a live PID into buffer_lock (which made pdig
# drop every later event silently) or clear capturing_pid (which made pdig
# think no consumer was there), nor open the ring by another name. Each
# refused open fails with EACCES and is an event; later events arrive.
. "$(dirname "$0")/lib_tamper.sh" "$@"

attack_run lock lock
expect_grep "$WORK/lock.stdout" '^lock=EACCES$' "opening udig_descs to steal the lock fails with EACCES"
expect_grep "$WORK/lock.out" '^attack\|<\|(open|openat)\|EACCES\|.*name=/dev/shm/udig_descs flags=[0-9]+\([A-Z_|]*O_RDWR' \
	"the refused open of udig_descs is an event"
expect_after lock
expect_no_grep "$WORK/lock.out.err" 'Driver Drops: *[1-9]' "no event was dropped"

attack_run capturing capturing
expect_grep "$WORK/capturing.stdout" '^capturing=EACCES$' "opening udig_descs to clear capturing_pid fails with EACCES"
expect_after capturing

# another name for the same object
attack_run alias openw /proc/self/root/dev/shm/udig_buf
expect_grep "$WORK/alias.stdout" '^openw=EACCES$' "udig_buf through /proc/self/root fails with EACCES"
expect_after alias

# reading is not writing: a read-only open is let through
attack_run readonly openr /dev/shm/udig_descs
expect_grep "$WORK/readonly.stdout" '^openr=OK$' "a read-only open of udig_descs runs"
finish
