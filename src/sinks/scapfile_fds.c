/* FD List V2 block of a process, read from /proc/<pid>/fd
 * (docs/scap-file.md §6): files with their open flags, directories,
 * pipes, inet and unix sockets, and the anon-inode kinds the consumer
 * names; anything else is listed as unsupported so fd.num still resolves. */
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "events/flags.h"
#include "procfs/procfs.h"
#include "scapfile_int.h"

/* scap_fd_type values */
enum {
	FDT_FILE = 1, FDT_DIRECTORY = 2, FDT_IPV4_SOCK = 3, FDT_IPV6_SOCK = 4,
	FDT_IPV4_SERVSOCK = 5, FDT_IPV6_SERVSOCK = 6, FDT_FIFO = 7,
	FDT_UNIX_SOCK = 8, FDT_EVENT = 9, FDT_UNSUPPORTED = 10,
	FDT_SIGNALFD = 11, FDT_EVENTPOLL = 12, FDT_INOTIFY = 13,
	FDT_TIMERFD = 14, FDT_FILE_V2 = 16,
};

/* l4proto values */
enum { L4_UNKNOWN = 0, L4_TCP = 2, L4_UDP = 3, L4_RAW = 5 };

#define FD_NAME_MAX 1024

static uint64_t fdinfo_flags(int64_t pid, const char *fd)
{
	char path[96], buf[512];
	snprintf(path, sizeof path, "/proc/%lld/fdinfo/%s", (long long)pid, fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	unsigned long long v = 0;
	while (fgets(buf, sizeof buf, f))
		if (sscanf(buf, "flags: %llo", &v) == 1)
			break;
	fclose(f);
	return v;
}

static uint8_t l4proto(int type)
{
	switch (type) {
	case SOCK_STREAM: return L4_TCP;
	case SOCK_DGRAM: return L4_UDP;
	case SOCK_RAW: return L4_RAW;
	default: return L4_UNKNOWN;
	}
}

/* Socket payload (type byte included); false when not describable. */
static bool put_socket(struct sbuf *b, const struct sock_names *sn)
{
	int fam = sn->local.ss_family;
	if (fam == AF_INET) {
		const struct sockaddr_in *l = (const void *)&sn->local, *r = (const void *)&sn->peer;
		if (sn->peer_len) {
			sb_u8(b, FDT_IPV4_SOCK);
			sb_put(b, &l->sin_addr.s_addr, 4); /* addresses stay in network order */
			sb_put(b, &r->sin_addr.s_addr, 4);
			sb_u16(b, ntohs(l->sin_port));
			sb_u16(b, ntohs(r->sin_port));
		} else {
			sb_u8(b, FDT_IPV4_SERVSOCK);
			sb_put(b, &l->sin_addr.s_addr, 4);
			sb_u16(b, ntohs(l->sin_port));
		}
		sb_u8(b, l4proto(sn->type));
		return true;
	}
	if (fam == AF_INET6) {
		const struct sockaddr_in6 *l = (const void *)&sn->local, *r = (const void *)&sn->peer;
		if (sn->peer_len) {
			sb_u8(b, FDT_IPV6_SOCK);
			sb_put(b, &l->sin6_addr, 16);
			sb_put(b, &r->sin6_addr, 16);
			sb_u16(b, ntohs(l->sin6_port));
			sb_u16(b, ntohs(r->sin6_port));
		} else {
			sb_u8(b, FDT_IPV6_SERVSOCK);
			sb_put(b, &l->sin6_addr, 16);
			sb_u16(b, ntohs(l->sin6_port));
		}
		sb_u8(b, l4proto(sn->type));
		return true;
	}
	if (fam == AF_UNIX) {
		const struct sockaddr_un *u = (const void *)&sn->local;
		size_t off = offsetof(struct sockaddr_un, sun_path);
		size_t n = sn->local_len > off ? sn->local_len - off : 0;
		char path[sizeof u->sun_path + 1];
		if (n > sizeof u->sun_path)
			n = sizeof u->sun_path;
		memcpy(path, u->sun_path, n);
		if (n && path[0] == '\0')
			path[0] = '@'; /* abstract name, shown as the driver does */
		n = strnlen(path, n);
		sb_u8(b, FDT_UNIX_SOCK);
		sb_u64(b, 0); /* source, dest: kernel socket ids, unknown here */
		sb_u64(b, 0);
		sb_lstr(b, path, n, FD_NAME_MAX);
		return true;
	}
	return false;
}

static const struct {
	const char *link;
	uint8_t type;
} anon_kinds[] = {
	{ "anon_inode:[eventfd]", FDT_EVENT }, { "anon_inode:[signalfd]", FDT_SIGNALFD },
	{ "anon_inode:[eventpoll]", FDT_EVENTPOLL }, { "anon_inode:inotify", FDT_INOTIFY },
	{ "anon_inode:[timerfd]", FDT_TIMERFD },
};

/* One entry; nothing written if the fd vanished meanwhile. */
static void put_fd(struct sbuf *b, int64_t pid, const char *name, const struct tracee_state *st)
{
	char path[96], link[FD_NAME_MAX + 1];
	struct stat sb;
	snprintf(path, sizeof path, "/proc/%lld/fd/%s", (long long)pid, name);
	ssize_t n = readlink(path, link, sizeof link - 1);
	if (n < 0 || stat(path, &sb) != 0)
		return;
	link[n] = '\0';
	int64_t fd = strtoll(name, NULL, 10);

	size_t start = b->len;
	sb_u32(b, 0); /* entry length, patched below */
	sb_u64(b, (uint64_t)fd);
	sb_u64(b, (uint64_t)sb.st_ino);
	if (link[0] == '/' && S_ISDIR(sb.st_mode)) {
		sb_u8(b, FDT_DIRECTORY);
		sb_lstr(b, link, (size_t)n, FD_NAME_MAX);
	} else if (link[0] == '/' && !S_ISFIFO(sb.st_mode) && !S_ISSOCK(sb.st_mode)) {
		sb_u8(b, FDT_FILE_V2);
		sb_u32(b, flags_to_ppm(open_flags_map, fdinfo_flags(pid, name)));
		sb_lstr(b, link, (size_t)n, FD_NAME_MAX);
		sb_u32(b, (uint32_t)procfs_encode_dev(major(sb.st_dev), minor(sb.st_dev)));
	} else if (S_ISFIFO(sb.st_mode)) {
		sb_u8(b, FDT_FIFO);
		sb_lstr(b, link, (size_t)n, FD_NAME_MAX);
	} else {
		struct sock_names sn;
		bool done = false;
		if (S_ISSOCK(sb.st_mode) && st && st->sock) {
			memset(&sn, 0, sizeof sn);
			done = st->sock(st->ctx, pid, fd, &sn) == 0 && put_socket(b, &sn);
		}
		if (!done) {
			uint8_t type = FDT_UNSUPPORTED;
			for (size_t i = 0; i < sizeof anon_kinds / sizeof *anon_kinds; i++)
				if (!strcmp(link, anon_kinds[i].link))
					type = anon_kinds[i].type;
			sb_u8(b, type);
			sb_lstr(b, link, (size_t)n, FD_NAME_MAX);
		}
	}
	if (!b->oom) {
		uint32_t len = (uint32_t)(b->len - start);
		memcpy(b->p + start, &len, 4);
	}
}

void scap_put_fd_block(struct sbuf *b, int64_t tid, int64_t pid, const struct tracee_state *st)
{
	size_t s = scap_block_begin(b, SCAP_BT_FDL_V2);
	sb_u64(b, (uint64_t)tid);
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%lld/fd", (long long)pid);
	DIR *d = tid == pid ? opendir(dir) : NULL; /* threads share the leader's table */
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)))
			if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
				put_fd(b, pid, e->d_name, st);
		closedir(d);
	}
	scap_block_end(b, s);
}
