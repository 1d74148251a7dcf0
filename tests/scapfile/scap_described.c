/* A capture sink fed by a made-up state source: a process that does not
 * exist (tid/pid 4242, "fakeproc") with a file, a directory, a TCP
 * connection over IPv6 and a unix socket. The sink may only know them from
 * the descriptions (sink.h), since /proc has none of it. Writes close
 * enters on each fd until the files rotate (rotate bytes each), so the
 * first file's lists come from describe_process and the later ones' from
 * the source, asked at the switch.
 * Usage: scap_described OUT ROTATE_BYTES EVENTS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "events/evbuf.h"
#include "sinks/scapfile.h"
#include "sinks/sink.h"

#define TID 4242

static struct desc_str str(const char *s)
{
	return (struct desc_str){ s, strlen(s) };
}

static const struct proc_desc *fake_process(void *ctx, int64_t tid)
{
	static struct proc_desc p;
	(void)ctx;
	if (tid != TID)
		return NULL;
	memset(&p, 0, sizeof p);
	p.tid = p.pid = p.vtid = p.vpid = TID;
	p.ptid = 1;
	p.loginuid = -1;
	p.comm = str("fakeproc");
	p.exe = str("fakeproc");
	p.exepath = str("/opt/fake/fakeproc");
	p.cwd = str("/opt/fake");
	p.root = str("/");
	p.args = (struct desc_str){ "--flag\0value", 13 };
	return &p;
}

static void fake_fds(void *ctx, int64_t pid, fd_desc_fn fn, void *arg)
{
	(void)ctx;
	if (pid != TID)
		return;
	struct fd_desc d;
	memset(&d, 0, sizeof d);
	d.fd = 7, d.type = FDD_FILE_V2, d.name = str("/fake/data.txt"), d.ino = 11;
	fn(arg, &d);
	memset(&d, 0, sizeof d);
	d.fd = 8, d.type = FDD_DIRECTORY, d.name = str("/fake/dir"), d.ino = 12;
	fn(arg, &d);
	memset(&d, 0, sizeof d);
	d.fd = 9, d.type = FDD_IPV6_SOCK, d.l4proto = FDD_L4_TCP, d.ino = 13;
	d.local_addr[15] = 1, d.peer_addr[15] = 1; /* ::1 */
	d.local_port = 40000, d.peer_port = 8080;
	fn(arg, &d);
	memset(&d, 0, sizeof d);
	d.fd = 10, d.type = FDD_UNIX_SOCK, d.name = str("/fake/sock"), d.ino = 14;
	fn(arg, &d);
}

static void emit_close(struct sink *s, uint64_t ts, int fd)
{
	uint8_t buf[256];
	struct evbuf b;
	evb_begin(&b, buf, sizeof buf, pdig_syscalls[SYS_close].enter, ts, TID);
	evb_s64(&b, fd);
	size_t n = evb_finish(&b);
	if (!n)
		exit(1);
	s->write(s, buf, n);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: scap_described OUT ROTATE_BYTES EVENTS\n");
		return 2;
	}
	char err[256];
	struct sink *s = scap_sink_open(argv[1], strtoull(argv[2], NULL, 10), err, sizeof err);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct state_source src = { NULL, fake_process, fake_fds };
	sinks_add(s);
	sinks_set_source(&src);
	sinks_describe_process(TID);
	long n = strtol(argv[3], NULL, 10);
	for (long i = 0; i < n; i++)
		emit_close(s, 1700000000000000000ull + (uint64_t)i * 1000, 7 + (int)(i % 4));
	sinks_close();
	return 0;
}
