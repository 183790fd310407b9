/* bench/judge.h: did a metric change between two sets of runs: an exact Mann-Whitney U test on the run medians, a minimum effect, a verdict. */
#ifndef BENCH_JUDGE_H
#define BENCH_JUDGE_H

#include "stats.h"

/*
 * The question: are NEW's run medians (one per fresh run of the suite) higher or lower than
 * OLD's by more than the runs' own scatter explains? The runs are few (5 by default) and their
 * scatter is not normal (a run that shared the CPU with something is an outlier, not a wider
 * bell), so the test is rank-based and exact: the two-sided Mann-Whitney U test, its p from
 * the permutation distribution of the rank sum with the ties as they are (mid-ranks), not from
 * the normal approximation, which is poor at 5 against 5. At 5 against 5 the smallest p it can
 * give is 2 / C(10, 5) = 2/252 = 0.008: complete separation.
 */
#define JUDGE_ALPHA 0.05 /* the usual level: one false alarm in twenty metrics that did not move */
/*
 * A significant change smaller than this fraction of the old median is still `same`. The test
 * only knows the scatter within each file; two `make bench` sessions also differ as a whole
 * (bench/README.md: the syscall.* medians moved by up to 1.5 % between two runs in a row on
 * this machine, host baselines included). 2 % stays above that drift, and is still small
 * against the changes the bench exists to catch: on syscall.null under kvm_pvm it is three
 * emulated instructions (one costs about 1 640 of its 240 000 cycles).
 */
#define JUDGE_MIN_EFFECT 0.02
/* The fallback compares ranges; a range needs two runs, or it says nothing about scatter. */
#define JUDGE_RANGE_MIN_RUNS 2
/* The most runs a side may have: as many as the report aggregates (bounds the test's work). */
#define JUDGE_RUNS_MAX STATS_RUNS_MAX

enum judge_verdict { JUDGE_SAME, JUDGE_SLOWER, JUDGE_FASTER, JUDGE_NOT_JUDGED };
enum judge_test { JUDGE_TEST_NONE, JUDGE_TEST_MANN_WHITNEY, JUDGE_TEST_RANGES };

struct judge {
	enum judge_verdict verdict;
	enum judge_test test; /* which test decided; NONE when too few runs (NOT_JUDGED) */
	double p;             /* JUDGE_TEST_MANN_WHITNEY: the two-sided p */
	int significant;      /* the test found a difference beyond the runs' scatter */
	double change;        /* (new - old) / |old| of the medians; +-INFINITY when old is 0 */
	int below_effect;     /* significant, but |change| < JUDGE_MIN_EFFECT: `same` */
};

/*
 * judge_mw_p: the exact two-sided p of the Mann-Whitney U test of x[0..m) against y[0..n):
 * the probability, over all ways of splitting the pooled values into groups of m and n, of a
 * rank sum at least as far from its mean as x's. 1 <= m, n <= JUDGE_RUNS_MAX; values finite.
 * Returns -1 on a bad size or when memory runs out.
 */
double judge_mw_p(const double *x, unsigned m, const double *y, unsigned n);
/* judge_mw_min_p: the smallest p the test can give for m against n runs: 2 / C(m + n, m). */
double judge_mw_min_p(unsigned m, unsigned n);

/*
 * judge_decide: OLD's and NEW's run medians and the medians of those (as the result files
 * give them). Higher is worse, in every unit. The Mann-Whitney test decides when its smallest
 * p reaches JUDGE_ALPHA (4 against 4 runs, or 3 against 5, or more); with fewer, but at least
 * JUDGE_RANGE_MIN_RUNS a side, the ranges decide: a change only if they do not overlap;
 * with fewer still, or with no runs, NOT_JUDGED. Returns 0, or -1 (out is NOT_JUDGED) when
 * judge_mw_p fails.
 */
int judge_decide(const double *old_runs, unsigned n_old, double old_median,
		 const double *new_runs, unsigned n_new, double new_median, struct judge *out);

#endif
