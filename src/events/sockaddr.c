/* SOCKADDR / SOCKTUPLE packing; see sockaddr.h. */
#include <netinet/in.h>
#include <string.h>
#include <sys/un.h>

#include "netflags.h"
#include "sockaddr.h"

int sa_read(const struct tracee_mem *m, uint64_t addr, int64_t ulen,
	    struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	/* The kernel takes the length as an int. */
	int len = (int)ulen;
	if (len < 0 || (size_t)len > sizeof(*out))
		return -1;
	if (!len)
		return 0;
	if (!addr || mem_read_exact(m, addr, out, (size_t)len) < 0)
		return -1;
	return len;
}

size_t sa_unix_path(const struct sockaddr_storage *sa, size_t len, char *dst)
{
	/* sun_path bytes the caller supplied; the rest stays zero, which is
	 * the kernel's "terminate at the user's length". */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1] = { 0 };
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len > off ? len - off : 0;
	if (n > sizeof(path) - 1)
		n = sizeof(path) - 1;
	memcpy(path, (const char *)sa + off, n);

	size_t l = strnlen(path, SA_UNIX_PATH_MAX);
	if (l == 0) {
		/* abstract namespace */
		dst[0] = '@';
		l = 1 + strnlen(path + 1, SA_UNIX_PATH_MAX - 1);
		memcpy(dst + 1, path + 1, l - 1);
	} else {
		memcpy(dst, path, l);
	}
	dst[l] = 0;
	return l;
}

static void put_port(uint8_t *p, uint16_t net_port)
{
	uint16_t h = ntohs(net_port);
	memcpy(p, &h, 2);
}

size_t sa_pack_addr(const struct sockaddr_storage *sa, size_t len, uint8_t *out)
{
	switch (sa->ss_family) {
	case AF_INET: {
		const struct sockaddr_in *in = (const void *)sa;
		out[0] = (uint8_t)flag_value(sock_family_map, AF_INET, 0);
		memcpy(out + 1, &in->sin_addr.s_addr, 4);
		put_port(out + 5, in->sin_port);
		return 7;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *in6 = (const void *)sa;
		out[0] = (uint8_t)flag_value(sock_family_map, AF_INET6, 0);
		memcpy(out + 1, in6->sin6_addr.s6_addr, 16);
		put_port(out + 17, in6->sin6_port);
		return 19;
	}
	case AF_UNIX: {
		out[0] = (uint8_t)flag_value(sock_family_map, AF_UNIX, 0);
		size_t l = sa_unix_path(sa, len, (char *)out + 1);
		return 1 + l + 1;
	}
	default:
		return 0;
	}
}

size_t sa_pack_tuple(const struct sa_tuple *t, uint8_t *out)
{
	static const struct sockaddr_storage zero;
	const struct sockaddr_storage *loc = t->local ? t->local : &zero;
	const struct sockaddr_storage *rem = t->remote ? t->remote : &zero;
	/* inbound: remote is the source */
	const struct sockaddr_storage *src = t->inbound ? rem : loc;
	const struct sockaddr_storage *dst = t->inbound ? loc : rem;

	switch (t->family) {
	case AF_INET: {
		const struct sockaddr_in *s = (const void *)src, *d = (const void *)dst;
		out[0] = (uint8_t)flag_value(sock_family_map, AF_INET, 0);
		memcpy(out + 1, &s->sin_addr.s_addr, 4);
		put_port(out + 5, s->sin_port);
		memcpy(out + 7, &d->sin_addr.s_addr, 4);
		put_port(out + 11, d->sin_port);
		return 13;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *s = (const void *)src, *d = (const void *)dst;
		out[0] = (uint8_t)flag_value(sock_family_map, AF_INET6, 0);
		memcpy(out + 1, s->sin6_addr.s6_addr, 16);
		put_port(out + 17, s->sin6_port);
		memcpy(out + 19, d->sin6_addr.s6_addr, 16);
		put_port(out + 35, d->sin6_port);
		return 37;
	}
	case AF_UNIX: {
		/* The driver writes (self, peer) inbound and (peer, self)
		 * outbound; keep its order so the consumer pairs them alike. */
		uint64_t a = t->inbound ? t->self_id : t->peer_id;
		uint64_t b = t->inbound ? t->peer_id : t->self_id;
		out[0] = (uint8_t)flag_value(sock_family_map, AF_UNIX, 0);
		memcpy(out + 1, &a, 8);
		memcpy(out + 9, &b, 8);
		const struct sockaddr_storage *nm = t->unix_name ? t->unix_name : &zero;
		size_t l = sa_unix_path(nm, t->unix_name ? t->unix_name_len : 0, (char *)out + 17);
		return 17 + l + 1;
	}
	default:
		return 0;
	}
}
