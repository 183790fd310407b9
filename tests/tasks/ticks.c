/* tests/tasks/ticks.c: the kernel's timer counters, read through SYS_stats around a spin without system calls.
 *
 * With a timer (timer_hz > 0) the tick count must advance while the task spins; with hz=0 it
 * must not move at all. Prints "ticks: hz H, +N ticks, +P preemptions in M ms of spinning
 * (about E expected)" and "ticks: ok" (exit 0) or "ticks: FAIL ..." (exit 1); the test script
 * bounds N against E (tests/kvm-timer-tests.sh).
 */
#include "lde.h"

#define SPIN_MS 200

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int stats(struct lde_kstats *st)
{
	long r = lde_syscall(SYS_stats, (long)st, 0, 0, 0, 0, 0);

	if (r != 0)
		printf("ticks: FAIL: SYS_stats returned %ld\n", r);
	return r == 0;
}

int main(void)
{
	struct lde_kstats a, b;
	uint64_t end, ticks, preempted;

	if (!stats(&a))
		return 1;
	end = rdtsc() + a.tsc_khz * SPIN_MS;
	while (rdtsc() < end)
		;
	if (!stats(&b))
		return 1;
	ticks = b.ticks - a.ticks;
	preempted = b.switches_preempted - a.switches_preempted;
	printf("ticks: hz %lu, +%lu ticks, +%lu preemptions in %u ms of spinning "
	       "(about %lu expected)\n", a.timer_hz, ticks, preempted, SPIN_MS,
	       a.timer_hz * SPIN_MS / 1000);
	if (b.timer_hz != a.timer_hz || b.tsc_khz != a.tsc_khz) {
		printf("ticks: FAIL: timer_hz or tsc_khz changed\n");
		return 1;
	}
	if (a.timer_hz == 0 && (ticks != 0 || preempted != 0)) {
		printf("ticks: FAIL: the counters moved without a timer\n");
		return 1;
	}
	if (a.timer_hz != 0 && ticks == 0) {
		printf("ticks: FAIL: no tick while spinning with a %lu Hz timer\n", a.timer_hz);
		return 1;
	}
	printf("ticks: ok\n");
	return 0;
}
