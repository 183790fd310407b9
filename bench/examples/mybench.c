/* bench/examples/mybench.c: a user's own benchmark, the worked example of bench/README.md: what does asking the kernel for the time cost, against reading the TSC? */
#include "benchlib.h"

static inline uint64_t rdtsc_plain(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	bench_init(); /* platform, sample counts, the empty bracket, the empty exit window */
	BENCH_RUN("my.rdtsc", 1, rdtsc_plain());
	BENCH_RUN("my.clock", 1, clock_ns()); /* clock_gettime: the kernel reads the TSC for us */
	return 0;
}
