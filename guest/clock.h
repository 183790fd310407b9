/* guest/clock.h: time from the TSC, whose rate the VMM measured (boot information). */
#ifndef GUEST_CLOCK_H
#define GUEST_CLOCK_H

#include <stdint.h>

/* clock_init: take time zero; panics if the TSC rate is unknown. */
void clock_init(void);
/* clock_ns: nanoseconds since clock_init. */
uint64_t clock_ns(void);
/* clock_tsc_after: the TSC value ns nanoseconds from now (saturating). */
uint64_t clock_tsc_after(uint64_t ns);

#endif
