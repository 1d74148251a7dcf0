/* net encoders: SOCKADDR/SOCKTUPLE bytes for IPv4, IPv6, UNIX (incl.
 * abstract), tuple direction for connect vs accept, msghdr/iovec reads,
 * socketpair ids, sockopt DYN values, and hostile pointers/lengths. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/un.h>

#include "fake.h"

static uint8_t buf[1 << 17];
static struct fake_mem fm;
static struct fake_state fs;
static struct enc_ctx c;
static struct devent d;

static void reset(void)
{
	fake_mem_free(&fm);
	fake_mem_init(&fm);
	fake_state_init(&fs);
}

static struct sockaddr_in sin4(const char *ip, uint16_t port)
{
	struct sockaddr_in s = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &s.sin_addr);
	return s;
}

static int bytes_eq(const struct dparam *p, const void *exp, size_t n)
{
	return p->len == n && !memcmp(p->val, exp, n);
}

static void test_bind_ipv4(void)
{
	reset();
	struct sockaddr_in s = sin4("10.1.2.3", 8080);
	fake_mem_map(&fm, 0x1000, &s, sizeof(s));
	fake_ctx(&c, &fm, &fs, 49, 3, 0x1000, sizeof(s), 0, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SOCKET_BIND_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 0);
	static const uint8_t exp[] = { 2, 10, 1, 2, 3, 0x90, 0x1f };
	CHECK(bytes_eq(&d.p[1], exp, sizeof(exp)));
	/* enter: just the fd, sign-extended from int */
	fake_ctx(&c, &fm, &fs, 49, 0xffffffffull, 0, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), -1);
}

static void test_connect_e_ipv6(void)
{
	reset();
	struct sockaddr_in6 s = { .sin6_family = AF_INET6, .sin6_port = htons(443) };
	inet_pton(AF_INET6, "2001:db8::2", &s.sin6_addr);
	fake_mem_map(&fm, 0x2000, &s, sizeof(s));
	fake_ctx(&c, &fm, &fs, 42, 5, 0x2000, sizeof(s), 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SOCKET_CONNECT_E);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 5);
	static const uint8_t exp[] = { 0x0a, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0x02, 0xbb, 0x01 };
	CHECK(bytes_eq(&d.p[1], exp, sizeof(exp)));
}

static void test_unix_paths(void)
{
	reset();
	struct sockaddr_un u = { .sun_family = AF_UNIX };
	strcpy(u.sun_path, "/run/test.sock");
	socklen_t ulen = offsetof(struct sockaddr_un, sun_path) + strlen(u.sun_path) + 1;
	fake_mem_map(&fm, 0x3000, &u, sizeof(u));
	fake_ctx(&c, &fm, &fs, 49, 3, 0x3000, ulen, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 1 + 14 + 1);
	CHECK_EQ_INT(d.p[1].val[0], 1);
	CHECK_EQ_STR((const char *)d.p[1].val + 1, "/run/test.sock");

	/* abstract: leading NUL shown as '@', length bounds the name */
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	memcpy(a.sun_path, "\0abstract-name-and-junk", 24);
	fake_mem_map(&fm, 0x4000, &a, sizeof(a));
	fake_ctx(&c, &fm, &fs, 49, 3, 0x4000, offsetof(struct sockaddr_un, sun_path) + 9, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_STR((const char *)d.p[1].val + 1, "@abstract");
	CHECK_EQ_INT(d.p[1].len, 1 + 9 + 1);

	/* a path filling all of sun_path is cut, never overrun */
	struct sockaddr_storage big;
	memset(&big, 'x', sizeof(big));
	big.ss_family = AF_UNIX;
	fake_mem_map(&fm, 0x5000, &big, sizeof(big));
	fake_ctx(&c, &fm, &fs, 49, 3, 0x5000, sizeof(big), 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 1 + 107 + 1);
}

static void test_hostile_addr(void)
{
	reset();
	struct sockaddr_in s = sin4("1.2.3.4", 1);
	fake_mem_map(&fm, 0x1000, &s, sizeof(s));
	uint64_t lens[] = { 0, (uint64_t)-1, 129, 0x100000010ull, 1000000 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		fake_ctx(&c, &fm, &fs, 49, 3, 0x1000, lens[i], 0, 0, 0);
		CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
		CHECK_EQ_INT(d.nparams, 2);
		/* 0x100000010 is 16 as the kernel's int: still read */
		CHECK_EQ_INT(d.p[1].len, lens[i] == 0x100000010ull ? 7 : 0);
	}
	/* unmapped pointer, and an address running off the mapping */
	fake_ctx(&c, &fm, &fs, 49, 3, 0xdead0000, 16, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
	fake_ctx(&c, &fm, &fs, 49, 3, 0x1008, 16, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
	/* unknown family: empty */
	struct sockaddr_storage x = { .ss_family = AF_PACKET };
	fake_mem_map(&fm, 0x8000, &x, sizeof(x));
	fake_ctx(&c, &fm, &fs, 49, 3, 0x8000, 20, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
}

/* connect: source = local end, dest = the address the tracee named */
static void test_connect_x_tuple(void)
{
	reset();
	struct sockaddr_in dst = sin4("10.1.2.3", 8080);
	fake_mem_map(&fm, 0x1000, &dst, sizeof(dst));
	struct sock_names sn = { .type = SOCK_STREAM };
	struct sockaddr_in loc = sin4("192.168.0.5", 40000);
	memcpy(&sn.local, &loc, sizeof(loc));
	sn.local_len = sizeof(loc);
	memcpy(&sn.peer, &dst, sizeof(dst));
	sn.peer_len = sizeof(dst);
	fake_state_sock(&fs, T_PID, 3, &sn, 0);
	fake_ctx(&c, &fm, &fs, 42, 3, 0x1000, sizeof(dst), 0, 0, 0);
	c.ret = -115; /* EINPROGRESS still carries the tuple */
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), -115);
	static const uint8_t exp[] = { 2, 0xc0, 0xa8, 0, 5, 0x40, 0x9c, 10, 1, 2, 3, 0x90, 0x1f };
	CHECK(bytes_eq(&d.p[1], exp, sizeof(exp)));

	/* no socket info: empty tuple */
	fake_ctx(&c, &fm, &fs, 42, 4, 0x1000, sizeof(dst), 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
}

/* accept: source = the peer, dest = the local end of the new fd */
static void test_accept_tuple(void)
{
	reset();
	struct sock_names sn = { .type = SOCK_STREAM };
	struct sockaddr_in loc = sin4("10.1.2.3", 8080), peer = sin4("192.168.0.5", 40000);
	memcpy(&sn.local, &loc, sizeof(loc));
	sn.local_len = sizeof(loc);
	memcpy(&sn.peer, &peer, sizeof(peer));
	sn.peer_len = sizeof(peer);
	fake_state_sock(&fs, T_PID, 7, &sn, 0);
	fake_ctx(&c, &fm, &fs, 288, 3, 0, 0, 0x80800, 0, 0);
	c.ret = 7;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SOCKET_ACCEPT4_5_X);
	CHECK_EQ_INT(dp_s64(&d.p[0]), 7);
	static const uint8_t exp[] = { 2, 0xc0, 0xa8, 0, 5, 0x40, 0x9c, 10, 1, 2, 3, 0x90, 0x1f };
	CHECK(bytes_eq(&d.p[1], exp, sizeof(exp)));
	CHECK_EQ_INT(dp_u8(&d.p[2]), 0);
	CHECK_EQ_INT(dp_u32(&d.p[4]), 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SOCKET_ACCEPT4_5_E);
	CHECK_EQ_INT((int32_t)dp_u32(&d.p[0]), 0); /* as libs e5c53d64's driver: flags not supported */
	/* failed accept: empty tuple */
	fake_ctx(&c, &fm, &fs, 43, 3, 0, 0, 0, 0, 0);
	c.ret = -11;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.type, EV_SOCKET_ACCEPT_5_X);
	CHECK_EQ_INT(d.p[1].len, 0);
}

static void test_unix_tuples(void)
{
	reset();
	struct sockaddr_un srv = { .sun_family = AF_UNIX };
	strcpy(srv.sun_path, "/run/s.sock");
	socklen_t slen = offsetof(struct sockaddr_un, sun_path) + 12;
	struct sock_names cl = { .type = SOCK_STREAM };
	cl.local.ss_family = AF_UNIX;
	cl.local_len = 2; /* unnamed client */
	memcpy(&cl.peer, &srv, slen);
	cl.peer_len = slen;
	fake_state_sock(&fs, T_PID, 3, &cl, 0x1111);
	fake_mem_map(&fm, 0x1000, &srv, sizeof(srv));
	fake_ctx(&c, &fm, &fs, 42, 3, 0x1000, slen, 0, 0, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	/* outbound: (peer, self) then the path the tracee named */
	CHECK_EQ_INT(d.p[1].len, 17 + 11 + 1);
	uint64_t a, b;
	memcpy(&a, d.p[1].val + 1, 8);
	memcpy(&b, d.p[1].val + 9, 8);
	CHECK_EQ_INT(d.p[1].val[0], 1);
	CHECK_EQ_INT(a, 0);
	CHECK_EQ_INT(b, 0x1111);
	CHECK_EQ_STR((const char *)d.p[1].val + 17, "/run/s.sock");

	/* accept side: (self, peer), path = the local (bound) name */
	struct sock_names ac = { .type = SOCK_STREAM };
	memcpy(&ac.local, &srv, slen);
	ac.local_len = slen;
	ac.peer.ss_family = AF_UNIX;
	ac.peer_len = 2;
	fake_state_sock(&fs, T_PID, 9, &ac, 0x2222);
	fake_ctx(&c, &fm, &fs, 43, 4, 0, 0, 0, 0, 0);
	c.ret = 9;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	memcpy(&a, d.p[1].val + 1, 8);
	CHECK_EQ_INT(a, 0x2222);
	CHECK_EQ_STR((const char *)d.p[1].val + 17, "/run/s.sock");
}

static void test_msg(void)
{
	reset();
	fake_mem_str(&fm, 0x7000, "hello ");
	fake_mem_str(&fm, 0x7100, "world!!");
	struct iovec iov[2] = { { (void *)0x7000, 6 }, { (void *)0x7100, 7 } };
	fake_mem_map(&fm, 0x6000, iov, sizeof(iov));
	struct sockaddr_in from = sin4("8.8.8.8", 53);
	fake_mem_map(&fm, 0x5000, &from, sizeof(from));
	struct msghdr mh = { .msg_name = (void *)0x5000, .msg_namelen = sizeof(from),
			     .msg_iov = (void *)0x6000, .msg_iovlen = 2 };
	fake_mem_map(&fm, 0x4000, &mh, sizeof(mh));
	struct sock_names sn = { .type = SOCK_DGRAM };
	struct sockaddr_in loc = sin4("10.0.0.1", 5353);
	memcpy(&sn.local, &loc, sizeof(loc));
	sn.local_len = sizeof(loc);
	fake_state_sock(&fs, T_PID, 3, &sn, 0);

	/* recvmsg of 9 bytes: size 9, data "hello wor", tuple 8.8.8.8:53 -> local */
	fake_ctx(&c, &fm, &fs, 47, 3, 0x4000, 0, 0, 0, 0);
	c.ret = 9;
	fm.reads = fm.readvs = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	/* the msghdr, the iovec array once (for the size and the data), both
	 * buffers in one readv, the sender's address */
	CHECK_EQ_INT(fm.reads + fm.readvs, 4);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 9);
	CHECK(bytes_eq(&d.p[2], "hello wor", 9));
	static const uint8_t exp[] = { 2, 8, 8, 8, 8, 53, 0, 10, 0, 0, 1, 0xe9, 0x14 };
	CHECK(bytes_eq(&d.p[3], exp, sizeof(exp)));
	/* snaplen bounds the data */
	c.snaplen = 4;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK(bytes_eq(&d.p[2], "hell", 4));
	c.snaplen = 80;
	/* a failed recvmsg: size is the buffers' total, no data, no tuple */
	c.ret = -11;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[0]), -11);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 13);
	CHECK_EQ_INT(d.p[2].len, 0);
	CHECK_EQ_INT(d.p[3].len, 0);

	/* sendmsg enter: total size and outbound tuple; exit: the data */
	fake_ctx(&c, &fm, &fs, 46, 3, 0x4000, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[1]), 13);
	static const uint8_t out[] = { 2, 10, 0, 0, 1, 0xe9, 0x14, 8, 8, 8, 8, 53, 0 };
	CHECK(bytes_eq(&d.p[2], out, sizeof(out)));
	c.ret = 13;
	fm.reads = fm.readvs = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK(bytes_eq(&d.p[1], "hello world!!", 13));
	CHECK_EQ_INT(fm.reads + fm.readvs, 3); /* msghdr, iovec array, one readv */

	/* a big snaplen: at most a page less the iovec array (the driver's) */
	static uint8_t big[6000];
	memset(big, 'q', sizeof big);
	fake_mem_map(&fm, 0x70000, big, sizeof big);
	struct iovec two[2] = { { (void *)0x70000, 3000 }, { (void *)(0x70000 + 3000), 3000 } };
	fake_mem_map(&fm, 0x78000, two, sizeof two);
	struct msghdr bigmh = { .msg_iov = (void *)0x78000, .msg_iovlen = 2 };
	fake_mem_map(&fm, 0x79000, &bigmh, sizeof bigmh);
	fake_ctx(&c, &fm, &fs, 46, 3, 0x79000, 0, 0, 0, 0);
	c.snaplen = 65535;
	c.ret = 6000;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 4063);
	c.snaplen = 80;

	/* hostile: msghdr nowhere, huge iovlen, iov pointing nowhere */
	fake_ctx(&c, &fm, &fs, 47, 3, 0xbad000, 0, 0, 0, 0);
	c.ret = 100;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.nparams, 4);
	CHECK_EQ_INT(d.p[2].len, 0);
	/* the kernel's msg_iovlen is a size_t; musl's is an int and padding, so
	 * the 2^40 is written as the kernel reads it */
	struct msghdr bad = { .msg_iov = (void *)0x6000 };
	uint64_t huge_iovlen = (uint64_t)1 << 40;
	memcpy((char *)&bad + offsetof(struct msghdr, msg_iovlen), &huge_iovlen, sizeof huge_iovlen);
	fake_mem_map(&fm, 0x9000, &bad, sizeof(bad));
	fake_ctx(&c, &fm, &fs, 47, 3, 0x9000, 0, 0, 0, 0);
	c.ret = 50;
	unsigned before = fm.reads;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK(fm.reads - before < 200);
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0); /* the iov array is unreadable past 2 */
	struct msghdr nowhere = { .msg_iov = (void *)0xbad000, .msg_iovlen = 3 };
	fake_mem_map(&fm, 0xa000, &nowhere, sizeof(nowhere));
	fake_ctx(&c, &fm, &fs, 46, 3, 0xa000, 0, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[1]), 0);
	CHECK_EQ_INT(d.p[2].len, 0);
}

static void test_sendto_recvfrom(void)
{
	reset();
	fake_mem_str(&fm, 0x1000, "payload-bytes");
	struct sockaddr_in to = sin4("1.2.3.4", 99);
	fake_mem_map(&fm, 0x2000, &to, sizeof(to));
	int32_t alen = sizeof(to);
	fake_mem_map(&fm, 0x3000, &alen, 4);
	struct sock_names sn = { .type = SOCK_DGRAM };
	struct sockaddr_in loc = sin4("0.0.0.0", 0);
	memcpy(&sn.local, &loc, sizeof(loc));
	sn.local_len = sizeof(loc);
	fake_state_sock(&fs, T_PID, 3, &sn, 0);
	fake_ctx(&c, &fm, &fs, 44, 3, 0x1000, 13, 0, 0x2000, sizeof(to));
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[1]), 13);
	static const uint8_t exp[] = { 2, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 99, 0 };
	CHECK(bytes_eq(&d.p[2], exp, sizeof(exp)));
	c.ret = 7;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK(bytes_eq(&d.p[1], "payload", 7));
	/* nothing was sent: no data, failed or not (the driver's send_x) */
	c.ret = -11;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
	/* recvfrom: addrlen comes from the int* at args[5] */
	fake_ctx(&c, &fm, &fs, 45, 3, 0x1000, 100, 0, 0x2000, 0x3000);
	c.ret = 4;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK(bytes_eq(&d.p[1], "payl", 4));
	static const uint8_t in[] = { 2, 1, 2, 3, 4, 99, 0, 0, 0, 0, 0, 0, 0 };
	CHECK(bytes_eq(&d.p[2], in, sizeof(in)));
	/* the data pointer may be bad: empty data, event intact */
	fake_ctx(&c, &fm, &fs, 45, 3, 0xbad000, 100, 0, 0, 0);
	c.ret = 4;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[1].len, 0);
}

static void test_socket_pair_opts(void)
{
	reset();
	fake_ctx(&c, &fm, &fs, 41, AF_INET6, SOCK_STREAM, 6, 0, 0, 0);
	CHECK(t_encode(0, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u32(&d.p[0]), 10);
	CHECK_EQ_INT(dp_u32(&d.p[1]), SOCK_STREAM);
	CHECK_EQ_INT(dp_u32(&d.p[2]), 6);

	int32_t fds[2] = { 5, 6 };
	fake_mem_map(&fm, 0x1000, fds, sizeof(fds));
	fake_state_sock(&fs, T_PID, 5, NULL, 0xaaaa);
	fake_state_sock(&fs, T_PID, 6, NULL, 0xbbbb);
	fake_ctx(&c, &fm, &fs, 53, AF_UNIX, SOCK_STREAM, 0, 0x1000, 0, 0);
	c.ret = 0;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[1]), 5);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 6);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0xaaaa);
	CHECK_EQ_INT(dp_u64(&d.p[4]), 0xbbbb);
	c.args[3] = 0xbad000;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[1]), -1);
	/* a failed call: the driver writes zeros, whatever the array holds */
	c.args[3] = 0x1000;
	c.ret = -97;
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_s64(&d.p[1]), 0);
	CHECK_EQ_INT(dp_s64(&d.p[2]), 0);
	CHECK_EQ_INT(dp_u64(&d.p[3]), 0);
	CHECK_EQ_INT(dp_u64(&d.p[4]), 0);

	/* getsockopt SO_ERROR -> ERRNO -111; optlen read back */
	int32_t err = 111, olen = 4;
	fake_mem_map(&fm, 0x2000, &err, 4);
	fake_mem_map(&fm, 0x2100, &olen, 4);
	fake_ctx(&c, &fm, &fs, 55, 3, 1, 4, 0x2000, 0x2100, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u8(&d.p[2]), 1);
	CHECK_EQ_INT(dp_u8(&d.p[3]), 4);
	CHECK_EQ_INT(d.p[4].len, 9);
	CHECK_EQ_INT(d.p[4].val[0], 1);
	int64_t e;
	memcpy(&e, d.p[4].val + 1, 8);
	CHECK_EQ_INT(e, -111);
	CHECK_EQ_INT(dp_u32(&d.p[5]), 4);
	/* setsockopt SO_RCVTIMEO {2s, 5us} -> RELTIME */
	int64_t tv[2] = { 2, 5 };
	fake_mem_map(&fm, 0x3000, tv, sizeof(tv));
	fake_ctx(&c, &fm, &fs, 54, 3, 1, 20, 0x3000, 16, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(d.p[4].val[0], 4);
	uint64_t ns;
	memcpy(&ns, d.p[4].val + 1, 8);
	CHECK_EQ_INT(ns, 2000005000ull);
	/* TCP level, unknown: raw bytes, bounded by what is mapped */
	fake_ctx(&c, &fm, &fs, 54, 3, 6, 1, 0x3000, 0x7fffffff, 0);
	CHECK(t_encode(1, &c, buf, sizeof(buf), &d));
	CHECK_EQ_INT(dp_u8(&d.p[2]), 2);
	CHECK_EQ_INT(dp_u8(&d.p[3]), 0);
	CHECK_EQ_INT(d.p[4].val[0], 0);
	CHECK_EQ_INT(d.p[4].len, 1 + 16);
}

int main(void)
{
	fake_mem_init(&fm);
	test_bind_ipv4();
	test_connect_e_ipv6();
	test_unix_paths();
	test_hostile_addr();
	test_connect_x_tuple();
	test_accept_tuple();
	test_unix_tuples();
	test_msg();
	test_sendto_recvfrom();
	test_socket_pair_opts();
	fake_mem_free(&fm);
	return check_done("test_net_sockaddr");
}
