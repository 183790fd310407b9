/* guest/clock.c: the kernel's clock: nanoseconds since boot from the TSC, and TSC deadlines for sleeps. */
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
