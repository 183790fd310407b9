/* bench/tasks/yieldbench.c: switch.yield: run two copies; each yield is one switch to the other task. */
#include "../benchlib.h"

int main(void)
{
	long pid = getpid();

	bench_init();
	/* Both copies yield in lockstep; only the first reports, the second keeps it company. */
	if (pid == 1)
		BENCH_RUN("switch.yield", 2, yield()); /* to the other task and back */
	else
		for (unsigned i = 0; i < BENCH_WARMUP + BENCH_SAMPLES + 100; i++)
			yield();
	return 0;
}
