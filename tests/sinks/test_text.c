/* The text/JSON renderer on events built with evbuf: exact lines, the
 * tid->comm and fd->name tracking, JSON escaping (every JSON line is
 * checked by python's json parser) and the sink writing a file. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "events/evbuf.h"
#include "sinks/sink.h"
#include "sinks/text.h"

#define TS 1700000000123456789ull /* 22:13:20.123456789 UTC */

/* Strict: bytes must be valid UTF-8 and each line one JSON value. */
#define JSON_CHECK "python3 -c 'import json,sys; [json.loads(l.decode(\"utf-8\")) for l in sys.stdin.buffer]'"

static uint8_t ev[8192];
static size_t evlen;
static FILE *json_check; /* every JSON line we produce goes to python */

static void check(bool json, const char *want, int line)
{
	char out[4096];
	size_t n = text_format_event(ev, evlen, json, out, sizeof out);
	/* the caller's line, not this one */
	check_msg_at(__FILE__, line, n == strlen(out) && !strcmp(out, want), "rendered == want",
		     "mismatch\n  got:  %s\n  want: %s", out, want);
	if (json)
		fprintf(json_check, "%s\n", out);
}
#define CHECK_TEXT(want) check(false, want, __LINE__)
#define CHECK_JSON(want) check(true, want, __LINE__)

static struct evbuf b;
static void begin(uint16_t type, uint64_t tid) { evb_begin(&b, ev, sizeof ev, type, TS, tid); }
static void finish(void)
{
	evlen = evb_finish(&b);
	if (!evlen) {
		CHECK_FAIL("evbuf failed");
		exit(check_done("test_text"));
	}
}

static void execve_x(uint64_t tid, const char *comm)
{
	begin(EV_SYSCALL_EXECVE_19_X, tid);
	evb_s64(&b, 0);                       /* res */
	evb_str(&b, "/bin/cat");             /* exe */
	evb_bytes(&b, "-n\0/etc/passwd\0", 15); /* args */
	evb_s64(&b, (int64_t)tid);           /* tid */
	evb_s64(&b, (int64_t)tid);           /* pid */
	evb_s64(&b, 1);                      /* ptid */
	evb_str(&b, "/root");                /* cwd */
	evb_u64(&b, 1024);                   /* fdlimit */
	evb_u64(&b, 0);
	evb_u64(&b, 0);
	evb_u32(&b, 100);
	evb_u32(&b, 10);
	evb_u32(&b, 0);
	evb_str(&b, comm);                   /* comm */
	evb_bytes(&b, "", 0);                /* cgroups */
	evb_bytes(&b, "A=1\0", 4);           /* env */
	finish();                            /* tty, pgid, loginuid, flags padded */
}

static void openat_x(uint64_t tid, int64_t fd, const char *name, uint32_t flags)
{
	begin(EV_SYSCALL_OPENAT_2_X, tid);
	evb_s64(&b, fd);
	evb_s64(&b, -100);
	evb_str(&b, name);
	evb_u32(&b, flags);
	evb_u32(&b, 0);
	evb_u32(&b, 0x803);
	finish();
}

static void fd_event(uint16_t type, uint64_t tid, int64_t fd, uint32_t size)
{
	begin(type, tid);
	evb_s64(&b, fd);
	evb_u32(&b, size);
	finish();
}

static void res_event(uint16_t type, uint64_t tid, int64_t res)
{
	begin(type, tid);
	evb_s64(&b, res);
	finish();
}

static void test_process_and_files(void)
{
	text_state_reset();
	/* Unknown thread: "?" / null. */
	fd_event(EV_SYSCALL_READ_E, 1234, 3, 100);
	CHECK_TEXT("22:13:20.123456789 ?(1234) > read fd=3 size=100");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":1234,\"pid\":null,"
		   "\"comm\":null,\"dir\":\">\",\"type\":\"read\",\"args\":{\"fd\":3,\"size\":100}}");

	execve_x(1234, "cat");
	CHECK_TEXT("22:13:20.123456789 cat(1234) < execve res=0 exe=/bin/cat args=-n./etc/passwd. tid=1234 "
		   "pid=1234 ptid=1 cwd=/root fdlimit=1024 pgft_maj=0 pgft_min=0 vm_size=100 vm_rss=10 "
		   "vm_swap=0 comm=cat cgroups= env=[1 vars] tty=0 pgid=0 loginuid=0 flags=0");

	begin(EV_SYSCALL_OPENAT_2_E, 1234);
	evb_s64(&b, -100);
	evb_str(&b, "/etc/passwd");
	evb_u32(&b, 4097);
	evb_u32(&b, 0);
	finish();
	CHECK_TEXT("22:13:20.123456789 cat(1234) > openat dirfd=-100(AT_FDCWD) name=/etc/passwd "
		   "flags=O_RDONLY|O_CLOEXEC mode=0");

	openat_x(1234, 3, "/etc/passwd", 4097);
	CHECK_TEXT("22:13:20.123456789 cat(1234) < openat fd=3(/etc/passwd) dirfd=-100(AT_FDCWD) "
		   "name=/etc/passwd flags=O_RDONLY|O_CLOEXEC mode=0 dev=0x803");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":1234,\"pid\":1234,"
		   "\"comm\":\"cat\",\"dir\":\"<\",\"type\":\"openat\",\"args\":{\"fd\":3,\"fd_name\":\"/etc/passwd\","
		   "\"dirfd\":-100,\"dirfd_name\":\"AT_FDCWD\",\"name\":\"/etc/passwd\",\"flags\":\"O_RDONLY|O_CLOEXEC\","
		   "\"mode\":0,\"dev\":2051}}");

	/* Error exit. */
	openat_x(1234, -2, "/nonexistent", 1);
	CHECK_TEXT("22:13:20.123456789 cat(1234) < openat fd=-2(ENOENT) dirfd=-100(AT_FDCWD) "
		   "name=/nonexistent flags=O_RDONLY mode=0 dev=0x803");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":1234,\"pid\":1234,"
		   "\"comm\":\"cat\",\"dir\":\"<\",\"type\":\"openat\",\"args\":{\"fd\":-2,\"fd_errno\":\"ENOENT\","
		   "\"dirfd\":-100,\"dirfd_name\":\"AT_FDCWD\",\"name\":\"/nonexistent\",\"flags\":\"O_RDONLY\","
		   "\"mode\":0,\"dev\":2051}}");

	/* Payload: printable bytes kept, others '.', cut after 80 bytes. */
	fd_event(EV_SYSCALL_READ_E, 1234, 3, 4096);
	CHECK_TEXT("22:13:20.123456789 cat(1234) > read fd=3(/etc/passwd) size=4096");
	begin(EV_SYSCALL_READ_X, 1234);
	evb_s64(&b, 100);
	evb_bytes(&b, "root:x:0:0\n\x01\xff", 13);
	finish();
	CHECK_TEXT("22:13:20.123456789 cat(1234) < read res=100 data=root:x:0:0...");
	begin(EV_SYSCALL_READ_X, 1234);
	evb_s64(&b, 100);
	char big[100];
	memset(big, 'a', sizeof big);
	evb_bytes(&b, big, sizeof big);
	finish();
	char want[300];
	snprintf(want, sizeof want, "22:13:20.123456789 cat(1234) < read res=100 data=%.80s...", big);
	CHECK_TEXT(want);

	/* close forgets the name once the exit says it worked. */
	begin(EV_SYSCALL_CLOSE_E, 1234);
	evb_s64(&b, 3);
	finish();
	CHECK_TEXT("22:13:20.123456789 cat(1234) > close fd=3(/etc/passwd)");
	res_event(EV_SYSCALL_CLOSE_X, 1234, 0);
	CHECK_TEXT("22:13:20.123456789 cat(1234) < close res=0");
	fd_event(EV_SYSCALL_READ_E, 1234, 3, 1);
	CHECK_TEXT("22:13:20.123456789 cat(1234) > read fd=3 size=1");

	/* fcntl commands are values, not bits. */
	begin(EV_SYSCALL_FCNTL_E, 1234);
	evb_s64(&b, 3);
	evb_u8(&b, 5);
	finish();
	CHECK_TEXT("22:13:20.123456789 cat(1234) > fcntl fd=3 cmd=F_SETFL");

	/* procexit: printed with the comm, then forgotten. */
	begin(EV_PROCEXIT_1_E, 1234);
	evb_s64(&b, 9);
	evb_s64(&b, 0);
	evb_u8(&b, 9);
	evb_u8(&b, 0);
	finish();
	CHECK_TEXT("22:13:20.123456789 cat(1234) > procexit status=9 ret=0 sig=SIGKILL core=0");
	res_event(EV_SYSCALL_CLOSE_X, 1234, -9);
	CHECK_TEXT("22:13:20.123456789 ?(1234) < close res=-9(EBADF)");
}

static void test_clone_and_net(void)
{
	text_state_reset();
	/* Child side of a clone: res 0, the child's own tid/pid/comm. */
	begin(EV_SYSCALL_CLONE_20_X, 1300);
	evb_s64(&b, 0);
	evb_str(&b, "/usr/bin/srv");
	evb_bytes(&b, "", 0);
	evb_s64(&b, 1300);
	evb_s64(&b, 1300);
	evb_s64(&b, 1200);
	finish();
	res_event(EV_SYSCALL_CLOSE_X, 1300, 0); /* not yet: comm is padded empty in this clone */
	CHECK_TEXT("22:13:20.123456789 ?(1300) < close res=0");

	begin(EV_SYSCALL_CLONE_20_X, 1300);
	evb_s64(&b, 0);
	evb_str(&b, "/usr/bin/srv");
	evb_bytes(&b, "", 0);
	evb_s64(&b, 1300);
	evb_s64(&b, 1300);
	evb_s64(&b, 1200);
	evb_str(&b, "/");
	evb_s64(&b, 1024);
	evb_u64(&b, 0);
	evb_u64(&b, 0);
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	evb_u32(&b, 0);
	evb_str(&b, "srv");
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) < clone res=0 exe=/usr/bin/srv args= tid=1300 pid=1300 "
		   "ptid=1200 cwd=/ fdlimit=1024 pgft_maj=0 pgft_min=0 vm_size=0 vm_rss=0 vm_swap=0 comm=srv "
		   "cgroups= flags=0 uid=0 gid=0 vtid=0 vpid=0");

	/* connect: fd from the enter, name from the exit's tuple. */
	static const uint8_t addr[] = { 2, 127, 0, 0, 1, 0x90, 0x1f };
	begin(EV_SOCKET_CONNECT_E, 1300);
	evb_s64(&b, 4);
	evb_bytes(&b, addr, sizeof addr);
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) > connect fd=4 addr=127.0.0.1:8080");
	static const uint8_t tup[] = { 2, 127, 0, 0, 1, 0x40, 0x9c, 127, 0, 0, 1, 0x90, 0x1f };
	begin(EV_SOCKET_CONNECT_X, 1300);
	evb_s64(&b, 0);
	evb_bytes(&b, tup, sizeof tup);
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) < connect res=0 tuple=127.0.0.1:40000->127.0.0.1:8080");
	fd_event(EV_SYSCALL_WRITE_E, 1300, 4, 5);
	CHECK_TEXT("22:13:20.123456789 srv(1300) > write fd=4(127.0.0.1:40000->127.0.0.1:8080) size=5");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":1300,\"pid\":1300,"
		   "\"comm\":\"srv\",\"dir\":\">\",\"type\":\"write\",\"args\":{\"fd\":4,"
		   "\"fd_name\":\"127.0.0.1:40000->127.0.0.1:8080\",\"size\":5}}");

	/* Failed connect with an empty tuple. */
	begin(EV_SOCKET_CONNECT_X, 1300);
	evb_s64(&b, -111);
	evb_bytes(&b, "", 0);
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) < connect res=-111(ECONNREFUSED) tuple=NULL");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":1300,\"pid\":1300,"
		   "\"comm\":\"srv\",\"dir\":\"<\",\"type\":\"connect\",\"args\":{\"res\":-111,"
		   "\"res_errno\":\"ECONNREFUSED\",\"tuple\":null}}");

	/* IPv6 and unix addresses. */
	static const uint8_t a6[] = { 10, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0xbb, 0x01 };
	begin(EV_SOCKET_BIND_X, 1300);
	evb_s64(&b, 0);
	evb_bytes(&b, a6, sizeof a6);
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) < bind res=0 addr=2001:db8::2:443");
	begin(EV_SOCKET_BIND_X, 1300);
	evb_s64(&b, 0);
	evb_bytes(&b, "\x01/run/test.sock", 16);
	finish();
	CHECK_TEXT("22:13:20.123456789 srv(1300) < bind res=0 addr=/run/test.sock");
}

static void test_misc_types(void)
{
	text_state_reset();
	begin(EV_SYSCALL_SETUID_E, 7); /* setuid enter: UID "no value" */
	evb_u32(&b, 0xffffffffu);
	finish();
	CHECK_TEXT("22:13:20.123456789 ?(7) > setuid uid=-1");
	begin(EV_GENERIC_E, 7); /* generic: SYSCALLID by name */
	evb_u16(&b, 16);
	evb_u16(&b, 39);
	finish();
	CHECK_TEXT("22:13:20.123456789 ?(7) > syscall ID=getpid nativeID=39");
	/* poll exit: FDLIST. */
	begin(EV_SYSCALL_POLL_X, 7);
	evb_s64(&b, 1);
	uint8_t fl[22] = { 2, 0 };
	int64_t fd = 3;
	int16_t f = 1;
	memcpy(fl + 2, &fd, 8);
	memcpy(fl + 10, &f, 2);
	fd = 4, f = 4;
	memcpy(fl + 12, &fd, 8);
	memcpy(fl + 20, &f, 2);
	evb_bytes(&b, fl, sizeof fl);
	finish();
	CHECK_TEXT("22:13:20.123456789 ?(7) < poll res=1 fds=3:1 4:4");
	/* setsockopt exit: PT_DYN, index 2 = UINT32. */
	begin(EV_SOCKET_SETSOCKOPT_X, 7);
	evb_s64(&b, 0);
	evb_s64(&b, 5);
	evb_u8(&b, 1);
	evb_u8(&b, 2);
	uint8_t dyn[5] = { 2, 0x10, 0, 0, 0 };
	evb_bytes(&b, dyn, sizeof dyn);
	evb_u32(&b, 4);
	finish();
	CHECK_TEXT("22:13:20.123456789 ?(7) < setsockopt res=0 fd=5 level=SOL_SOCKET optname=SO_REUSEADDR val=16 optlen=4");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":7,\"pid\":null,"
		   "\"comm\":null,\"dir\":\"<\",\"type\":\"setsockopt\",\"args\":{\"res\":0,\"fd\":5,"
		   "\"level\":\"SOL_SOCKET\",\"optname\":\"SO_REUSEADDR\",\"val\":16,\"optlen\":4}}");
	/* Wrong-size value and a missing param (header nparams lies low). */
	begin(EV_SYSCALL_CLOSE_E, 7);
	evb_u32(&b, 3);
	finish();
	CHECK_TEXT("22:13:20.123456789 ?(7) > close fd=?");
	fd_event(EV_SYSCALL_READ_E, 7, 3, 9);
	uint32_t np = 1;
	memcpy(ev + 22, &np, 4);
	memmove(ev + 28, ev + 30, evlen - 30);
	evlen -= 2 + 4;
	uint32_t l = (uint32_t)evlen;
	memcpy(ev + 16, &l, 4);
	CHECK_TEXT("22:13:20.123456789 ?(7) > read fd=3 <truncated>");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":7,\"pid\":null,"
		   "\"comm\":null,\"dir\":\">\",\"type\":\"read\",\"args\":{\"fd\":3},\"truncated\":true}");
}

static void test_escaping(void)
{
	text_state_reset();
	/* Quote, backslash, newline, tab, a lone 0x80, 0xff, a valid "é" and
	 * a truncated 3-byte sequence. */
	openat_x(9, 5, "a\"b\\c\nd\te\x80\xff\xc3\xa9\xe2\x82", 1);
	CHECK_TEXT("22:13:20.123456789 ?(9) < openat fd=5(a\"b\\c.d.e\x80\xff\xc3\xa9\xe2\x82) dirfd=-100(AT_FDCWD) "
		   "name=a\"b\\c.d.e\x80\xff\xc3\xa9\xe2\x82 flags=O_RDONLY mode=0 dev=0x803");
	CHECK_JSON("{\"ts\":1700000000123456789,\"time\":\"22:13:20.123456789\",\"tid\":9,\"pid\":null,"
		   "\"comm\":null,\"dir\":\"<\",\"type\":\"openat\",\"args\":{\"fd\":5,"
		   "\"fd_name\":\"a\\\"b\\\\c\\nd\\u0009e\\u0080\\u00ff\xc3\xa9\\u00e2\\u0082\",\"dirfd\":-100,"
		   "\"dirfd_name\":\"AT_FDCWD\",\"name\":\"a\\\"b\\\\c\\nd\\u0009e\\u0080\\u00ff\xc3\xa9\\u00e2\\u0082\","
		   "\"flags\":\"O_RDONLY\",\"mode\":0,\"dev\":2051}}");
	/* A comm with odd bytes is escaped too. */
	execve_x(9, "x\"\x01\xfe");
	char out[4096];
	text_format_event(ev, evlen, true, out, sizeof out);
	CHECK_MSG(strstr(out, "\"comm\":\"x\\\"\\u0001\\u00fe\""), "comm not escaped: %s", out);
	fprintf(json_check, "%s\n", out);
	/* Too small a buffer: JSON falls back to a valid header-only line. */
	size_t n = text_format_event(ev, evlen, true, out, 200);
	CHECK_MSG(n > 0 && n < 200 && strstr(out, "\"truncated\":true}"), "small-buffer JSON fallback wrong (%zu): %s",
		  n, out);
	fprintf(json_check, "%s\n", out);
	CHECK_MSG(text_format_event(ev, evlen, true, out, 20) == 0 && !out[0], "tiny buffer should give an empty line");
}

static void test_sink(void)
{
	char path[] = "/tmp/pdig-text-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	char err[256];
	text_state_reset();
	struct sink *s = text_sink_open(path, false, err, sizeof err);
	if (!CHECK_MSG(s, "text_sink_open: %s", err))
		return;
	CHECK(s->wants(s));
	CHECK_EQ_INT(s->snaplen(s), 80);
	execve_x(42, "sh");
	s->write(s, ev, evlen);
	res_event(EV_SYSCALL_CLOSE_X, 42, -2);
	s->write(s, ev, evlen);
	s->write(s, ev, 10); /* malformed: still one line */
	s->flush(s);
	CHECK_EQ_INT(s->stats.written, 3);
	CHECK_EQ_INT(s->stats.dropped, 0);
	s->close(s);
	struct stat st;
	FILE *f = fopen(path, "r");
	char line[4096];
	int lines = 0;
	const char *want[] = { "sh(42) < execve res=0", "sh(42) < close res=-2(ENOENT)", "<malformed event, 10 bytes>" };
	while (f && fgets(line, sizeof line, f)) {
		if (lines < 3)
			CHECK_MSG(strstr(line, want[lines]), "sink line %d: %s", lines, line);
		lines++;
	}
	if (f)
		fclose(f);
	CHECK_EQ_INT(lines, 3);
	unlink(path);

	/* A fresh file gets 0644 (umask permitting), and bad paths fail cleanly. */
	mode_t old = umask(022);
	s = text_sink_open(path, true, err, sizeof err);
	umask(old);
	CHECK_MSG(s && !stat(path, &st) && (st.st_mode & 0777) == 0644, "new file mode wrong");
	if (s)
		s->close(s);
	unlink(path);
	CHECK_MSG(!text_sink_open("/nonexistent-dir/x", false, err, sizeof err) && strstr(err, "/nonexistent-dir/x"),
		  "bad path not reported: %s", err);
}

/* Our errno/signal tables against glibc's names (strerrorname_np and
 * sigabbrev_np are GNU extensions: a musl build cannot compare). */
static void compare_with_glibc(void)
{
#ifdef __GLIBC__
	for (int e = 1; e <= 133; e++) {
		const char *g = strerrorname_np(e), *o = text_errno_name(e);
		if (g || o)
			CHECK_MSG(g && o && !strcmp(g, o), "errno %d: ours %s, libc %s", e, o ? o : "-", g ? g : "-");
	}
	for (int sg = 1; sg < 32; sg++) {
		if (sg == SIGIO) /* libc calls it by its alias POLL */
			continue;
		const char *g = sigabbrev_np(sg), *o = text_signal_name((unsigned)sg);
		CHECK_MSG(g && o && !strncmp(o, "SIG", 3) && !strcmp(o + 3, g), "signal %d: ours %s, libc %s", sg,
			  o ? o : "-", g ? g : "-");
	}
#else
	CHECK_SKIP("errno and signal names against libc's", "strerrorname_np/sigabbrev_np are glibc-only");
#endif
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	/* Sanity of the checker itself: it must reject a broken line. */
	FILE *bad = popen(JSON_CHECK " 2>/dev/null", "w");
	fputs("{\"a\":\"\x80\"}\n", bad);
	if (!CHECK_MSG(pclose(bad) != 0, "python JSON check accepts invalid input?"))
		return check_done("test_text");
	json_check = popen(JSON_CHECK, "w");
	if (!CHECK_MSG(json_check, "cannot run python3"))
		return check_done("test_text");
	test_process_and_files();
	test_clone_and_net();
	test_misc_types();
	test_escaping();
	test_sink();
	CHECK_MSG(pclose(json_check) == 0, "python rejected a JSON line");
	CHECK_EQ_STR(text_errno_name(2), "ENOENT");
	CHECK_EQ_STR(text_errno_name(512), "ERESTARTSYS");
	CHECK(!text_errno_name(0));
	CHECK(!text_errno_name(-1));
	compare_with_glibc();
	return check_done("test_text");
}
