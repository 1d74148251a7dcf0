/* Descriptions of processes and open fds in the event schema's terms:
 * what a consumer's state tables (the capture's process and fd lists, a
 * plugin's view of the processes) are built from. They sit in the schema
 * layer because both sides need them and neither may see the other: the
 * procfs layer produces them from /proc, the sinks take them through a
 * struct state_source that main wires between the two. Plain data only. */
#ifndef PDIG_STATE_DESC_H
#define PDIG_STATE_DESC_H

#include <stddef.h>
#include <stdint.h>

/* A byte string borrowed from the producer: valid only during the call
 * that hands it over (or until the next call to the same source). */
struct desc_str {
	const char *p;
	size_t len;
};

/* One thread as the capture's process list (PL_V9) needs it. */
struct proc_desc {
	int64_t tid, pid, ptid, sid, pgid;
	int64_t vtid, vpid;
	uint32_t uid, gid;  /* effective */
	int32_t loginuid;   /* -1 when unset */
	uint64_t fdlimit;   /* RLIMIT_NOFILE soft */
	uint64_t pgft_maj, pgft_min;
	uint32_t vm_size_kb, vm_rss_kb, vm_swap_kb;
	uint8_t exe_writable;
	struct desc_str comm, exe, exepath, cwd, root;
	struct desc_str args;    /* argv[1..], each NUL-terminated */
	struct desc_str env;     /* KEY=VAL\0... */
	struct desc_str cgroups; /* controller=path\0... */
};

/* What kind of fd: the values of the consumer's fd type (scap_fd_type). */
enum fd_desc_type {
	FDD_FILE = 1, FDD_DIRECTORY = 2, FDD_IPV4_SOCK = 3, FDD_IPV6_SOCK = 4,
	FDD_IPV4_SERVSOCK = 5, FDD_IPV6_SERVSOCK = 6, FDD_FIFO = 7,
	FDD_UNIX_SOCK = 8, FDD_EVENT = 9, FDD_UNSUPPORTED = 10,
	FDD_SIGNALFD = 11, FDD_EVENTPOLL = 12, FDD_INOTIFY = 13,
	FDD_TIMERFD = 14, FDD_FILE_V2 = 16,
};

/* Layer-4 protocol of an inet socket, as the consumer numbers it. */
enum fd_desc_l4 { FDD_L4_UNKNOWN = 0, FDD_L4_TCP = 2, FDD_L4_UDP = 3, FDD_L4_RAW = 5 };

/* One open fd of a process, already in the event schema's terms. */
struct fd_desc {
	int64_t fd;
	uint64_t ino;
	uint8_t type;         /* enum fd_desc_type */
	/* path (file, directory, fifo, unix socket) or the fd's link text
	 * (pipe:[N], anon_inode:..., socket:[N]); empty for inet sockets */
	struct desc_str name;
	uint32_t open_flags;  /* FILE_V2: PPM_O_* */
	uint32_t dev;         /* FILE_V2: the driver's encoding of st_dev */
	/* inet sockets: addresses in network order (IPv4 in the first 4
	 * bytes), ports in host order; a server socket has only local ones */
	uint8_t l4proto;      /* enum fd_desc_l4 */
	uint8_t local_addr[16], peer_addr[16];
	uint16_t local_port, peer_port;
};

typedef void (*fd_desc_fn)(void *arg, const struct fd_desc *fd);

/* Where a sink gets the current state from; main wires one (from the
 * procfs layer) into every sink that takes it. */
struct state_source {
	void *ctx;
	/* Thread tid as it is now, NULL if it is gone. Valid until the next
	 * call to the source. */
	const struct proc_desc *(*process)(void *ctx, int64_t tid);
	/* Calls fn once for each fd open in process pid now. */
	void (*each_fd)(void *ctx, int64_t pid, fd_desc_fn fn, void *arg);
};

#endif
