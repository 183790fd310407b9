/* guest/clock.c: converting between TSC ticks and nanoseconds without 128-bit division. */
#include "clock.h"

#include "kernel.h"
#include "x86.h"

#define NS_PER_MS 1000000ull

static uint64_t tsc_zero;

void clock_init(void)
{
	if (boot_info.tsc_khz == 0)
		panic("the VMM could not tell the TSC rate; no clock");
	tsc_zero = rdtsc();
}

/* ticks * 1e6 / khz, split so that no product overflows: ticks / khz ms plus the rest. */
uint64_t clock_ns(void)
{
	uint64_t ticks = rdtsc() - tsc_zero, khz = boot_info.tsc_khz;

	return ticks / khz * NS_PER_MS + ticks % khz * NS_PER_MS / khz;
}

uint64_t clock_tsc_after(uint64_t ns)
{
	uint64_t khz = boot_info.tsc_khz;
	uint64_t ms = ns / NS_PER_MS, rest = ns % NS_PER_MS;
	uint64_t ticks;

	if (ms > UINT64_MAX / khz)
		return UINT64_MAX;
	ticks = ms * khz + rest * khz / NS_PER_MS;
	return ticks > UINT64_MAX - rdtsc() ? UINT64_MAX : rdtsc() + ticks;
}
