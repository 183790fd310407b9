/* guest/user/demo/demo_yield.c: demo task that gives the CPU away three times and carries on. */
#include "lde.h"

int main(void)
{
	for (int round = 1; round <= 3; round++) {
		printf("demo_yield: pid %ld, round %d, yielding\n", getpid(), round);
		yield();
	}
	printf("demo_yield: still here after the rogue task was killed; exiting 0\n");
	return 0;
}
