/* guest/tsc_rate.h: the TSC's rate when no LDE VMM reports it: from CPUID, or measured against the 8254 PIT. */
#ifndef GUEST_TSC_RATE_H
#define GUEST_TSC_RATE_H

#include <stdint.h>

/* tsc_rate_khz: the TSC's rate in kHz and, in *how, where it came from; 0 if none worked. */
uint64_t tsc_rate_khz(const char **how);

#endif
