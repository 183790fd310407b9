/* bench/tasks/yieldbench.c: switch.yield: two copies yield to each other; each yield is one switch to the other task. */
#include "../benchlib.h"

/*
 * Run two copies: `vmm/vmm guest.elf yieldbench.elf yieldbench.elf hz=0`. Pid 1 measures a
 * round trip (its yield, the other task's yield back) and reports half of it, one way; pid 2
 * keeps it company. Both are separate address spaces, so each switch loads CR3. The same
 * source builds yieldbench-nopcid.elf (METRIC switch.yield.nopcid), run with pcid=0.
 */
#define YIELD_SLACK 100

#ifndef METRIC
#define METRIC "switch.yield"
#endif

int main(void)
{
	long pid = getpid();

	bench_init();
	if (pid == 1) {
		BENCH_RUN_NOTE(METRIC, 2, bench.info.pcid ? "PCIDs on" : "PCIDs off", yield());
	} else {
		/*
		 * At least as many yields as pid 1 makes (warm-up, samples, batch, the stepped
		 * ones): if this one ran out first, pid 1's last yields would find no one to switch
		 * to. Extra ones, after pid 1 has exited, return at once.
		 */
		unsigned n = bench.warmup + bench.samples + bench.batch + BENCH_STEP_OPS + YIELD_SLACK;
		for (unsigned i = 0; i < n; i++)
			yield();
	}
	return 0;
}
