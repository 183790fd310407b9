/* guest/user/demo/demo_yield.c: demo task that gives the CPU away three times, sleeps, and carries on. */
#include "lde.h"

int main(void)
{
	for (int round = 1; round <= 3; round++) {
		printf("demo_yield: pid %ld, round %d, yielding\n", getpid(), round);
		yield();
	}
	/* Asleep while demo_spinner computes: waking, it needs the CPU the spinner holds. */
	sleep_ns(100 * 1000 * 1000);
	printf("demo_yield: still here after the rogue task was killed; exiting 0\n");
	return 0;
}
