/* tests/tasks/fair.c: a fixed amount of CPU-bound work without system calls, timed with the kernel's clock.
 *
 * Prints "fair: pid P started at S ns" before the work and "fair: pid P done at N ns" after
 * it; copies that run together under a fair round-robin scheduler finish close together
 * (tests/kvm-timer-tests.sh bounds the spread). FAIR_WORK is the number of xorshift steps.
 */
#include "lde.h"

#ifndef FAIR_WORK
#define FAIR_WORK 40000000ul
#endif

int main(void)
{
	long pid = getpid();
	uint64_t start = clock_ns(), done, x = 0x9e3779b97f4a7c15ull ^ (uint64_t)pid;

	printf("fair: pid %ld started at %lu ns\n", pid, start);
	for (unsigned long i = 0; i < FAIR_WORK; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		__asm__ volatile("" : "+r"(x)); /* one step per iteration: no vectorising, no folding */
	}
	done = clock_ns();
	printf("fair: pid %ld done at %lu ns (work %lu ms, result %lx)\n", pid, done,
	       (done - start) / 1000000, x);
	return 0;
}
