/*
 * bench/linux/getppid.c: one ordinary static Linux program that times getppid() through the C
 * library, run unchanged on the host and as a task of our kernel, so the two numbers come
 * from the same instructions (bench/run does both in every run of `make bench`).
 *
 * Usage: getppid METRIC [quick]
 *   bench/run:  getppid host.linux.getppid               (on the host)
 *               vmm/vmm guest.elf hz=0 -- getppid linux.getppid
 * Prints the bench lines bench/README.md describes (`bench:` and `bench-q:`), in TSC cycles.
 * It does not read the exit counters (SYS_bench is this project's, and an ordinary program
 * cannot use it), so its line has no exits or insns fields.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/tsc.h"

#define SAMPLES 2001     /* timed one at a time: the distribution */
#define WARMUP 200
#define BATCH 2000       /* back to back, timed as a whole: the mean. Small enough for
			  * kvm_pvm, where one call costs about 90 us */
#define QUICK_DIVISOR 10 /* `quick`: a tenth of each, as BENCH_QUICK=1 */
#define QUANTILES 101

static uint64_t t[SAMPLES];

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The q-th percentile of n sorted values, nearest rank. */
static uint64_t pct(const uint64_t *s, unsigned n, unsigned q)
{
	return s[(uint64_t)(n - 1) * q / 100];
}

/* The empty bracket's median: subtracted from every sample, as benchlib.h does. */
static uint64_t bracket(unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t t0 = tsc_begin();

		t[i] = tsc_end() - t0;
	}
	qsort(t, n, sizeof(t[0]), cmp_u64);
	return t[n / 2];
}

int main(int argc, char **argv)
{
	unsigned samples = SAMPLES, warmup = WARMUP, batch = BATCH;
	uint64_t empty, t0, total;
	volatile pid_t sink;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "quick") != 0)) {
		fprintf(stderr, "usage: %s METRIC [quick]\n", argv[0]);
		return 2;
	}
	if (argc == 3)
		samples /= QUICK_DIVISOR, warmup /= QUICK_DIVISOR, batch /= QUICK_DIVISOR;
	empty = bracket(samples);
	for (unsigned i = 0; i < warmup; i++)
		sink = getppid();
	for (unsigned i = 0; i < samples; i++) {
		t0 = tsc_begin();
		sink = getppid();
		t[i] = tsc_end() - t0;
		t[i] = t[i] > empty ? t[i] - empty : 0;
	}
	t0 = tsc_begin();
	for (unsigned i = 0; i < batch; i++)
		sink = getppid();
	total = tsc_end() - t0;
	(void)sink;
	qsort(t, samples, sizeof(t[0]), cmp_u64);
	printf("bench: %s unit=cycles n=%u median=%llu p1=%llu p99=%llu min=%llu mean=%.2f mean_n=%u "
	       "note=getppid() through the C library, a static Linux program\n",
	       argv[1], samples, (unsigned long long)pct(t, samples, 50),
	       (unsigned long long)pct(t, samples, 1), (unsigned long long)pct(t, samples, 99),
	       (unsigned long long)t[0], total > empty ? (double)(total - empty) / batch : 0.0,
	       batch);
	printf("bench-q: %s", argv[1]);
	for (unsigned q = 0; q < QUANTILES; q++)
		printf(" %llu", (unsigned long long)pct(t, samples, q));
	printf("\n");
	return 0;
}
