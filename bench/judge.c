/* bench/judge.c: the exact two-sided Mann-Whitney U test on run medians, and the verdict on one metric (see judge.h). */
#include "judge.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIDES 2 /* a two-sided test: both tails of the distribution */

struct pooled {
	double v;
	int from_x;
};

static int cmp_pooled(const void *a, const void *b)
{
	double x = ((const struct pooled *)a)->v, y = ((const struct pooled *)b)->v;

	return x < y ? -1 : x > y;
}

/*
 * The rank sum is counted in doubled ranks so that mid-ranks (a tie of the 3rd and 4th value
 * has rank 3.5 each) stay integers: every comparison below is exact. The permutation
 * distribution comes from counting, for every k <= m and every sum s, the k-subsets of the
 * pooled values whose doubled ranks add up to s (a subset-sum table, one value at a time):
 * at most 65 x 16 513 counts, about 8.6 MB, at 64 against 64 runs. Counts reach C(128, 64),
 * about 2.4e37: doubles hold them to 16 digits, plenty for a p.
 */
double judge_mw_p(const double *x, unsigned m, const double *y, unsigned n)
{
	struct pooled pool[2 * JUDGE_RUNS_MAX];
	long rank2[2 * JUDGE_RUNS_MAX], w2 = 0, mean2, dev, top, reach = 0;
	unsigned total = m + n;
	double *count, all = 0, tail = 0;

	if (m == 0 || n == 0 || m > JUDGE_RUNS_MAX || n > JUDGE_RUNS_MAX)
		return -1;
	for (unsigned i = 0; i < m; i++)
		pool[i] = (struct pooled){x[i], 1};
	for (unsigned j = 0; j < n; j++)
		pool[m + j] = (struct pooled){y[j], 0};
	qsort(pool, total, sizeof(pool[0]), cmp_pooled);
	for (unsigned i = 0; i < total;) {
		unsigned j = i;

		while (j + 1 < total && pool[j + 1].v == pool[i].v)
			j++;
		/* Positions i..j (ranks i+1..j+1) share the mean rank: doubled, i + j + 2. */
		for (unsigned k = i; k <= j; k++) {
			rank2[k] = (long)(i + j + 2);
			if (pool[k].from_x)
				w2 += rank2[k];
		}
		i = j + 1;
	}
	mean2 = (long)m * (long)(total + 1); /* twice the mean rank sum, m (N + 1) / 2 */
	dev = labs(w2 - mean2);
	top = (long)total * (long)(total + 1); /* twice the sum of all ranks */
	count = calloc((size_t)(m + 1) * (size_t)(top + 1), sizeof(*count));
	if (count == NULL)
		return -1;
#define COUNT(k, s) count[(size_t)(k) * (size_t)(top + 1) + (size_t)(s)]
	COUNT(0, 0) = 1;
	for (unsigned i = 0; i < total; i++) {
		unsigned kmax = i + 1 < m ? i + 1 : m;

		reach += rank2[i];
		/* Downwards, so that each value joins a subset at most once. */
		for (unsigned k = kmax; k >= 1; k--)
			for (long s = reach; s >= rank2[i]; s--)
				COUNT(k, s) += COUNT(k - 1, s - rank2[i]);
	}
	for (long s = 0; s <= top; s++) {
		all += COUNT(m, s);
		if (labs(s - mean2) >= dev)
			tail += COUNT(m, s);
	}
#undef COUNT
	free(count);
	return fmin(1.0, tail / all);
}

double judge_mw_min_p(unsigned m, unsigned n)
{
	double ways = 1; /* C(m + n, m), built as a product that stays whole at every step */

	for (unsigned i = 1; i <= m; i++)
		ways = ways * (n + i) / i;
	return fmin(1.0, SIDES / ways);
}

static double min_of(const double *v, unsigned n)
{
	double lo = v[0];

	for (unsigned i = 1; i < n; i++)
		lo = fmin(lo, v[i]);
	return lo;
}

static double max_of(const double *v, unsigned n)
{
	double hi = v[0];

	for (unsigned i = 1; i < n; i++)
		hi = fmax(hi, v[i]);
	return hi;
}

int judge_decide(const double *old_runs, unsigned n_old, double old_median,
		 const double *new_runs, unsigned n_new, double new_median, struct judge *out)
{
	memset(out, 0, sizeof(*out));
	out->verdict = JUDGE_NOT_JUDGED;
	out->test = JUDGE_TEST_NONE;
	out->p = NAN;
	if (old_median != 0)
		out->change = (new_median - old_median) / fabs(old_median);
	else
		out->change = new_median == 0 ? 0 : copysign(INFINITY, new_median);
	if (n_old == 0 || n_new == 0 || n_old > JUDGE_RUNS_MAX || n_new > JUDGE_RUNS_MAX)
		return 0;
	if (judge_mw_min_p(n_old, n_new) <= JUDGE_ALPHA) {
		out->test = JUDGE_TEST_MANN_WHITNEY;
		out->p = judge_mw_p(old_runs, n_old, new_runs, n_new);
		if (out->p < 0) {
			out->test = JUDGE_TEST_NONE;
			out->p = NAN;
			return -1;
		}
		out->significant = out->p <= JUDGE_ALPHA;
	} else if (n_old >= JUDGE_RANGE_MIN_RUNS && n_new >= JUDGE_RANGE_MIN_RUNS) {
		out->test = JUDGE_TEST_RANGES;
		out->significant = min_of(new_runs, n_new) > max_of(old_runs, n_old) ||
				   max_of(new_runs, n_new) < min_of(old_runs, n_old);
	} else {
		return 0; /* one run a side: no scatter to judge against */
	}
	out->verdict = JUDGE_SAME;
	if (!out->significant)
		return 0;
	if (fabs(out->change) < JUDGE_MIN_EFFECT)
		out->below_effect = 1;
	else
		out->verdict = out->change > 0 ? JUDGE_SLOWER : JUDGE_FASTER;
	return 0;
}
