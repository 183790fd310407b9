/* guest/user/demo/demo_spinner.c: demo task that computes for half a second without a single system call, and is preempted anyway. */
#include "lde.h"

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

int main(void)
{
	struct lde_kstats before, after;
	uint64_t end;

	lde_syscall(SYS_stats, (long)&before, 0, 0, 0, 0, 0);
	printf("demo_spinner: pid %ld computes for 500 ms and never calls the kernel\n", getpid());
	end = rdtsc() + before.tsc_khz * 500;
	while (rdtsc() < end)
		; /* no system call: only the timer can take the CPU from this loop */
	lde_syscall(SYS_stats, (long)&after, 0, 0, 0, 0, 0);
	printf("demo_spinner: meanwhile the timer preempted a task %lu times (%lu Hz)\n",
	       after.switches_preempted - before.switches_preempted, after.timer_hz);
	return after.switches_preempted > before.switches_preempted ? 0 : 1;
}
