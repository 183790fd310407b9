/* tests/tasks/sleeper.c: SLEEPS sleeps of SLEEP_MS each, each measured with the kernel's clock.
 *
 * Prints "sleeper: pid P slept N x M ms: shortest S us, longest L us" and exits 0, or 1 when a
 * sleep failed or returned early (a sleep must last at least what was asked). The test script
 * bounds the overshoot (tests/kvm-timer-tests.sh). sleeper.elf sleeps once; sleeper_idle.elf
 * (SLEEPS=20) keeps the CPU idle for about a second.
 */
#include "lde.h"

#ifndef SLEEPS
#define SLEEPS 1
#endif
#define SLEEP_MS 50
#define NS_PER_MS 1000000ull

int main(void)
{
	long pid = getpid();
	uint64_t shortest = ~0ull, longest = 0;
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
			printf("sleeper: pid %ld FAIL: a %u ms sleep took %lu ns\n", pid, SLEEP_MS, t);
			bad = 1;
		}
		if (t < shortest)
			shortest = t;
		if (t > longest)
			longest = t;
	}
	printf("sleeper: pid %ld slept %d x %u ms: shortest %lu us, longest %lu us\n", pid, SLEEPS,
	       SLEEP_MS, shortest / 1000, longest / 1000);
	return bad;
}
