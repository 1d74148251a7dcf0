/* Descriptions of threads and fds for the sinks (procfs_desc.h). A thread
 * comes from the process snapshot of the events; an fd from its
 * /proc/<pid>/fd link, stat, fdinfo flags and, for a socket, the socket
 * reader of the events: files with their open flags, directories, pipes,
 * inet and unix sockets, and the anon-inode kinds the consumer names;
 * anything else is described as unsupported so fd.num still resolves. */
#include "procfs/procfs_desc.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include "events/flags.h"
#include "procfs/procfs.h"

#define FD_NAME_MAX 1024

_Static_assert(offsetof(struct sockaddr_in, sin_port) == offsetof(struct sockaddr_in6, sin6_port),
	       "one port offset for both inet families");

static struct desc_str cstr(const char *s, size_t cap)
{
	return (struct desc_str){ s, strnlen(s, cap) };
}

static const struct proc_desc *desc_process(void *ctx, int64_t tid)
{
	struct procfs_desc_ctx *c = ctx;
	const struct proc_snapshot *p = c->st.proc(c->st.ctx, tid);
	if (!p)
		return NULL;
	struct proc_desc *d = &c->desc;
	d->tid = p->tid;
	d->pid = p->pid;
	d->ptid = p->ptid;
	d->sid = p->sid;
	d->pgid = p->pgid;
	d->vtid = p->vtid;
	d->vpid = p->vpid;
	d->uid = p->uid;
	d->gid = p->gid;
	d->loginuid = p->loginuid;
	d->fdlimit = p->fdlimit;
	d->pgft_maj = p->pgft_maj;
	d->pgft_min = p->pgft_min;
	d->vm_size_kb = p->vm_size_kb;
	d->vm_rss_kb = p->vm_rss_kb;
	d->vm_swap_kb = p->vm_swap_kb;
	d->exe_writable = p->exe_writable;
	d->comm = cstr(p->comm, sizeof p->comm);
	d->exe = cstr(p->exe, sizeof p->exe);
	d->exepath = cstr(p->exepath, sizeof p->exepath);
	d->cwd = cstr(p->cwd, sizeof p->cwd);
	d->root = cstr(p->root, sizeof p->root);
	d->args = (struct desc_str){ p->args, p->args_len };
	d->env = (struct desc_str){ p->env, p->env_len };
	d->cgroups = (struct desc_str){ p->cgroups, p->cgroups_len };
	return d;
}

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
	case SOCK_STREAM: return FDD_L4_TCP;
	case SOCK_DGRAM: return FDD_L4_UDP;
	case SOCK_RAW: return FDD_L4_RAW;
	default: return FDD_L4_UNKNOWN;
	}
}

/* The socket part of d; false when the socket is not describable. path
 * holds a unix socket's name. */
static bool describe_socket(struct fd_desc *d, const struct sock_names *sn, char *path, size_t cap)
{
	int fam = sn->local.ss_family;
	if (fam == AF_INET || fam == AF_INET6) {
		bool v6 = fam == AF_INET6;
		size_t off = v6 ? offsetof(struct sockaddr_in6, sin6_addr) : offsetof(struct sockaddr_in, sin_addr);
		size_t alen = v6 ? 16 : 4;
		/* the port is at the same offset in both families */
		const struct sockaddr_in *l = (const void *)&sn->local, *r = (const void *)&sn->peer;
		if (sn->peer_len)
			d->type = v6 ? FDD_IPV6_SOCK : FDD_IPV4_SOCK;
		else
			d->type = v6 ? FDD_IPV6_SERVSOCK : FDD_IPV4_SERVSOCK;
		memcpy(d->local_addr, (const uint8_t *)&sn->local + off, alen);
		memcpy(d->peer_addr, (const uint8_t *)&sn->peer + off, alen);
		d->local_port = ntohs(l->sin_port);
		d->peer_port = ntohs(r->sin_port);
		d->l4proto = l4proto(sn->type);
		d->name = (struct desc_str){ "", 0 };
		return true;
	}
	if (fam == AF_UNIX) {
		const struct sockaddr_un *u = (const void *)&sn->local;
		size_t off = offsetof(struct sockaddr_un, sun_path);
		size_t n = sn->local_len > off ? sn->local_len - off : 0;
		if (n > sizeof u->sun_path)
			n = sizeof u->sun_path;
		if (n > cap)
			n = cap;
		memcpy(path, u->sun_path, n);
		if (n && path[0] == '\0')
			path[0] = '@'; /* abstract name, shown as the driver does */
		d->type = FDD_UNIX_SOCK;
		d->name = (struct desc_str){ path, strnlen(path, n) };
		return true;
	}
	return false;
}

static const struct {
	const char *link;
	uint8_t type;
} anon_kinds[] = {
	{ "anon_inode:[eventfd]", FDD_EVENT }, { "anon_inode:[signalfd]", FDD_SIGNALFD },
	{ "anon_inode:[eventpoll]", FDD_EVENTPOLL }, { "anon_inode:inotify", FDD_INOTIFY },
	{ "anon_inode:[timerfd]", FDD_TIMERFD },
};

/* Describes fd name of pid to fn; nothing if the fd vanished meanwhile. */
static void describe_fd(struct procfs_desc_ctx *c, int64_t pid, const char *name, fd_desc_fn fn, void *arg)
{
	char path[96], link[FD_NAME_MAX + 1], unix_path[sizeof ((struct sockaddr_un *)0)->sun_path];
	struct stat sb;
	snprintf(path, sizeof path, "/proc/%lld/fd/%s", (long long)pid, name);
	ssize_t n = readlink(path, link, sizeof link - 1);
	if (n < 0 || stat(path, &sb) != 0)
		return;
	link[n] = '\0';
	struct fd_desc d;
	memset(&d, 0, sizeof d);
	d.fd = strtoll(name, NULL, 10);
	d.ino = (uint64_t)sb.st_ino;
	d.name = (struct desc_str){ link, (size_t)n };
	if (link[0] == '/' && S_ISDIR(sb.st_mode)) {
		d.type = FDD_DIRECTORY;
	} else if (link[0] == '/' && !S_ISFIFO(sb.st_mode) && !S_ISSOCK(sb.st_mode)) {
		d.type = FDD_FILE_V2;
		d.open_flags = flags_to_ppm(open_flags_map, fdinfo_flags(pid, name));
		d.dev = (uint32_t)procfs_encode_dev(major(sb.st_dev), minor(sb.st_dev));
	} else if (S_ISFIFO(sb.st_mode)) {
		d.type = FDD_FIFO;
	} else {
		struct sock_names sn;
		bool done = false;
		if (S_ISSOCK(sb.st_mode)) {
			memset(&sn, 0, sizeof sn);
			done = c->st.sock(c->st.ctx, pid, d.fd, &sn) == 0 &&
			       describe_socket(&d, &sn, unix_path, sizeof unix_path);
		}
		if (!done) {
			d.type = FDD_UNSUPPORTED;
			for (size_t i = 0; i < sizeof anon_kinds / sizeof *anon_kinds; i++)
				if (!strcmp(link, anon_kinds[i].link))
					d.type = anon_kinds[i].type;
		}
	}
	fn(arg, &d);
}

static void desc_each_fd(void *ctx, int64_t pid, fd_desc_fn fn, void *arg)
{
	char dir[64];
	snprintf(dir, sizeof dir, "/proc/%lld/fd", (long long)pid);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '0' && e->d_name[0] <= '9')
			describe_fd(ctx, pid, e->d_name, fn, arg);
	closedir(d);
}

void procfs_desc_source(struct procfs_desc_ctx *ctx, struct state_source *src)
{
	memset(ctx, 0, sizeof *ctx);
	procfs_state_init(&ctx->st);
	src->ctx = ctx;
	src->process = desc_process;
	src->each_fd = desc_each_fd;
}
