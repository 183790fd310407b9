/* guest/clock.h: time from the TSC, whose rate the VMM measured (boot information). */
#ifndef GUEST_CLOCK_H
#define GUEST_CLOCK_H

#include <stdint.h>

#define CLOCK_NS_PER_MS 1000000ull

/*
 * clock_ns_to_tsc: ns nanoseconds as TSC ticks at khz kHz, UINT64_MAX if that does not fit
 * (pure; unit-tested). Split into whole milliseconds and the rest so that no product
 * overflows on the way: ms * khz is checked, rest * khz < 1e6 * khz is small.
 */
static inline uint64_t clock_ns_to_tsc(uint64_t ns, uint64_t khz)
{
	uint64_t ms = ns / CLOCK_NS_PER_MS, rest = ns % CLOCK_NS_PER_MS;
	uint64_t whole, part = rest * khz / CLOCK_NS_PER_MS;

	if (khz != 0 && ms > UINT64_MAX / khz)
		return UINT64_MAX;
	whole = ms * khz;
	return part > UINT64_MAX - whole ? UINT64_MAX : whole + part;
}

/* clock_tsc_to_ns: the other way, for spans of TSC ticks (no overflow: the quotient comes first). */
static inline uint64_t clock_tsc_to_ns(uint64_t ticks, uint64_t khz)
{
	return ticks / khz * CLOCK_NS_PER_MS + ticks % khz * CLOCK_NS_PER_MS / khz;
}

/* clock_add_sat: a + b, or UINT64_MAX where that would wrap. */
static inline uint64_t clock_add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

/*
 * random64: splitmix64 over the TSC: different at every call, enough for AT_RANDOM, a
 * canary or getrandom's hash seeds, and no more: the kernel has no entropy source.
 */
uint64_t random64(void);

/* clock_init: take time zero; panics if the TSC rate is unknown. */
void clock_init(void);
/* clock_ns: nanoseconds since clock_init. */
uint64_t clock_ns(void);
/* clock_tsc_after: the TSC value ns nanoseconds from now (saturating). */
uint64_t clock_tsc_after(uint64_t ns);

#endif
