/* tests/tasks/sleeper.c: SLEEPS sleeps of SLEEP_MS each, each measured with the kernel's clock.
 *
 * Prints "sleeper: pid P slept N x 50 ms: shortest S ms, median M ms, longest L ms" (in ms
 * with three decimals) and exits 0, or 1 when a sleep failed or returned early: a sleep must
 * last at least what was asked. The test script bounds the overshoot
 * (tests/kvm-timer-tests.sh). sleeper.elf sleeps once; sleeper_idle.elf (SLEEPS=20) keeps
 * the CPU idle for about a second, and its median is immune to a few sleeps that the host
 * stretched by not running the vCPU.
 */
#include "lde.h"

#ifndef SLEEPS
#define SLEEPS 1
#endif
#define SLEEP_MS 50
#define NS_PER_MS 1000000ull

static uint64_t took[SLEEPS];

int main(void)
{
	long pid = getpid();
	int bad = 0;

	for (int i = 0; i < SLEEPS; i++) {
		uint64_t t0 = clock_ns(), t;
		long r = sleep_ns(SLEEP_MS * NS_PER_MS);

		t = clock_ns() - t0;
		if (r != 0) {
			printf("sleeper: pid %ld FAIL: sleep returned %ld\n", pid, r);
			bad = 1;
		}
		if (t < SLEEP_MS * NS_PER_MS) {
			printf("sleeper: pid %ld FAIL: a %u ms sleep took %lu ns\n", pid,
			       SLEEP_MS, t);
			bad = 1;
		}
		/* Insertion sort as we go: took[0..i] stays in order. */
		int j = i;
		for (; j > 0 && took[j - 1] > t; j--)
			took[j] = took[j - 1];
		took[j] = t;
	}
	uint64_t s = took[0] / 1000, m = took[SLEEPS / 2] / 1000, l = took[SLEEPS - 1] / 1000;
	printf("sleeper: pid %ld slept %d x %u ms: shortest %lu.%03lu ms, median %lu.%03lu ms, "
	       "longest %lu.%03lu ms\n", pid, SLEEPS, SLEEP_MS, s / 1000, s % 1000, m / 1000,
	       m % 1000, l / 1000, l % 1000);
	return bad;
}
