/* guest/clock.c: the kernel's clock: nanoseconds since boot from the TSC, TSC deadlines for sleeps, and TSC-derived random numbers. */
#include "clock.h"

#include "kernel.h"
#include "x86.h"

static uint64_t tsc_zero;

void clock_init(void)
{
	if (boot_info.tsc_khz == 0)
		panic("the VMM could not tell the TSC rate; no clock");
	tsc_zero = rdtsc();
}

uint64_t clock_ns(void)
{
	return clock_tsc_to_ns(rdtsc() - tsc_zero, boot_info.tsc_khz);
}

uint64_t clock_tsc_after(uint64_t ns)
{
	return clock_add_sat(rdtsc(), clock_ns_to_tsc(ns, boot_info.tsc_khz));
}

uint64_t random64(void)
{
	static uint64_t calls;
	uint64_t z = rdtsc() + ++calls * 0x9e3779b97f4a7c15ull;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
