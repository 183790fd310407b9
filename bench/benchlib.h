/* bench/benchlib.h: timing helpers for ring-3 benchmark tasks: bracketed TSC reads, a sample buffer, one result line per metric. */
#ifndef LDE_BENCHLIB_H
#define LDE_BENCHLIB_H

#include "lde.h"

/*
 * BENCH_RUN(name, divisor, stmt) times `stmt` BENCH_SAMPLES times, one at a time, after
 * BENCH_WARMUP untimed runs, and prints
 *     NAME cycles MEDIAN P1 P99 MIN N
 * with the empty bracket subtracted and each sample divided by divisor (2 for a round trip
 * reported one way). The same line format as bench/hostbench.c.
 * Timestamps: lfence; rdtsc; lfence before, rdtscp; lfence after (rdtscp waits for the
 * timed work to finish; the lfences keep later loads from starting early). Ring 3 only:
 * no CPUID, which would exit to the hypervisor.
 */
#define BENCH_SAMPLES 2001
#define BENCH_WARMUP 200

static uint64_t bench_samples[BENCH_SAMPLES];
static uint64_t bench_bracket;

static inline uint64_t bench_begin(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t bench_end(void)
{
	uint32_t lo, hi, aux;
	__asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static void bench_sort(uint64_t *a, unsigned n)
{
	for (unsigned gap = n / 2; gap > 0; gap /= 2) /* Shell sort: no libc here */
		for (unsigned i = gap; i < n; i++)
			for (unsigned j = i; j >= gap && a[j - gap] > a[j]; j -= gap) {
				uint64_t t = a[j];
				a[j] = a[j - gap];
				a[j - gap] = t;
			}
}

static void bench_report(const char *name, unsigned divisor)
{
	uint64_t *s = bench_samples;

	bench_sort(s, BENCH_SAMPLES);
	for (unsigned i = 0; i < BENCH_SAMPLES; i++)
		s[i] = (s[i] > bench_bracket ? s[i] - bench_bracket : 0) / divisor;
	printf("%s cycles %lu %lu %lu %lu %u\n", name, s[BENCH_SAMPLES / 2], s[BENCH_SAMPLES / 100],
	       s[BENCH_SAMPLES - BENCH_SAMPLES / 100 - 1], s[0], BENCH_SAMPLES);
}

#define BENCH_RUN(name, divisor, stmt)                                                      \
	do {                                                                                \
		for (unsigned bench_i = 0; bench_i < BENCH_WARMUP; bench_i++) {            \
			stmt;                                                              \
		}                                                                          \
		for (unsigned bench_i = 0; bench_i < BENCH_SAMPLES; bench_i++) {           \
			uint64_t bench_t0 = bench_begin();                                 \
			stmt;                                                              \
			bench_samples[bench_i] = bench_end() - bench_t0;                   \
		}                                                                          \
		bench_report((name), (divisor));                                           \
	} while (0)

/* bench_init: measure the empty bracket (and touch the sample buffer). */
static void bench_init(void)
{
	memset(bench_samples, 0, sizeof(bench_samples));
	for (unsigned i = 0; i < BENCH_SAMPLES; i++) {
		uint64_t t0 = bench_begin();
		bench_samples[i] = bench_end() - t0;
	}
	bench_sort(bench_samples, BENCH_SAMPLES);
	bench_bracket = bench_samples[BENCH_SAMPLES / 2];
	printf("bracket cycles %lu\n", bench_bracket);
}

#endif
