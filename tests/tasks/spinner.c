/* tests/tasks/spinner.c: spins for SPIN_MS of TSC time without one system call, then prints and exits 0.
 *
 * Between its first system call (SYS_stats, for the TSC rate) and its last (the line it
 * prints), only the timer can take the CPU from it: a task started after it runs before it
 * ends if and only if the kernel preempts (tests/kvm-timer-tests.sh).
 */
#include "lde.h"

#define SPIN_MS 1500

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	struct lde_kstats st;
	uint64_t end;

	if (lde_syscall(SYS_stats, (long)&st, 0, 0, 0, 0, 0) != 0 || st.tsc_khz == 0) {
		printf("spinner: SYS_stats failed\n");
		return 1;
	}
	end = rdtsc() + st.tsc_khz * SPIN_MS;
	while (rdtsc() < end)
		;
	printf("spinner: done\n");
	return 0;
}
