/* mem_read_strs (several strings of one syscall in one readv) must read
 * exactly what mem_read_str reads string by string: same length, same
 * bytes, for strings that cross pages, run into unmapped memory, exceed
 * cap, or are not there at all; and a batch of readable strings costs one
 * readv. */
#include <stdlib.h>
#include <string.h>

#include "fake.h"

#define PAGE 4096ull

static struct fake_mem fm;

/* Address i of the cases, mapped below. */
static uint64_t addrs[16];
static size_t naddrs;

static void map_cases(void)
{
	static char big[6000];
	memset(big, 'x', sizeof big);
	big[sizeof big - 1] = 0;
	char buf[64];
	/* short, inside a page */
	addrs[naddrs++] = fake_mem_str(&fm, 0x10000, "/tmp/a");
	/* crosses a page boundary: 10 bytes before it, 20 after */
	memset(buf, 'c', 30);
	buf[30] = 0;
	addrs[naddrs++] = fake_mem_map(&fm, 0x21000 - 10, buf, 31);
	/* longer than a page and than PATH_MAX */
	addrs[naddrs++] = fake_mem_map(&fm, 0x30000 + 100, big, sizeof big);
	/* no NUL before unmapped memory, mid-page */
	addrs[naddrs++] = fake_mem_map(&fm, 0x50000, "abcdefghij", 10);
	/* no NUL up to the end of its page, next page unmapped */
	addrs[naddrs++] = fake_mem_map(&fm, 0x61000 - 12, "page-end-str", 12);
	/* the empty string, and one at the last byte of a page */
	addrs[naddrs++] = fake_mem_str(&fm, 0x70000, "");
	addrs[naddrs++] = fake_mem_str(&fm, 0x81000 - 2, "z");
	/* unreadable, and NULL */
	addrs[naddrs++] = 0xdead0000;
	addrs[naddrs++] = 0;
}

static char one[MEM_STRS_MAX][5000], many[MEM_STRS_MAX][5000];

static void compare(size_t n, const uint64_t *a, const size_t *cap)
{
	ssize_t want[MEM_STRS_MAX], got[MEM_STRS_MAX];
	char *dst[MEM_STRS_MAX];
	for (size_t i = 0; i < n; i++) {
		memset(one[i], 0x55, sizeof one[i]);
		memset(many[i], 0x55, sizeof many[i]);
		want[i] = mem_read_str(&fm.mem, a[i], one[i], cap[i]);
		dst[i] = many[i];
	}
	mem_read_strs(&fm.mem, n, a, dst, cap, got);
	for (size_t i = 0; i < n; i++) {
		CHECK_EQ_INT(got[i], want[i]);
		if (got[i] >= 0 && got[i] == want[i])
			CHECK(memcmp(one[i], many[i], (size_t)want[i] + 1) == 0);
		if (cap[i] && got[i] < 0)
			CHECK_EQ_INT(many[i][0], 0); /* left an empty string */
	}
}

int main(void)
{
	fake_mem_init(&fm);
	map_cases();
	static const size_t caps[] = { 4096, 1, 2, 5, 17, 4000 };
	/* every pair and triple of cases, in every order, at several caps */
	for (size_t ci = 0; ci < sizeof caps / sizeof *caps; ci++) {
		for (size_t i = 0; i < naddrs; i++) {
			for (size_t j = 0; j < naddrs; j++) {
				uint64_t a2[2] = { addrs[i], addrs[j] };
				size_t c2[2] = { caps[ci], 4096 };
				compare(2, a2, c2);
				for (size_t k = 0; k < naddrs; k += 2) {
					uint64_t a3[3] = { addrs[i], addrs[j], addrs[k] };
					size_t c3[3] = { 4096, caps[ci], 4096 };
					compare(3, a3, c3);
				}
			}
		}
	}
	/* a cap of 0 leaves the buffer alone */
	uint64_t a1[2] = { addrs[0], addrs[0] };
	size_t c0[2] = { 0, 16 };
	char x[2][16] = { "untouched", "" };
	char *d0[2] = { x[0], x[1] };
	ssize_t l0[2];
	mem_read_strs(&fm.mem, 2, a1, d0, c0, l0);
	CHECK_EQ_INT(l0[0], -1);
	CHECK_EQ_STR(x[0], "untouched");
	CHECK_EQ_STR(x[1], "/tmp/a");

	/* two short strings: one readv, no single reads */
	fm.reads = fm.readvs = 0;
	uint64_t a2[2] = { addrs[0], addrs[5] };
	size_t c2[2] = { 4096, 4096 };
	char *d2[2] = { many[0], many[1] };
	ssize_t l2[2];
	mem_read_strs(&fm.mem, 2, a2, d2, c2, l2);
	CHECK_EQ_INT(fm.readvs, 1);
	CHECK_EQ_INT(fm.reads, 0);
	CHECK_EQ_STR(many[0], "/tmp/a");
	CHECK_EQ_INT(l2[1], 0);
	/* without a readv: one read each */
	fm.mem.readv = NULL;
	fm.reads = 0;
	mem_read_strs(&fm.mem, 2, a2, d2, c2, l2);
	CHECK_EQ_INT(fm.reads, 2);
	CHECK_EQ_STR(many[0], "/tmp/a");
	fake_mem_free(&fm);
	return check_done("test_mem_read");
}
