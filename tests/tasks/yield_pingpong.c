/*
 * tests/tasks/yield_pingpong.c: two copies take turns: each prints "pid P round R" and yields,
 * for ROUNDS rounds. With round-robin scheduling the lines interleave: pid 1 round 0, pid 2
 * round 0, pid 1 round 1, ... (tests/kvm-task-tests.sh checks the order).
 */
#include "lde.h"

#define ROUNDS 3

int main(void)
{
	long pid = getpid();

	for (int r = 0; r < ROUNDS; r++) {
		long y;

		printf("pingpong: pid %ld round %d\n", pid, r);
		y = yield();
		if (y != 0) {
			printf("pingpong: pid %ld: yield returned %ld\n", pid, y);
			return 1;
		}
	}
	return 0;
}
