/* tests/unit/test_judge.c: bench/judge.c: the exact Mann-Whitney p against tables and brute force, and the verdicts, fallbacks and minimum effect. */
#include <check.h>
#include <math.h>
#include <stdint.h>

#include "../../bench/judge.h"
#include "suites.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define P_TOL 1e-12
#define FIVE_VS_FIVE 252.0 /* C(10, 5): the ways to split 10 runs into 5 and 5 */
#define BRUTE_MAX 7        /* runs a side in the brute-force check: C(14, 7) = 3432 splits */
#define BRUTE_CASES 300

/* ---- the p-value ---- */

START_TEST(min_p)
{
	ck_assert_double_eq_tol(judge_mw_min_p(5, 5), 2 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(judge_mw_min_p(4, 4), 2 / 70.0, P_TOL);
	ck_assert_double_eq_tol(judge_mw_min_p(3, 5), 2 / 56.0, P_TOL);
	ck_assert_double_eq_tol(judge_mw_min_p(3, 3), 0.1, P_TOL);
	ck_assert_double_eq_tol(judge_mw_min_p(3, 4), 2 / 35.0, P_TOL);
	ck_assert_double_eq_tol(judge_mw_min_p(2, 2), 2 / 6.0, P_TOL);
	ck_assert_double_eq(judge_mw_min_p(1, 1), 1); /* 2/2 */
	ck_assert_double_eq(judge_mw_min_p(0, 5), 1);
	ck_assert(judge_mw_min_p(64, 64) < 1e-30);
}
END_TEST

/*
 * 5 against 5, no ties: the number of splits with U = 0, 1, 2, 3 is 1, 1, 2, 3, so the
 * two-sided p for U = 0..3 is 2, 4, 8, 14 in 252 (the published table's critical U at 0.05
 * is 2). x's values are moved one by one past y's to make U = 0, 1, 2, 3.
 */
START_TEST(five_vs_five_table)
{
	static const double y[] = {10, 20, 30, 40, 50};
	static const double u0[] = {1, 2, 3, 4, 5};
	static const double u1[] = {1, 2, 3, 4, 15};
	static const double u2[] = {1, 2, 3, 4, 25};
	static const double u3[] = {1, 2, 3, 4, 35};

	ck_assert_double_eq_tol(judge_mw_p(u0, 5, y, 5), 2 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(judge_mw_p(y, 5, u0, 5), 2 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(judge_mw_p(u1, 5, y, 5), 4 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(judge_mw_p(u2, 5, y, 5), 8 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(judge_mw_p(u3, 5, y, 5), 14 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq(judge_mw_p(y, 5, y, 5), 1);
}
END_TEST

START_TEST(ties)
{
	static const double same[] = {7, 7, 7, 7, 7};
	static const double lo[] = {5, 5, 5, 5, 5};
	static const double hi[] = {6, 6, 6, 6, 6};

	ck_assert_double_eq(judge_mw_p(same, 5, same, 5), 1);
	/* All tied within each side, none across: as separated as it gets. */
	ck_assert_double_eq_tol(judge_mw_p(lo, 5, hi, 5), 2 / FIVE_VS_FIVE, P_TOL);
}
END_TEST

START_TEST(bad_sizes)
{
	static const double v[JUDGE_RUNS_MAX + 1] = {0};

	ck_assert_double_eq(judge_mw_p(v, 0, v, 5), -1);
	ck_assert_double_eq(judge_mw_p(v, 5, v, 0), -1);
	ck_assert_double_eq(judge_mw_p(v, JUDGE_RUNS_MAX + 1, v, 5), -1);
}
END_TEST

/* The largest case: 64 against 64, separated, in reasonable time and memory. */
START_TEST(largest)
{
	double x[JUDGE_RUNS_MAX], y[JUDGE_RUNS_MAX];

	for (unsigned i = 0; i < JUDGE_RUNS_MAX; i++) {
		x[i] = i;
		y[i] = JUDGE_RUNS_MAX + i;
	}
	ck_assert_double_eq_tol(judge_mw_p(x, JUDGE_RUNS_MAX, y, JUDGE_RUNS_MAX) /
					judge_mw_min_p(JUDGE_RUNS_MAX, JUDGE_RUNS_MAX),
				1, 1e-9);
	ck_assert_double_eq(judge_mw_p(x, JUDGE_RUNS_MAX, x, JUDGE_RUNS_MAX), 1);
}
END_TEST

/* The same p the slow way: every split of the pooled values, mid-ranks computed afresh. */
static double brute_p(const double *x, unsigned m, const double *y, unsigned n)
{
	double pool[2 * BRUTE_MAX], rank[2 * BRUTE_MAX] = {0}, w = 0, mean, ways = 0, tail = 0;
	unsigned total = m + n;

	for (unsigned i = 0; i < total; i++)
		pool[i] = i < m ? x[i] : y[i - m];
	for (unsigned i = 0; i < total; i++) {
		unsigned below = 0, equal = 0;

		for (unsigned j = 0; j < total; j++) {
			below += pool[j] < pool[i];
			equal += pool[j] == pool[i];
		}
		rank[i] = below + (equal + 1) / 2.0;
	}
	for (unsigned i = 0; i < m; i++)
		w += rank[i];
	mean = m * (total + 1) / 2.0;
	for (uint32_t set = 0; set < (1u << total); set++) {
		double s = 0;

		if ((unsigned)__builtin_popcount(set) != m)
			continue;
		for (unsigned i = 0; i < total; i++)
			if (set & (1u << i))
				s += rank[i];
		ways++;
		if (fabs(s - mean) >= fabs(w - mean) - 1e-9)
			tail++;
	}
	return tail / ways;
}

START_TEST(against_brute_force)
{
	uint32_t seed = 12345;
	double x[BRUTE_MAX], y[BRUTE_MAX];

	for (unsigned c = 0; c < BRUTE_CASES; c++) {
		unsigned m = 1 + c % BRUTE_MAX, n = 1 + (c / BRUTE_MAX) % BRUTE_MAX;

		/* Few distinct values, so that ties are common; y shifted in some cases. */
		for (unsigned i = 0; i < m; i++) {
			seed = seed * 1103515245u + 12345u;
			x[i] = (seed >> 16) % 6;
		}
		for (unsigned i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			y[i] = (seed >> 16) % 6 + (c % 3);
		}
		ck_assert_double_eq_tol(judge_mw_p(x, m, y, n), brute_p(x, m, y, n), P_TOL);
		ck_assert_double_eq_tol(judge_mw_p(y, n, x, m), brute_p(x, m, y, n), P_TOL);
	}
}
END_TEST

/* ---- the verdict ---- */

static struct judge decide(const double *o, unsigned no, double om, const double *n, unsigned nn,
			   double nm)
{
	struct judge j;

	ck_assert_int_eq(judge_decide(o, no, om, n, nn, nm, &j), 0);
	return j;
}

static const double base[] = {100, 101, 99, 100.5, 99.5};

START_TEST(slower_faster_same)
{
	double slow[N_OF(base)], fast[N_OF(base)];
	struct judge j;

	for (unsigned i = 0; i < N_OF(base); i++) {
		slow[i] = 1.5 * base[i];
		fast[i] = base[i] / 1.5;
	}
	j = decide(base, 5, 100, slow, 5, 150);
	ck_assert_int_eq(j.verdict, JUDGE_SLOWER);
	ck_assert_int_eq(j.test, JUDGE_TEST_MANN_WHITNEY);
	ck_assert_double_eq_tol(j.p, 2 / FIVE_VS_FIVE, P_TOL);
	ck_assert_double_eq_tol(j.change, 0.5, P_TOL);
	j = decide(base, 5, 100, fast, 5, 100 / 1.5);
	ck_assert_int_eq(j.verdict, JUDGE_FASTER);
	ck_assert(j.significant);
	j = decide(base, 5, 100, base, 5, 100);
	ck_assert_int_eq(j.verdict, JUDGE_SAME);
	ck_assert_double_eq(j.p, 1);
	ck_assert(!j.significant && !j.below_effect);
}
END_TEST

START_TEST(minimum_effect)
{
	static const double tight[] = {100, 100.1, 99.9, 100.05, 99.95};
	static const double up1[] = {101, 101.1, 100.9, 101.05, 100.95}; /* +1 %, apart */
	static const double up3[] = {103, 103.1, 102.9, 103.05, 102.95}; /* +3 %, apart */
	struct judge j;

	j = decide(tight, 5, 100, up1, 5, 101);
	ck_assert(j.significant);
	ck_assert(j.below_effect);
	ck_assert_int_eq(j.verdict, JUDGE_SAME);
	j = decide(tight, 5, 100, up3, 5, 103);
	ck_assert_int_eq(j.verdict, JUDGE_SLOWER);
	ck_assert(!j.below_effect);
}
END_TEST

/* A median 3 % up, but the runs interleave: within noise. */
START_TEST(noise_hides_a_shift)
{
	static const double o[] = {90, 95, 100, 105, 110};
	static const double n[] = {93, 98, 103, 108, 113};
	struct judge j = decide(o, 5, 100, n, 5, 103);

	ck_assert_int_eq(j.verdict, JUDGE_SAME);
	ck_assert(!j.significant);
	ck_assert(j.p > JUDGE_ALPHA);
}
END_TEST

START_TEST(few_runs_use_ranges)
{
	static const double o3[] = {100, 101, 99}, n3[] = {110, 111, 109}, m3[] = {100, 112, 108};
	static const double o2[] = {100, 101}, n2[] = {90, 91};
	static const double o1[] = {100}, n1[] = {200};
	struct judge j;

	j = decide(o3, 3, 100, n3, 3, 110); /* the U test's best p here is 0.1 */
	ck_assert_int_eq(j.test, JUDGE_TEST_RANGES);
	ck_assert_int_eq(j.verdict, JUDGE_SLOWER);
	j = decide(o3, 3, 100, m3, 3, 108);
	ck_assert_int_eq(j.test, JUDGE_TEST_RANGES);
	ck_assert_int_eq(j.verdict, JUDGE_SAME); /* 100 overlaps */
	j = decide(o2, 2, 100.5, n2, 2, 90.5);
	ck_assert_int_eq(j.test, JUDGE_TEST_RANGES);
	ck_assert_int_eq(j.verdict, JUDGE_FASTER);
	j = decide(o1, 1, 100, n1, 1, 200); /* one run a side: nothing to judge noise by */
	ck_assert_int_eq(j.test, JUDGE_TEST_NONE);
	ck_assert_int_eq(j.verdict, JUDGE_NOT_JUDGED);
	j = decide(o1, 0, 100, n1, 1, 200);
	ck_assert_int_eq(j.verdict, JUDGE_NOT_JUDGED);
	/* 4 against 4 is enough for the U test (best p 2/70). */
	j = decide(base, 4, 100, base, 4, 100);
	ck_assert_int_eq(j.test, JUDGE_TEST_MANN_WHITNEY);
}
END_TEST

START_TEST(zero_and_negative_medians)
{
	static const double zero[] = {0, 0, 0, 0, 0}, tick[] = {26, 26, 26, 26, 26};
	static const double neg[] = {-12, -12, -12, -12, -12}, less_neg[] = {-6, -6, -6, -6, -6};
	struct judge j;

	j = decide(zero, 5, 0, zero, 5, 0);
	ck_assert_int_eq(j.verdict, JUDGE_SAME);
	ck_assert_double_eq(j.change, 0);
	j = decide(zero, 5, 0, tick, 5, 26);
	ck_assert_int_eq(j.verdict, JUDGE_SLOWER);
	ck_assert(isinf(j.change) && j.change > 0);
	/* -12 KiB of overhead to -6 KiB: higher, so worse. */
	j = decide(neg, 5, -12, less_neg, 5, -6);
	ck_assert_int_eq(j.verdict, JUDGE_SLOWER);
	ck_assert_double_eq_tol(j.change, 0.5, P_TOL);
}
END_TEST

Suite *judge_suite(void)
{
	Suite *s = suite_create("judge");
	TCase *p = tcase_create("p-value");
	TCase *v = tcase_create("verdict");

	tcase_add_test(p, min_p);
	tcase_add_test(p, five_vs_five_table);
	tcase_add_test(p, ties);
	tcase_add_test(p, bad_sizes);
	tcase_add_test(p, largest);
	tcase_add_test(p, against_brute_force);
	tcase_add_test(v, slower_faster_same);
	tcase_add_test(v, minimum_effect);
	tcase_add_test(v, noise_hides_a_shift);
	tcase_add_test(v, few_runs_use_ranges);
	tcase_add_test(v, zero_and_negative_medians);
	suite_add_tcase(s, p);
	suite_add_tcase(s, v);
	return s;
}
