/* flags_to_ppm() semantics and the file/fd tables. */
#include "fake.h"
#include "events/flags.h"

static const struct flag_map demo[] = {
	FM_ANY(0x6, 0x100),       /* either bit */
	FM_EQ(0x3, 0x1, 0x200),   /* field value */
	FM_IS(42, 0x400),         /* whole value */
	FM_END,
};

int main(void)
{
	CHECK_EQ_INT(flags_to_ppm(demo, 0), 0);
	CHECK_EQ_INT(flags_to_ppm(demo, 0x2), 0x100);
	CHECK_EQ_INT(flags_to_ppm(demo, 0x4), 0x100);
	CHECK_EQ_INT(flags_to_ppm(demo, 0x1), 0x200);
	CHECK_EQ_INT(flags_to_ppm(demo, 0x3), 0x100);  /* field 3 != 1 */
	CHECK_EQ_INT(flags_to_ppm(demo, 42), 0x400 | 0x100);
	CHECK_EQ_INT(flags_to_ppm(demo, 42 | (1ull << 40)), 0x100);

	/* every single native mode bit maps to exactly one PPM_S_* bit */
	for (int i = 0; i < 12; i++)
		CHECK_EQ_INT(flags_to_ppm(file_mode_map, 1u << i), 1u << i);
	CHECK_EQ_INT(flags_to_ppm(file_mode_map, 0170000), 0); /* S_IFMT ignored */
	CHECK_EQ_INT(open_mode_to_ppm(0, 0644), 0);
	CHECK_EQ_INT(open_mode_to_ppm(0100, 0644), 0644);
	CHECK_EQ_INT(open_mode_to_ppm(020000000 | 0200000, 0600), 0600); /* O_TMPFILE */

	/* resolve: native bit i -> its PPM_RESOLVE_* bit */
	static const uint32_t res[] = { 0x10, 0x4, 0x8, 0x1, 0x2, 0x20 };
	for (int i = 0; i < 6; i++)
		CHECK_EQ_INT(flags_to_ppm(resolve_flags_map, 1u << i), res[i]);
	CHECK_EQ_INT(flags_to_ppm(resolve_flags_map, 0x3f), 0x3f);

	/* open access modes */
	CHECK_EQ_INT(flags_to_ppm(open_flags_map, 0), 1);
	CHECK_EQ_INT(flags_to_ppm(open_flags_map, 1), 2);
	CHECK_EQ_INT(flags_to_ppm(open_flags_map, 2), 3);
	CHECK_EQ_INT(flags_to_ppm(open_flags_map, 02000000), 1 | 0x1000); /* O_CLOEXEC */

	CHECK_EQ_INT(flags_to_ppm(lseek_whence_map, 0), 0);
	CHECK_EQ_INT(flags_to_ppm(lseek_whence_map, 2), 2);
	CHECK_EQ_INT(flags_to_ppm(access_flags_map, 7), 7);
	CHECK_EQ_INT(flags_to_ppm(flock_flags_map, 0xf), 0xf);
	CHECK_EQ_INT(flags_to_ppm(unlinkat_flags_map, ~0ull), 0x200);
	CHECK_EQ_INT(flags_to_ppm(linkat_flags_map, ~0ull), 0x1400);
	return check_done("test_file_flags");
}
