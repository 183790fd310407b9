/* tests/unit/test_gmem.c: guest-physical range checks in vmm/gmem.c (gmem_range_ok, gmem_ranges_overlap, gmem_ptr). */
#include <check.h>
#include <stdint.h>

#include "../../vmm/gmem.h"
#include "suites.h"

#define RAM_SIZE 4096u

static uint8_t ram[RAM_SIZE];
static const struct gmem gm = { .base = ram, .size = RAM_SIZE };

START_TEST(range_inside)
{
	ck_assert_msg(gmem_range_ok(0, 1, 100), "[0,1) fits in 100");
	ck_assert_msg(gmem_range_ok(10, 20, 100), "[10,30) fits in 100");
	ck_assert_msg(gmem_range_ok(0, 100, 100), "[0,100) fits exactly in 100");
	ck_assert_msg(gmem_range_ok(99, 1, 100), "[99,100) ends exactly at the limit");
}
END_TEST

START_TEST(range_one_past)
{
	ck_assert_msg(!gmem_range_ok(0, 101, 100), "[0,101) is one byte past 100");
	ck_assert_msg(!gmem_range_ok(99, 2, 100), "[99,101) is one byte past 100");
	ck_assert_msg(!gmem_range_ok(100, 1, 100), "[100,101) starts at the limit");
	ck_assert_msg(!gmem_range_ok(101, 0, 100), "start past the limit, even with len 0");
}
END_TEST

START_TEST(range_len_zero)
{
	ck_assert_msg(gmem_range_ok(0, 0, 100), "empty range at 0");
	ck_assert_msg(gmem_range_ok(100, 0, 100), "empty range at the limit is allowed");
	ck_assert_msg(gmem_range_ok(0, 0, 0), "empty range in an empty space");
	ck_assert_msg(!gmem_range_ok(1, 0, 0), "start 1 is past limit 0");
}
END_TEST

START_TEST(range_wrapping)
{
	ck_assert_msg(!gmem_range_ok(UINT64_MAX, 1, UINT64_MAX), "UINT64_MAX + 1 wraps");
	ck_assert_msg(!gmem_range_ok(1, UINT64_MAX, UINT64_MAX), "1 + UINT64_MAX wraps to 0");
	ck_assert_msg(!gmem_range_ok(16, UINT64_MAX - 8, 100), "16 + (2^64 - 9) wraps to 7");
	ck_assert_msg(!gmem_range_ok(UINT64_MAX - 3, 16, 100), "wraps to 12, below limit");
	ck_assert_msg(gmem_range_ok(0, UINT64_MAX, UINT64_MAX), "the whole space fits");
	ck_assert_msg(gmem_range_ok(UINT64_MAX, 0, UINT64_MAX), "empty at UINT64_MAX");
	ck_assert_msg(gmem_range_ok(UINT64_MAX - 1, 1, UINT64_MAX), "last byte below the limit");
}
END_TEST

START_TEST(overlap_basic)
{
	ck_assert_msg(gmem_ranges_overlap(0, 10, 5, 10), "[0,10) and [5,15) share [5,10)");
	ck_assert_msg(gmem_ranges_overlap(5, 10, 0, 10), "symmetric");
	ck_assert_msg(gmem_ranges_overlap(0, 100, 40, 1), "containment");
	ck_assert_msg(gmem_ranges_overlap(40, 1, 0, 100), "contained");
	ck_assert_msg(gmem_ranges_overlap(7, 3, 7, 3), "identical ranges");
}
END_TEST

START_TEST(overlap_edges)
{
	ck_assert_msg(!gmem_ranges_overlap(0, 10, 10, 10), "[0,10) and [10,20) are adjacent");
	ck_assert_msg(!gmem_ranges_overlap(10, 10, 0, 10), "[10,20) and [0,10) are adjacent");
	ck_assert_msg(gmem_ranges_overlap(0, 11, 10, 10), "one shared byte at 10");
	ck_assert_msg(gmem_ranges_overlap(10, 10, 19, 1), "one shared byte at 19");
	ck_assert_msg(!gmem_ranges_overlap(10, 10, 20, 1), "byte 20 is just past [10,20)");
	ck_assert_msg(!gmem_ranges_overlap(0, 10, 50, 10), "far apart");
}
END_TEST

START_TEST(overlap_len_zero)
{
	ck_assert_msg(!gmem_ranges_overlap(5, 0, 0, 10), "an empty range overlaps nothing");
	ck_assert_msg(!gmem_ranges_overlap(0, 10, 5, 0), "an empty range overlaps nothing");
	ck_assert_msg(!gmem_ranges_overlap(5, 0, 5, 0), "two empty ranges do not overlap");
}
END_TEST

START_TEST(ptr_inside)
{
	ck_assert_ptr_eq(gmem_ptr(&gm, 0, 1), ram);
	ck_assert_ptr_eq(gmem_ptr(&gm, 100, 24), ram + 100);
	ck_assert_ptr_eq(gmem_ptr(&gm, 0, RAM_SIZE), ram);
	ck_assert_ptr_eq(gmem_ptr(&gm, RAM_SIZE - 8, 8), ram + RAM_SIZE - 8);
}
END_TEST

START_TEST(ptr_outside)
{
	ck_assert_ptr_null(gmem_ptr(&gm, RAM_SIZE - 8, 9));
	ck_assert_ptr_null(gmem_ptr(&gm, 0, RAM_SIZE + 1));
	ck_assert_ptr_null(gmem_ptr(&gm, RAM_SIZE, 1));
	ck_assert_ptr_null(gmem_ptr(&gm, RAM_SIZE + 1, 0));
}
END_TEST

START_TEST(ptr_len_zero)
{
	ck_assert_ptr_eq(gmem_ptr(&gm, 0, 0), ram);
	ck_assert_ptr_eq(gmem_ptr(&gm, RAM_SIZE, 0), ram + RAM_SIZE);
	ck_assert_ptr_null(gmem_ptr(&gm, UINT64_MAX, 0));
}
END_TEST

START_TEST(ptr_wrapping)
{
	ck_assert_ptr_null(gmem_ptr(&gm, UINT64_MAX, 1));
	ck_assert_ptr_null(gmem_ptr(&gm, UINT64_MAX - 3, 16));
	ck_assert_ptr_null(gmem_ptr(&gm, 16, UINT64_MAX - 8));
	ck_assert_ptr_null(gmem_ptr(&gm, 1, UINT64_MAX));
	ck_assert_ptr_null(gmem_ptr(&gm, 0, UINT64_MAX));
}
END_TEST

Suite *gmem_suite(void)
{
	Suite *s = suite_create("gmem");
	TCase *range = tcase_create("range_ok");
	TCase *overlap = tcase_create("overlap");
	TCase *ptr = tcase_create("ptr");

	tcase_add_test(range, range_inside);
	tcase_add_test(range, range_one_past);
	tcase_add_test(range, range_len_zero);
	tcase_add_test(range, range_wrapping);
	tcase_add_test(overlap, overlap_basic);
	tcase_add_test(overlap, overlap_edges);
	tcase_add_test(overlap, overlap_len_zero);
	tcase_add_test(ptr, ptr_inside);
	tcase_add_test(ptr, ptr_outside);
	tcase_add_test(ptr, ptr_len_zero);
	tcase_add_test(ptr, ptr_wrapping);
	suite_add_tcase(s, range);
	suite_add_tcase(s, overlap);
	suite_add_tcase(s, ptr);
	return s;
}
