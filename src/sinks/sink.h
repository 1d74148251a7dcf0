/* A sink takes finished events. The tracer hands every event to the sink
 * set (sinks.c); each sink decides whether it records it.
 *
 * Besides events, a sink may need to know the processes and fds that exist
 * (a capture file starts with their lists). It learns them only through
 * this header: plain-data descriptions (struct proc_desc, struct fd_desc)
 * that the tracer side produces, pushed for threads no event introduces
 * (describe_process) and pulled from a state source when the sink needs
 * the current state (a new capture file). It never reads the tracee or
 * /proc itself, so it could run on another thread, in another process or
 * inside a plugin, given a source that answers there. */
#ifndef PDIG_SINK_H
#define PDIG_SINK_H

#include <stdbool.h>
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

struct sink_stats {
	uint64_t written;   /* events recorded */
	uint64_t dropped;   /* events lost (ring full, I/O error) */
	uint64_t discarded; /* events not wanted (see discard_reason) */
};

struct sink {
	const char *name;
	/* Why this sink discards events ("no consumer"); NULL = it never does. */
	const char *discard_reason;
	/* Would an event written now be recorded? Cheap and free of side
	 * effects, so it may be asked any number of times per event. */
	bool (*wants)(struct sink *s);
	/* Max I/O payload bytes this sink wants (0 = no preference). */
	uint32_t (*snaplen)(struct sink *s);
	/* Record one complete event (or count it as discarded or dropped). */
	void (*write)(struct sink *s, const uint8_t *ev, size_t len);
	void (*flush)(struct sink *s);
	void (*close)(struct sink *s);
	/* Optional (NULL = not needed). The sink keeps a copy of src and asks
	 * it when it needs the current state. */
	void (*use_source)(struct sink *s, const struct state_source *src);
	/* Optional. A thread that exists before the first event and that no
	 * event will introduce (attach mode). */
	void (*describe_process)(struct sink *s, const struct proc_desc *p);
	struct sink_stats stats;
};

#define SINKS_MAX 4

/* The set of active sinks. */
void sinks_add(struct sink *s);
/* Hands src to every sink that takes a state source, now and when added
 * later. src must outlive the sinks. */
void sinks_set_source(const struct state_source *src);
bool sinks_want(void);          /* does any sink want events now? */
uint32_t sinks_snaplen(void);   /* the largest snaplen wanted */
void sinks_emit(const uint8_t *ev, size_t len);
/* n events were not made because sinks_want() said no: every sink that
 * discards counts them. */
void sinks_skipped(uint64_t n);
/* Describes thread tid (from the state source) to every sink that takes
 * descriptions; call before the first event, once per thread. */
void sinks_describe_process(int64_t tid);
void sinks_flush(void);
void sinks_close(void);
/* Per-sink counters, for the report: calls fn for each sink. */
void sinks_each_stats(void (*fn)(void *arg, const struct sink *s), void *arg);
/* Totals over all sinks. */
struct sink_stats sinks_totals(void);

/* Constructors. Each returns NULL and fills err on failure. */
struct sink *udig_sink_open(char *err, size_t errlen);
struct sink *text_sink_open(const char *path, bool json, char *err, size_t errlen);

#endif
