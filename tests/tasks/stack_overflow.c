/* tests/tasks/stack_overflow.c: recurses without end; the guard page below the 64 KiB stack must stop it with a page fault. */
#include "lde.h"

static volatile int keep_going = 1; /* always 1: the compiler cannot see that the recursion never ends */

static unsigned long depth(volatile char *prev)
{
	volatile char frame[512];

	frame[0] = prev ? prev[0] + 1 : 1;
	if (!keep_going)
		return frame[0];
	return depth(frame) + frame[0]; /* not a tail call: every frame stays on the stack */
}

int main(void)
{
	printf("stack_overflow: recursing\n");
	printf("stack_overflow: survived with %lu\n", depth(0));
	return 0;
}
