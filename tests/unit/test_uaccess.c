/* tests/unit/test_uaccess.c: the user-range check uaccess_range_ok (guest/uaccess.h), at every edge of user space. */
#include <check.h>
#include <stdint.h>

#include "../../guest/uaccess.h"
#include "suites.h"

#define KERNEL_TEXT 0xffffffff80000000ull

START_TEST(in_range)
{
	ck_assert_int_eq(uaccess_range_ok(0x400000, 0x1000), 1);
	ck_assert_int_eq(uaccess_range_ok(USER_MIN, 1), 1);
	ck_assert_int_eq(uaccess_range_ok(0x400000, 0), 1);
	ck_assert_int_eq(uaccess_range_ok(0, 0), 1);
	ck_assert_int_eq(uaccess_range_ok(0, USER_TOP), 1); /* all of user space */
	ck_assert_int_eq(uaccess_range_ok(USER_STACK_TOP - USER_STACK_SIZE, USER_STACK_SIZE), 1);
}
END_TEST

START_TEST(ends_at_top)
{
	ck_assert_int_eq(uaccess_range_ok(USER_TOP - 0x1000, 0x1000), 1);
	ck_assert_int_eq(uaccess_range_ok(USER_TOP - 1, 1), 1);
	ck_assert_int_eq(uaccess_range_ok(1, USER_TOP - 1), 1);
}
END_TEST

START_TEST(one_past_top)
{
	ck_assert_int_eq(uaccess_range_ok(USER_TOP - 0x1000, 0x1001), 0);
	ck_assert_int_eq(uaccess_range_ok(USER_TOP - 1, 2), 0);
	ck_assert_int_eq(uaccess_range_ok(0, USER_TOP + 1), 0);
	ck_assert_int_eq(uaccess_range_ok(1, USER_TOP), 0);
}
END_TEST

START_TEST(at_top)
{
	ck_assert_int_eq(uaccess_range_ok(USER_TOP, 0), 1); /* an empty range at the end */
	ck_assert_int_eq(uaccess_range_ok(USER_TOP, 1), 0);
	ck_assert_int_eq(uaccess_range_ok(USER_TOP, 0x1000), 0);
}
END_TEST

START_TEST(len_wraps)
{
	ck_assert_int_eq(uaccess_range_ok(0x1000, UINT64_MAX), 0);
	ck_assert_int_eq(uaccess_range_ok(0x1000, UINT64_MAX - 0xfff), 0); /* end == 2^64 == 0 */
	ck_assert_int_eq(uaccess_range_ok(0x1000, (uint64_t)0 - 0x1000 + 0x10), 0); /* end == 0x10 */
	ck_assert_int_eq(uaccess_range_ok(USER_TOP - 1, UINT64_MAX), 0);
	ck_assert_int_eq(uaccess_range_ok(0, UINT64_MAX), 0);
	ck_assert_int_eq(uaccess_range_ok(0x400000, 1ull << 63), 0);
}
END_TEST

START_TEST(kernel_addresses)
{
	ck_assert_int_eq(uaccess_range_ok(DIRECT_MAP_BASE, 1), 0);
	ck_assert_int_eq(uaccess_range_ok(DIRECT_MAP_BASE, 0), 0);
	ck_assert_int_eq(uaccess_range_ok(KERNEL_TEXT, 0x100), 0);
	ck_assert_int_eq(uaccess_range_ok(KERNEL_TEXT, 0), 0);
	ck_assert_int_eq(uaccess_range_ok(UINT64_MAX, 0), 0);
	ck_assert_int_eq(uaccess_range_ok(UINT64_MAX, 1), 0); /* would wrap to 0 */
	ck_assert_int_eq(uaccess_range_ok(UINT64_MAX - 0xfff, 0x1000), 0);
}
END_TEST

START_TEST(non_canonical)
{
	static const uint64_t addrs[] = {
		USER_TOP + 1, USER_TOP + 0x1000, 0x0000ffffffffffffull, 0x1000000000000000ull,
		0x8000000000000000ull, 0xffff7fffffffffffull,
	};

	for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		ck_assert_msg(uaccess_range_ok(addrs[i], 0) == 0, "%#llx len 0 accepted",
			      (unsigned long long)addrs[i]);
		ck_assert_msg(uaccess_range_ok(addrs[i], 1) == 0, "%#llx len 1 accepted",
			      (unsigned long long)addrs[i]);
	}
}
END_TEST

Suite *uaccess_suite(void)
{
	Suite *s = suite_create("uaccess");
	TCase *t = tcase_create("range_ok");

	tcase_add_test(t, in_range);
	tcase_add_test(t, ends_at_top);
	tcase_add_test(t, one_past_top);
	tcase_add_test(t, at_top);
	tcase_add_test(t, len_wraps);
	tcase_add_test(t, kernel_addresses);
	tcase_add_test(t, non_canonical);
	suite_add_tcase(s, t);
	return s;
}
