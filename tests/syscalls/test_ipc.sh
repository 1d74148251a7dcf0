#!/bin/bash
# semget/semop/semctl and process_vm_readv/writev under `pdig -a`, decoded
# by the real `sysdig -u`. The 5th field is evt.arg.nativeID (set only on
# the generic events that process_vm_* map to).
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/partb_lib.sh"
e2e_isolate "$@"
EV=$WORK/ev
SC_F5=evt.arg.nativeID sc_capture sc_ipc "$EV" -- "$HELPERS/sc_ipc" >"$WORK/stdout"
expect_eq "$PRC" 0 "sc_ipc exits 0"
ID=$(sed -n 's/^semid //p' "$WORK/stdout")
expect_eq "$(sed -n 's/^dst //p' "$WORK/stdout")" "vm-writedata" "process_vm_readv/writev worked under pdig"

call semget "semget IPC_PRIVATE, IPC_CREAT" ">|semget|<NA>|<NA>|key=0 nsems=2 semflg=8192\(IPC_CREAT\)$" "<|semget|SUCCESS|<NA>|res=$ID$"
call semget "semget ENOENT" ">|semget|<NA>|<NA>|key=5C5C5C5C nsems=1 semflg=0$" "<|semget|ENOENT|<NA>|res=-2\(ENOENT\)$"
call semop "semop, two sembufs" ">|semop|<NA>|<NA>|semid=$ID$" \
	"<|semop|SUCCESS|<NA>|res=0 nsops=2 sem_num_0=0 sem_op_0=3 sem_flg_0=2\(SEM_UNDO\) sem_num_1=1 sem_op_1=1 sem_flg_1=1\(IPC_NOWAIT\)$"
# The driver copies the sembufs whatever the result (f_sys_semop_x).
call semop "semop EAGAIN still shows the sembuf" ">|semop|<NA>|<NA>|semid=$ID$" \
	"<|semop|EAGAIN|<NA>|res=-11\(EAGAIN\) nsops=1 sem_num_0=1 sem_op_0=-2 sem_flg_0=1\(IPC_NOWAIT\) sem_num_1=0 sem_op_1=0 sem_flg_1=0$"
call semop "semop EINVAL (removed set)" ">|semop|<NA>|<NA>|semid=$ID$" \
	"<|semop|EINVAL|<NA>|res=-22\(EINVAL\) nsops=1 sem_num_0=0 sem_op_0=3 sem_flg_0=2\(SEM_UNDO\) sem_num_1=0 sem_op_1=0 sem_flg_1=0$"
call semctl "semctl SETVAL 5" ">|semctl|<NA>|<NA>|semid=$ID semnum=0 cmd=4096\(SETVAL\) val=5$" "<|semctl|SUCCESS|<NA>|res=0$"
call semctl "semctl EINVAL (unknown cmd)" ">|semctl|<NA>|<NA>|semid=$ID semnum=0 cmd=0 val=0$" "<|semctl|EINVAL|<NA>|res=-22\(EINVAL\)$"
call semctl "semctl IPC_RMID" ">|semctl|<NA>|<NA>|semid=$ID semnum=0 cmd=4\(IPC_RMID\) val=0$" "<|semctl|SUCCESS|<NA>|res=0$"

# Generic events carry only the syscall's name and number.
gen() {
	local n=$1 nr=$2
	pair "$n (generic, nativeID $nr)" ">|$n|<NA>|$nr|$" "<|$n|<NA>|<NA>|$"
	expect_eq "$(grep -c "^[0-9]*|>|$n|<NA>|$nr|$" "$EV")" 2 "$n: both calls (success and failure) seen"
}
call process_vm_readv gen 310
call process_vm_writev gen 311
finish
