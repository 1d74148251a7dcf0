/* Socket addresses of a tracee's fds. Preferred: pidfd_getfd() gives us a
 * dup of the very socket, so getsockname/getpeername report exactly what the
 * kernel knows. When that is refused (no ptrace rights, old kernel) the
 * socket's inode is looked up in /proc/<pid>/net/ tables instead. */
#include "procfs/procfs.h"
#include "procfs_internal.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "procfs_io.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* Small cache of pidfds (struct procfs): a busy tracee asks about its
 * sockets over and over. Bounded; round-robin eviction. pid 0 = empty slot. */
void procfs_forget_pidfd(struct procfs *pf, int64_t pid)
{
	for (unsigned i = 0; i < PIDFD_SLOTS; i++) {
		if (pf->pidfds[i].pid == pid && pid != 0) {
			close(pf->pidfds[i].fd);
			pf->pidfds[i].pid = 0;
		}
	}
}

static int pidfd_get(struct procfs *pf, int64_t pid)
{
	for (unsigned i = 0; i < PIDFD_SLOTS; i++)
		if (pf->pidfds[i].pid == pid)
			return pf->pidfds[i].fd;
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0);
	if (fd < 0)
		return -1;
	unsigned slot = pf->pidfd_next++ % PIDFD_SLOTS;
	if (pf->pidfds[slot].pid)
		close(pf->pidfds[slot].fd);
	pf->pidfds[slot].pid = pid;
	pf->pidfds[slot].fd = fd;
	return fd;
}

/* A dup of the tracee's fd in our table, or -1 (errno set). */
static int grab_fd(struct procfs *pf, int64_t pid, int64_t fd)
{
	for (int attempt = 0; attempt < 2; attempt++) {
		int pfd = pidfd_get(pf, pid);
		if (pfd < 0)
			return -1;
		int r = (int)syscall(SYS_pidfd_getfd, pfd, (int)fd, 0);
		if (r >= 0)
			return r;
		/* ESRCH: the cached pidfd is of a dead process (the pid may be
		 * reused by now); retry once with a fresh one. */
		if (errno != ESRCH)
			return -1;
		procfs_forget_pidfd(pf, pid);
	}
	return -1;
}

int procfs_fd_statx(struct procfs *pf, int64_t pid, int64_t fd, struct pdig_statx *sx)
{
	int dup = grab_fd(pf, pid, fd);
	if (dup < 0)
		return -1;
	int r = procfs_statx(dup, "", AT_EMPTY_PATH, sx);
	close(dup);
	return r;
}

/* procfs_fs_without_flush by statfs magic (ext2/3/4 share one, xfs,
 * btrfs, tmpfs): close(2) returns only what ->flush returns once the fd
 * is released, and their files have none, so it returns 0. Overlayfs is
 * not here: its flush opens the real file and can fail; NFS, FUSE and
 * CIFS flush dirty data. */
static bool fs_without_flush(unsigned long magic)
{
	return magic == 0xEF53 || magic == 0x58465342 || magic == 0x9123683E || magic == 0x01021994;
}

bool procfs_fd_closes_clean(struct procfs *pf, int64_t pid, int64_t fd)
{
	if (pid <= 0 || pid > INT32_MAX || fd < 0 || fd > INT32_MAX)
		return false;
	/* the exit's event looked at this fd already (its dev): no syscall */
	if (pf->last_fd.valid && pf->last_fd.pid == pid && pf->last_fd.fd == fd)
		return pf->last_fd.clean;
	int dup = grab_fd(pf, pid, fd);
	if (dup < 0)
		return false;
	struct statfs fs;
	struct stat sb;
	/* a device node's file takes its driver's operations, whatever the
	 * filesystem it lives on */
	bool clean = fstatfs(dup, &fs) == 0 && fstat(dup, &sb) == 0 &&
	             (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode) || S_ISFIFO(sb.st_mode)) &&
	             fs_without_flush((unsigned long)fs.f_type);
	close(dup);
	return clean;
}

bool procfs_has_io_uring(int64_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%" PRId64 "/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return true; /* unsure */
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		char target[64];
		ssize_t n = readlinkat(dirfd(d), de->d_name, target, sizeof target - 1);
		if (n > 0) {
			target[n] = '\0';
			found = !strcmp(target, "anon_inode:[io_uring]");
		}
	}
	closedir(d);
	return found;
}

int procfs_sock(void *ctx, int64_t pid, int64_t fd, struct sock_names *out)
{
	memset(out, 0, sizeof(*out));
	if (pid <= 0 || pid > INT32_MAX || fd < 0 || fd > INT32_MAX)
		return -1;
	int s = grab_fd(ctx, pid, fd);
	if (s < 0) {
		/* EBADF: no such fd, the tables will not know it either */
		if (errno == EBADF)
			return -1;
		return procfs_sock_from_net(pid, fd, out);
	}
	socklen_t len = sizeof(out->local);
	int type = 0;
	socklen_t tlen = sizeof(type);
	if (getsockopt(s, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0) {
		close(s); /* not a socket */
		return -1;
	}
	out->type = type;
	if (getsockname(s, (struct sockaddr *)&out->local, &len) == 0)
		out->local_len = len > sizeof(out->local) ? sizeof(out->local) : len;
	len = sizeof(out->peer);
	if (getpeername(s, (struct sockaddr *)&out->peer, &len) == 0)
		out->peer_len = len > sizeof(out->peer) ? sizeof(out->peer) : len;
	close(s);
	return 0;
}

/* Inode of a socket fd from its /proc/<pid>/fd link "socket:[N]". */
static uint64_t socket_inode(int64_t pid, int64_t fd)
{
	char what[32], path[64], link[64];
	if (fd < 0 || fd > INT32_MAX)
		return 0;
	snprintf(what, sizeof(what), "fd/%" PRId64, fd);
	if (pf_path(path, sizeof(path), pid, what) || pf_readlink(path, link, sizeof(link)) < 0)
		return 0;
	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	char *end;
	unsigned long long ino = strtoull(link + 8, &end, 10);
	return (*end == ']') ? (uint64_t)ino : 0;
}

uint64_t procfs_sock_id(void *ctx, int64_t pid, int64_t fd)
{
	(void)ctx;
	return socket_inode(pid, fd);
}

struct net_search {
	uint64_t ino;
	int family, type;
	struct sock_names *out;
	int found;
};

/* "HHHHHHHH:PPPP" (v4) or 32 hex digits ":PPPP" (v6). The kernel prints
 * each 32-bit word of the address as a native integer, so storing the
 * parsed words back natively restores the network-order bytes. */
static int parse_inet(const char *tok, int family, struct sockaddr_storage *ss, socklen_t *slen)
{
	char word[9];
	int nwords = family == AF_INET ? 1 : 4;
	uint32_t w[4];
	for (int i = 0; i < nwords; i++) {
		memcpy(word, tok + 8 * i, 8);
		word[8] = '\0';
		char *end;
		w[i] = (uint32_t)strtoul(word, &end, 16);
		if (end != word + 8)
			return -1;
	}
	const char *colon = tok + 8 * nwords;
	if (*colon != ':')
		return -1;
	unsigned long port = strtoul(colon + 1, NULL, 16);
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		memcpy(&in->sin_addr, w, 4);
		*slen = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		memcpy(&in6->sin6_addr, w, 16);
		*slen = sizeof(*in6);
	}
	return 0;
}

static int inet_line(char *line, void *arg)
{
	struct net_search *ns = arg;
	/* sl local rem st queues timer retrnsmt uid timeout inode */
	char *tok[10];
	char *save = NULL, *p = line;
	int n = 0;
	while (n < 10 && (tok[n] = strtok_r(p, " ", &save)) != NULL) {
		p = NULL;
		n++;
	}
	if (n < 10 || strtoull(tok[9], NULL, 10) != ns->ino)
		return 0;
	size_t want = ns->family == AF_INET ? 13 : 37;
	if (strlen(tok[1]) != want || strlen(tok[2]) != want)
		return 0;
	struct sock_names *o = ns->out;
	if (parse_inet(tok[1], ns->family, &o->local, &o->local_len) ||
	    parse_inet(tok[2], ns->family, &o->peer, &o->peer_len)) {
		o->local_len = o->peer_len = 0;
		return 0;
	}
	/* an all-zero remote means not connected */
	static const char zeros[32] = "00000000000000000000000000000000";
	if (!memcmp(tok[2], zeros, want - 5) && !strcmp(tok[2] + want - 4, "0000"))
		o->peer_len = 0;
	o->type = ns->type;
	ns->found = 1;
	return 1;
}

static int unix_line(char *line, void *arg)
{
	struct net_search *ns = arg;
	/* Num RefCount Protocol Flags Type St Inode [Path] */
	char *tok[8];
	char *save = NULL, *p = line;
	int n = 0;
	while (n < 7 && (tok[n] = strtok_r(p, " ", &save)) != NULL) {
		p = NULL;
		n++;
	}
	if (n < 7 || strtoull(tok[6], NULL, 10) != ns->ino)
		return 0;
	struct sock_names *o = ns->out;
	struct sockaddr_un *un = (struct sockaddr_un *)&o->local;
	un->sun_family = AF_UNIX;
	o->local_len = sizeof(sa_family_t);
	char *path = save;
	while (path && *path == ' ')
		path++;
	if (path && *path) {
		size_t l = strlen(path);
		if (l >= sizeof(un->sun_path))
			l = sizeof(un->sun_path) - 1;
		memcpy(un->sun_path, path, l);
		/* abstract names are shown with a leading '@' for the NUL */
		if (path[0] == '@')
			un->sun_path[0] = '\0';
		else
			l++; /* count the terminator, as getsockname does */
		o->local_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + l);
	}
	o->type = (int)strtol(tok[4], NULL, 16);
	ns->found = 1;
	return 1;
}

int procfs_sock_from_net(int64_t pid, int64_t fd, struct sock_names *out)
{
	static const struct {
		const char *file;
		int family, type;
	} tables[] = {
		{"net/tcp", AF_INET, SOCK_STREAM},  {"net/tcp6", AF_INET6, SOCK_STREAM},
		{"net/udp", AF_INET, SOCK_DGRAM},   {"net/udp6", AF_INET6, SOCK_DGRAM},
		{"net/unix", AF_UNIX, 0},
	};
	memset(out, 0, sizeof(*out));
	struct net_search ns = {.ino = socket_inode(pid, fd), .out = out};
	if (!ns.ino)
		return -1;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		char path[64];
		if (pf_path(path, sizeof(path), pid, tables[i].file))
			return -1;
		ns.family = tables[i].family;
		ns.type = tables[i].type;
		pf_lines(path, tables[i].family == AF_UNIX ? unix_line : inet_line, &ns);
		if (ns.found)
			return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}
