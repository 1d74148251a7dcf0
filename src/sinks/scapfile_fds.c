/* FD List V2 block of a thread (docs/scap-file.md §6), written from
 * the fd descriptions of the state source (sink.h): the description names
 * the fd type, so this file only lays the entries out. */
#include <string.h>

#include "scapfile_int.h"

#define FD_NAME_MAX 1024

static void put_name(struct sbuf *b, const struct fd_desc *d)
{
	sb_lstr(b, d->name.p, d->name.len, FD_NAME_MAX);
}

/* An inet socket's addresses (they stay in network order), ports and
 * protocol; a server socket has no peer. */
static void put_inet(struct sbuf *b, const struct fd_desc *d, size_t alen, bool peer)
{
	sb_put(b, d->local_addr, alen);
	if (peer)
		sb_put(b, d->peer_addr, alen);
	sb_u16(b, d->local_port);
	if (peer)
		sb_u16(b, d->peer_port);
	sb_u8(b, d->l4proto);
}

/* One entry, appended to the block in b (the arg of each_fd). */
static void put_fd(void *arg, const struct fd_desc *d)
{
	struct sbuf *b = arg;
	size_t start = b->len;
	sb_u32(b, 0); /* entry length, patched below */
	sb_u64(b, (uint64_t)d->fd);
	sb_u64(b, d->ino);
	sb_u8(b, d->type);
	switch (d->type) {
	case FDD_FILE_V2:
		sb_u32(b, d->open_flags);
		put_name(b, d);
		sb_u32(b, d->dev);
		break;
	case FDD_IPV4_SOCK: put_inet(b, d, 4, true); break;
	case FDD_IPV4_SERVSOCK: put_inet(b, d, 4, false); break;
	case FDD_IPV6_SOCK: put_inet(b, d, 16, true); break;
	case FDD_IPV6_SERVSOCK: put_inet(b, d, 16, false); break;
	case FDD_UNIX_SOCK:
		sb_u64(b, 0); /* source, dest: kernel socket ids, unknown here */
		sb_u64(b, 0);
		put_name(b, d);
		break;
	default: /* directory, fifo, the anon kinds, unsupported: a name */
		put_name(b, d);
		break;
	}
	if (!b->oom) {
		uint32_t len = (uint32_t)(b->len - start);
		memcpy(b->p + start, &len, 4);
	}
}

void scap_put_fd_block(struct sbuf *b, int64_t tid, int64_t pid, const struct state_source *src)
{
	size_t s = scap_block_begin(b, SCAP_BT_FDL_V2);
	sb_u64(b, (uint64_t)tid);
	if (tid == pid && src) /* threads share the leader's table */
		src->each_fd(src->ctx, pid, put_fd, b);
	scap_block_end(b, s);
}
