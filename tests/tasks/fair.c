/* tests/tasks/fair.c: a fixed amount of CPU-bound work without system calls, timed with the kernel's clock.
 *
 * Prints "fair: pid P started at S ns" before the work and "fair: pid P done at N ns" after
 * it; copies that run together under a fair round-robin scheduler finish close together
 * (tests/kvm-timer-tests.sh bounds the spread). FAIR_WORK is the number of xorshift steps:
 * about 1.4 ns each on both test hosts, so 80 million are about 115 ms of CPU, some 70
 * slices of 2 ms at hz=1000 less the ticks' cost.
 *
 * After its line a copy sleeps FAIR_LINGER_MS before it exits: the kernel's exit and reap
 * path costs about 17 ms of emulated ring 0 under kvm_pvm, and the first copies' exits
 * would otherwise delay the last ones' finish by that much, which has nothing to do with
 * how fairly the CPU was shared while they all worked.
 */
#include "lde.h"

#ifndef FAIR_WORK
#define FAIR_WORK 80000000ul
#endif
#define FAIR_LINGER_MS 300

int main(void)
{
	long pid = getpid();
	uint64_t start = clock_ns(), done, x = 0x9e3779b97f4a7c15ull ^ (uint64_t)pid;

	printf("fair: pid %ld started at %lu ns\n", pid, start);
	for (unsigned long i = 0; i < FAIR_WORK; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* One step per iteration: no vectorising, no folding. */
		__asm__ volatile("" : "+r"(x));
	}
	done = clock_ns();
	printf("fair: pid %ld done at %lu ns (work %lu ms, result %lx)\n", pid, done,
	       (done - start) / 1000000, x);
	sleep_ns(FAIR_LINGER_MS * 1000000ull);
	return 0;
}
