/* tests/unit/test_clock.c: the kernel's time arithmetic (guest/clock.h): conversions that saturate instead of wrapping. */
#include <check.h>
#include <stdint.h>

#include "../../guest/clock.h"
#include "suites.h"

#define KHZ 2599998ull /* a TSC rate KVM_GET_TSC_KHZ reported here */

START_TEST(ns_to_tsc_exact)
{
	ck_assert_uint_eq(clock_ns_to_tsc(0, KHZ), 0);
	ck_assert_uint_eq(clock_ns_to_tsc(1000000, KHZ), KHZ);          /* 1 ms */
	ck_assert_uint_eq(clock_ns_to_tsc(1500000, 2000000), 3000000); /* 1.5 ms at 2 GHz */
	ck_assert_uint_eq(clock_ns_to_tsc(999999, 1000000), 999999);   /* below 1 ms */
}
END_TEST

/*
 * The wrap a review found: with ms = UINT64_MAX / khz whole milliseconds, ms * khz fits, but
 * adding the sub-millisecond part went past UINT64_MAX, and a 254-year sleep ended at once.
 */
START_TEST(ns_to_tsc_saturates_near_the_top)
{
	uint64_t ms = UINT64_MAX / KHZ;
	uint64_t ns = ms * 1000000 + 999999;

	ck_assert_uint_gt(ms * 1000000, ms); /* ns itself is representable */
	ck_assert_uint_eq(clock_ns_to_tsc(ns, KHZ), UINT64_MAX);
}
END_TEST

START_TEST(ns_to_tsc_saturates_beyond)
{
	ck_assert_uint_eq(clock_ns_to_tsc(UINT64_MAX, KHZ), UINT64_MAX);
	ck_assert_uint_eq(clock_ns_to_tsc(UINT64_MAX, 1), UINT64_MAX / 1000000);
}
END_TEST

/* Monotonic: a longer sleep never gives an earlier deadline, all the way up. */
START_TEST(ns_to_tsc_monotonic)
{
	uint64_t prev = 0;

	for (int shift = 0; shift < 64; shift++) {
		uint64_t v = clock_ns_to_tsc(1ull << shift, KHZ);
		ck_assert_uint_ge(v, prev);
		prev = v;
	}
}
END_TEST

START_TEST(add_saturates)
{
	ck_assert_uint_eq(clock_add_sat(1, 2), 3);
	ck_assert_uint_eq(clock_add_sat(UINT64_MAX - 1, 1), UINT64_MAX);
	ck_assert_uint_eq(clock_add_sat(UINT64_MAX - 1, 2), UINT64_MAX);
	ck_assert_uint_eq(clock_add_sat(UINT64_MAX, UINT64_MAX), UINT64_MAX);
}
END_TEST

START_TEST(tsc_to_ns_exact_and_large)
{
	ck_assert_uint_eq(clock_tsc_to_ns(KHZ, KHZ), 1000000);
	ck_assert_uint_eq(clock_tsc_to_ns(3000000, 2000000), 1500000);
	/* 2^63 ticks: ticks * 1e6 would wrap; the split keeps it exact to a nanosecond. */
	ck_assert_uint_eq(clock_tsc_to_ns(1ull << 63, 1000000), 1ull << 63);
}
END_TEST

Suite *clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *c = tcase_create("arithmetic");

	tcase_add_test(c, ns_to_tsc_exact);
	tcase_add_test(c, ns_to_tsc_saturates_near_the_top);
	tcase_add_test(c, ns_to_tsc_saturates_beyond);
	tcase_add_test(c, ns_to_tsc_monotonic);
	tcase_add_test(c, add_saturates);
	tcase_add_test(c, tsc_to_ns_exact_and_large);
	suite_add_tcase(s, c);
	return s;
}
