/* Which encoder each event id has, family by family: the X-macro lists
 * that build the const dispatch table in encode.c. Each family file
 * (file.c, fd.c, net.c, process.c, misc.c) defines the encoders of its
 * list; this header declares them, so a name missing from its file fails
 * to link and a signature that differs fails to compile. An event listed
 * twice draws -Woverride-init. */
#ifndef PDIG_FAMILIES_H
#define PDIG_FAMILIES_H

#include "events/encoder.h"
#include "schema/schema.h"

/* An int argument (a pid, an fd, poll's timeout) of a call whose 1.0.0
 * driver (the kernel module sysdig 0.29.3 loads) copies the whole 64-bit
 * register: its autofill and those fillers read an unsigned long. The
 * drivers of the modern schemas cast it to a 32-bit int, as pdig does for
 * other int arguments. The two differ only for a caller whose upper 32
 * bits are not the sign extension of the lower (hand-made registers). */
static inline int64_t reg_int_arg(const struct enc_ctx *c, int i)
{
	if (!c->schema || c->schema->id == SCHEMA_1_0_0)
		return (int64_t)c->args[i];
	return (int32_t)c->args[i];
}

/* file.c */
#define FILE_ENCODERS(X) \
	X(EV_SYSCALL_OPEN_E, file_open_e) \
	X(EV_SYSCALL_OPEN_X, file_open_x) \
	X(EV_SYSCALL_CREAT_E, file_creat_e) \
	X(EV_SYSCALL_CREAT_X, file_creat_x) \
	X(EV_SYSCALL_OPENAT_2_E, file_openat_e) \
	X(EV_SYSCALL_OPENAT_2_X, file_openat_x) \
	X(EV_SYSCALL_OPENAT2_E, file_openat2_e) \
	X(EV_SYSCALL_OPENAT2_X, file_openat2_x) \
	X(EV_SYSCALL_CHDIR_X, file_res_path0_x) \
	X(EV_SYSCALL_FCHDIR_E, file_fchdir_e) \
	X(EV_SYSCALL_FCHDIR_X, file_res_x) \
	X(EV_SYSCALL_CHROOT_X, file_res_path0_x) \
	X(EV_SYSCALL_MKDIR_2_E, file_mkdir_e) \
	X(EV_SYSCALL_MKDIR_2_X, file_res_path0_x) \
	X(EV_SYSCALL_MKDIRAT_X, file_mkdirat_x) \
	X(EV_SYSCALL_RMDIR_2_X, file_res_path0_x) \
	X(EV_SYSCALL_UNLINK_2_X, file_res_path0_x) \
	X(EV_SYSCALL_UNLINKAT_2_X, file_unlinkat_x) \
	X(EV_SYSCALL_RENAME_X, file_res_path01_x) \
	X(EV_SYSCALL_RENAMEAT_X, file_renameat_x) \
	X(EV_SYSCALL_RENAMEAT2_X, file_renameat2_x) \
	X(EV_SYSCALL_LINK_2_X, file_res_path01_x) \
	X(EV_SYSCALL_LINKAT_2_X, file_linkat_x) \
	X(EV_SYSCALL_SYMLINK_X, file_res_path01_x) \
	X(EV_SYSCALL_SYMLINKAT_X, file_symlinkat_x) \
	X(EV_SYSCALL_CHMOD_X, file_chmod_x) \
	X(EV_SYSCALL_FCHMOD_X, file_fchmod_x) \
	X(EV_SYSCALL_FCHMODAT_X, file_fchmodat_x) \
	X(EV_SYSCALL_MOUNT_E, file_mount_e) \
	X(EV_SYSCALL_MOUNT_X, file_mount_x) \
	X(EV_SYSCALL_UMOUNT_E, file_umount_e) \
	X(EV_SYSCALL_UMOUNT_X, file_res_path0_x) \
	X(EV_SYSCALL_STAT_X, file_res_path0_x) \
	X(EV_SYSCALL_LSTAT_X, file_res_path0_x) \
	X(EV_SYSCALL_ACCESS_E, file_access_e) \
	X(EV_SYSCALL_ACCESS_X, file_res_path0_x) \
	X(EV_SYSCALL_QUOTACTL_E, file_quotactl_e) \
	X(EV_SYSCALL_QUOTACTL_X, file_quotactl_x) \

/* fd.c */
#define FD_ENCODERS(X) \
	X(EV_SYSCALL_CLOSE_E, fd_arg0) \
	X(EV_SYSCALL_CLOSE_X, fd_res_x) \
	X(EV_SYSCALL_DUP_E, fd_arg0) /* dup, dup2, dup3 */ \
	X(EV_SYSCALL_DUP_X, fd_res_x) \
	X(EV_SYSCALL_PIPE_X, fd_pipe_x) /* pipe, pipe2 */ \
	X(EV_SYSCALL_EVENTFD_E, fd_eventfd_e) \
	X(EV_SYSCALL_EVENTFD_X, fd_res_x) \
	X(EV_SYSCALL_SIGNALFD_E, fd_signalfd_e) \
	X(EV_SYSCALL_SIGNALFD_X, fd_res_x) \
	X(EV_SYSCALL_TIMERFD_CREATE_E, fd_timerfd_create_e) \
	X(EV_SYSCALL_TIMERFD_CREATE_X, fd_res_x) \
	X(EV_SYSCALL_INOTIFY_INIT_E, fd_inotify_init_e) \
	X(EV_SYSCALL_INOTIFY_INIT_X, fd_res_x) \
	X(EV_SYSCALL_FCNTL_E, fd_fcntl_e) \
	X(EV_SYSCALL_FCNTL_X, fd_fcntl_x) \
	X(EV_SYSCALL_READ_E, fd_size_e) \
	X(EV_SYSCALL_READ_X, fd_read_x) \
	X(EV_SYSCALL_WRITE_E, fd_size_e) \
	X(EV_SYSCALL_WRITE_X, fd_write_x) \
	X(EV_SYSCALL_PREAD_E, fd_size_pos_e) /* pread64 */ \
	X(EV_SYSCALL_PREAD_X, fd_read_x) \
	X(EV_SYSCALL_PWRITE_E, fd_size_pos_e) /* pwrite64 */ \
	X(EV_SYSCALL_PWRITE_X, fd_write_x) \
	X(EV_SYSCALL_READV_E, fd_arg0) \
	X(EV_SYSCALL_READV_X, fd_readv_x) \
	X(EV_SYSCALL_WRITEV_E, fd_writev_e) \
	X(EV_SYSCALL_WRITEV_X, fd_writev_x) \
	X(EV_SYSCALL_PREADV_E, fd_preadv_e) \
	X(EV_SYSCALL_PREADV_X, fd_readv_x) \
	X(EV_SYSCALL_PWRITEV_E, fd_pwritev_e) \
	X(EV_SYSCALL_PWRITEV_X, fd_writev_x) \
	X(EV_SYSCALL_SENDFILE_E, fd_sendfile_e) \
	X(EV_SYSCALL_SENDFILE_X, fd_sendfile_x) \
	X(EV_SYSCALL_GETDENTS_E, fd_arg0) \
	X(EV_SYSCALL_GETDENTS_X, fd_res_x) \
	X(EV_SYSCALL_GETDENTS64_E, fd_arg0) \
	X(EV_SYSCALL_GETDENTS64_X, fd_res_x) \
	X(EV_SYSCALL_LSEEK_E, fd_lseek_e) \
	X(EV_SYSCALL_LSEEK_X, fd_res_x) \
	X(EV_SYSCALL_COPY_FILE_RANGE_E, fd_copy_file_range_e) \
	X(EV_SYSCALL_COPY_FILE_RANGE_X, fd_copy_file_range_x) \
	X(EV_SYSCALL_SPLICE_E, fd_splice_e) \
	X(EV_SYSCALL_SPLICE_X, fd_res_x) \
	X(EV_SYSCALL_FLOCK_E, fd_flock_e) \
	X(EV_SYSCALL_FLOCK_X, fd_res_x) \
	X(EV_SYSCALL_FSTAT_E, fd_arg0) \
	X(EV_SYSCALL_FSTAT_X, fd_res_x) \

/* net.c */
#define NET_ENCODERS(X) \
	X(EV_SOCKET_SOCKET_E, net_socket_e) \
	X(EV_SOCKET_SOCKET_X, net_socket_x) \
	X(EV_SOCKET_BIND_E, net_put_fd_only) \
	X(EV_SOCKET_BIND_X, net_bind_x) \
	X(EV_SOCKET_CONNECT_E, net_connect_e) \
	X(EV_SOCKET_CONNECT_X, net_connect_x) \
	X(EV_SOCKET_LISTEN_E, net_listen_e) \
	X(EV_SOCKET_LISTEN_X, net_put_ret_only) \
	X(EV_SOCKET_SENDTO_E, net_sendto_e) \
	X(EV_SOCKET_SENDTO_X, net_sendto_x) \
	X(EV_SOCKET_RECVFROM_E, net_recvfrom_e) \
	X(EV_SOCKET_RECVFROM_X, net_recvfrom_x) \
	X(EV_SOCKET_SHUTDOWN_E, net_shutdown_e) \
	X(EV_SOCKET_SHUTDOWN_X, net_put_ret_only) \
	X(EV_SOCKET_SOCKETPAIR_E, net_socket_e) \
	X(EV_SOCKET_SOCKETPAIR_X, net_socketpair_x) \
	X(EV_SOCKET_SETSOCKOPT_X, net_setsockopt_x) \
	X(EV_SOCKET_GETSOCKOPT_X, net_getsockopt_x) \
	X(EV_SOCKET_SENDMSG_E, net_sendmsg_e) \
	X(EV_SOCKET_SENDMSG_X, net_sendmsg_x) \
	X(EV_SOCKET_RECVMSG_E, net_put_fd_only) \
	X(EV_SOCKET_RECVMSG_X, net_recvmsg_x) \
	X(EV_SOCKET_ACCEPT_5_X, net_accept_x) \
	X(EV_SOCKET_ACCEPT4_5_E, net_accept4_e) \
	X(EV_SOCKET_ACCEPT4_5_X, net_accept_x) \
	X(EV_SOCKET_SENDMMSG_X, net_sendmmsg_x) /* no params before 4.0.1 */ \
	X(EV_SOCKET_RECVMMSG_X, net_recvmmsg_x)

/* process.c */
#define PROCESS_ENCODERS(X) \
	X(EV_SYSCALL_EXECVE_19_E, proc_execve_e) \
	X(EV_SYSCALL_EXECVE_19_X, proc_execve_x) \
	X(EV_SYSCALL_EXECVEAT_E, proc_execveat_e) \
	X(EV_SYSCALL_EXECVEAT_X, proc_execveat_x) \
	X(EV_SYSCALL_CLONE_20_X, proc_clone_x) \
	X(EV_SYSCALL_FORK_20_X, proc_clone_x) \
	X(EV_SYSCALL_VFORK_20_X, proc_clone_x) \
	X(EV_SYSCALL_CLONE3_X, proc_clone_x) \
	X(EV_SYSCALL_SETUID_E, proc_id1_e) \
	X(EV_SYSCALL_SETUID_X, proc_put_ret_only) \
	X(EV_SYSCALL_SETGID_E, proc_id1_e) \
	X(EV_SYSCALL_SETGID_X, proc_put_ret_only) \
	X(EV_SYSCALL_SETRESUID_E, proc_id3_e) \
	X(EV_SYSCALL_SETRESUID_X, proc_put_ret_only) \
	X(EV_SYSCALL_SETRESGID_E, proc_id3_e) \
	X(EV_SYSCALL_SETRESGID_X, proc_put_ret_only) \
	X(EV_SYSCALL_GETUID_X, proc_put_ret_u32) \
	X(EV_SYSCALL_GETEUID_X, proc_put_ret_u32) \
	X(EV_SYSCALL_GETGID_X, proc_put_ret_u32) \
	X(EV_SYSCALL_GETEGID_X, proc_put_ret_u32) \
	X(EV_SYSCALL_GETRESUID_X, proc_getres_x) \
	X(EV_SYSCALL_GETRESGID_X, proc_getres_x) \
	X(EV_SYSCALL_SETSID_X, proc_put_ret_only) \
	X(EV_SYSCALL_SETPGID_E, proc_setpgid_e) \
	X(EV_SYSCALL_SETPGID_X, proc_put_ret_only) \
	X(EV_SYSCALL_SETNS_E, proc_setns_e) \
	X(EV_SYSCALL_SETNS_X, proc_put_ret_only) \
	X(EV_SYSCALL_UNSHARE_E, proc_unshare_e) \
	X(EV_SYSCALL_UNSHARE_X, proc_put_ret_only) \
	X(EV_SYSCALL_KILL_E, proc_kill_e) \
	X(EV_SYSCALL_KILL_X, proc_put_ret_only) \
	X(EV_SYSCALL_TKILL_E, proc_kill_e) \
	X(EV_SYSCALL_TKILL_X, proc_put_ret_only) \
	X(EV_SYSCALL_TGKILL_E, proc_tgkill_e) \
	X(EV_SYSCALL_TGKILL_X, proc_put_ret_only) \
	X(EV_SYSCALL_GETRLIMIT_E, proc_rlimit_e) \
	X(EV_SYSCALL_GETRLIMIT_X, proc_getrlimit_x) \
	X(EV_SYSCALL_SETRLIMIT_E, proc_rlimit_e) \
	X(EV_SYSCALL_SETRLIMIT_X, proc_setrlimit_x) \
	X(EV_SYSCALL_PRLIMIT_E, proc_prlimit_e) \
	X(EV_SYSCALL_PRLIMIT_X, proc_prlimit_x) \
	X(EV_SYSCALL_PTRACE_E, proc_ptrace_e) \
	X(EV_SYSCALL_PTRACE_X, proc_ptrace_x) \
	X(EV_SYSCALL_BPF_E, proc_bpf_e) \
	X(EV_SYSCALL_BPF_X, proc_bpf_x) \
	X(EV_SYSCALL_SECCOMP_E, proc_seccomp_e) \
	X(EV_SYSCALL_SECCOMP_X, proc_put_ret_only) \
	X(EV_SYSCALL_USERFAULTFD_X, proc_userfaultfd_x) \

/* misc.c */
#define MISC_ENCODERS(X) \
	X(EV_SYSCALL_MMAP_E, misc_mmap_e) \
	X(EV_SYSCALL_MMAP_X, misc_vm_x) \
	X(EV_SYSCALL_MUNMAP_E, misc_addr_len_e) \
	X(EV_SYSCALL_MUNMAP_X, misc_vm_x) \
	X(EV_SYSCALL_BRK_4_E, misc_arg0_u64) \
	X(EV_SYSCALL_BRK_4_X, misc_vm_x) \
	X(EV_SYSCALL_MPROTECT_E, misc_mprotect_e) \
	X(EV_SYSCALL_MPROTECT_X, misc_put_ret_only) \
	X(EV_SYSCALL_NANOSLEEP_E, misc_nanosleep_e) \
	X(EV_SYSCALL_NANOSLEEP_X, misc_put_ret_only) \
	X(EV_SYSCALL_FUTEX_E, misc_futex_e) \
	X(EV_SYSCALL_FUTEX_X, misc_put_ret_only) \
	X(EV_SYSCALL_POLL_E, misc_poll_e) \
	X(EV_SYSCALL_POLL_X, misc_poll_x) \
	X(EV_SYSCALL_PPOLL_E, misc_ppoll_e) \
	X(EV_SYSCALL_PPOLL_X, misc_poll_x) \
	X(EV_SYSCALL_EPOLLWAIT_E, misc_epoll_wait_e) \
	X(EV_SYSCALL_EPOLLWAIT_X, misc_put_ret_only) \
	X(EV_SYSCALL_SELECT_X, misc_put_ret_only) \
	X(EV_SYSCALL_IOCTL_3_E, misc_ioctl_e) \
	X(EV_SYSCALL_IOCTL_3_X, misc_put_ret_only) \
	X(EV_SYSCALL_GETCWD_X, misc_getcwd_x) \
	X(EV_SYSCALL_SEMOP_E, misc_semop_e) \
	X(EV_SYSCALL_SEMOP_X, misc_semop_x) \
	X(EV_SYSCALL_SEMGET_E, misc_semget_e) \
	X(EV_SYSCALL_SEMGET_X, misc_put_ret_only) \
	X(EV_SYSCALL_SEMCTL_E, misc_semctl_e) \
	X(EV_SYSCALL_SEMCTL_X, misc_put_ret_only) \

/* Exits that since libs 0.22 (schema 4.0.1) end with every param of their
 * enter event, in the enter's order, after their 1.0.0 params: the
 * enter's encoder writes that tail (encode.c). Generated from the 0.25.4
 * table: the exits whose params past the 1.0.0 count are exactly their
 * enter's (tests/events/test_exit_tails.c checks it stays so). */
#define EXITS_WITH_ENTER_TAIL(X) \
	X(EV_SYSCALL_CLOSE_X) \
	X(EV_SYSCALL_READ_X) \
	X(EV_SYSCALL_WRITE_X) \
	X(EV_SOCKET_BIND_X) \
	X(EV_SOCKET_CONNECT_X) \
	X(EV_SOCKET_LISTEN_X) \
	X(EV_SOCKET_SENDTO_X) \
	X(EV_SOCKET_RECVFROM_X) \
	X(EV_SOCKET_SHUTDOWN_X) \
	X(EV_SOCKET_SOCKETPAIR_X) \
	X(EV_SOCKET_SENDMSG_X) \
	X(EV_SYSCALL_EVENTFD_X) \
	X(EV_SYSCALL_FUTEX_X) \
	X(EV_SYSCALL_FSTAT_X) \
	X(EV_SYSCALL_EPOLLWAIT_X) \
	X(EV_SYSCALL_LSEEK_X) \
	X(EV_SYSCALL_LLSEEK_X) \
	X(EV_SYSCALL_FCHDIR_X) \
	X(EV_SYSCALL_PREAD_X) \
	X(EV_SYSCALL_PWRITE_X) \
	X(EV_SYSCALL_READV_X) \
	X(EV_SYSCALL_WRITEV_X) \
	X(EV_SYSCALL_PREADV_X) \
	X(EV_SYSCALL_PWRITEV_X) \
	X(EV_SYSCALL_SIGNALFD_X) \
	X(EV_SYSCALL_KILL_X) \
	X(EV_SYSCALL_TKILL_X) \
	X(EV_SYSCALL_TGKILL_X) \
	X(EV_SYSCALL_NANOSLEEP_X) \
	X(EV_SYSCALL_TIMERFD_CREATE_X) \
	X(EV_SYSCALL_INOTIFY_INIT_X) \
	X(EV_SYSCALL_GETRLIMIT_X) \
	X(EV_SYSCALL_SETRLIMIT_X) \
	X(EV_SYSCALL_BRK_4_X) \
	X(EV_SYSCALL_MMAP_X) \
	X(EV_SYSCALL_MMAP2_X) \
	X(EV_SYSCALL_MUNMAP_X) \
	X(EV_SYSCALL_SPLICE_X) \
	X(EV_SYSCALL_PTRACE_X) \
	X(EV_SYSCALL_IOCTL_3_X) \
	X(EV_SYSCALL_QUOTACTL_X) \
	X(EV_SYSCALL_SETRESUID_X) \
	X(EV_SYSCALL_SETRESGID_X) \
	X(EV_SYSCALL_SETUID_X) \
	X(EV_SYSCALL_SETGID_X) \
	X(EV_SYSCALL_GETDENTS_X) \
	X(EV_SYSCALL_GETDENTS64_X) \
	X(EV_SYSCALL_SETNS_X) \
	X(EV_SYSCALL_FLOCK_X) \
	X(EV_SYSCALL_SEMOP_X) \
	X(EV_SYSCALL_SEMCTL_X) \
	X(EV_SYSCALL_MOUNT_X) \
	X(EV_SYSCALL_SEMGET_X) \
	X(EV_SYSCALL_ACCESS_X) \
	X(EV_SYSCALL_MKDIR_2_X) \
	X(EV_SYSCALL_UNSHARE_X) \
	X(EV_SYSCALL_SETPGID_X) \
	X(EV_SYSCALL_SECCOMP_X) \
	X(EV_SYSCALL_MPROTECT_X) \
	X(EV_SYSCALL_COPY_FILE_RANGE_X)

/* modern.c: events of the libs 0.22+ schemas only (exits) */
#define MODERN_ENCODERS(X) \
	X(EV_SYSCALL_OPEN_BY_HANDLE_AT_X, modern_open_by_handle_at_x) \
	X(EV_SYSCALL_IO_URING_SETUP_X, modern_io_uring_setup_x) \
	X(EV_SYSCALL_IO_URING_ENTER_X, modern_io_uring_enter_x) \
	X(EV_SYSCALL_IO_URING_REGISTER_X, modern_io_uring_register_x) \
	X(EV_SYSCALL_MLOCK_X, modern_mlock_x) \
	X(EV_SYSCALL_MUNLOCK_X, modern_mlock_x) \
	X(EV_SYSCALL_MLOCK2_X, modern_mlock_x) \
	X(EV_SYSCALL_MLOCKALL_X, modern_mlockall_x) \
	X(EV_SYSCALL_MUNLOCKALL_X, modern_mlockall_x) \
	X(EV_SYSCALL_CAPSET_X, modern_capset_x) \
	X(EV_SYSCALL_DUP2_X, modern_dup_x) \
	X(EV_SYSCALL_DUP3_X, modern_dup_x) \
	X(EV_SYSCALL_DUP_1_X, modern_dup_x) \
	X(EV_SYSCALL_BPF_2_X, modern_bpf_x) \
	X(EV_SYSCALL_FSCONFIG_X, modern_fsconfig_x) \
	X(EV_SYSCALL_EPOLL_CREATE_X, modern_epoll_create_x) \
	X(EV_SYSCALL_EPOLL_CREATE1_X, modern_epoll_create1_x) \
	X(EV_SYSCALL_CHOWN_X, modern_chown_x) \
	X(EV_SYSCALL_LCHOWN_X, modern_chown_x) \
	X(EV_SYSCALL_FCHOWN_X, modern_fchown_x) \
	X(EV_SYSCALL_FCHOWNAT_X, modern_fchownat_x) \
	X(EV_SOCKET_ACCEPT4_6_X, modern_accept4_x) \
	X(EV_SYSCALL_UMOUNT2_X, modern_umount2_x) \
	X(EV_SYSCALL_PIPE2_X, modern_pipe2_x) \
	X(EV_SYSCALL_INOTIFY_INIT1_X, modern_flags16_x) \
	X(EV_SYSCALL_EVENTFD2_X, modern_eventfd2_x) \
	X(EV_SYSCALL_SIGNALFD4_X, modern_signalfd4_x) \
	X(EV_SYSCALL_PRCTL_X, modern_prctl_x) \
	X(EV_SYSCALL_MEMFD_CREATE_X, modern_memfd_create_x) \
	X(EV_SYSCALL_PIDFD_GETFD_X, modern_pidfd_getfd_x) \
	X(EV_SYSCALL_PIDFD_OPEN_X, modern_pidfd_open_x) \
	X(EV_SYSCALL_INIT_MODULE_X, modern_init_module_x) \
	X(EV_SYSCALL_FINIT_MODULE_X, modern_finit_module_x) \
	X(EV_SYSCALL_MKNOD_X, modern_mknod_x) \
	X(EV_SYSCALL_MKNODAT_X, modern_mknodat_x) \
	X(EV_SYSCALL_NEWFSTATAT_X, modern_newfstatat_x) \
	X(EV_SYSCALL_PROCESS_VM_READV_X, modern_process_vm_x) \
	X(EV_SYSCALL_PROCESS_VM_WRITEV_X, modern_process_vm_x) \
	X(EV_SYSCALL_DELETE_MODULE_X, modern_delete_module_x) \
	X(EV_SYSCALL_SETREUID_X, modern_setreid_x) \
	X(EV_SYSCALL_SETREGID_X, modern_setreid_x) \
	X(EV_SYSCALL_CLOSE_RANGE_X, modern_close_range_x) \
	X(EV_SYSCALL_KEYCTL_X, modern_keyctl_x)

#define ENC_DECLARE(ev, fn) void fn(struct evbuf *b, const struct enc_ctx *c);
FILE_ENCODERS(ENC_DECLARE)
FD_ENCODERS(ENC_DECLARE)
NET_ENCODERS(ENC_DECLARE)
PROCESS_ENCODERS(ENC_DECLARE)
MISC_ENCODERS(ENC_DECLARE)
MODERN_ENCODERS(ENC_DECLARE)
#undef ENC_DECLARE

/* One { event, fn } pair of a family list, for code that walks a family
 * (the encoder tests): { FILE_ENCODERS(ENC_DEF) { 0, NULL } }. */
#define ENC_DEF(ev, fn) { ev, fn },

#endif
