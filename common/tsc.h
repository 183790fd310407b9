/* common/tsc.h: the timing bracket every benchmark in this project uses: host tools, the VMM's --bench, ring-3 tasks. */
#ifndef LDE_BENCH_TSC_H
#define LDE_BENCH_TSC_H

#include <stdint.h>

/*
 * tsc_begin: LFENCE; RDTSC; LFENCE. The first fence waits for earlier instructions to finish,
 * the second keeps later ones from starting before the TSC is read.
 * tsc_end: RDTSCP; LFENCE. RDTSCP waits for the timed instructions to finish (SDM vol. 2,
 * RDTSCP); the fence keeps later ones out. Never CPUID, which would exit to the hypervisor.
 * Plain inline assembly: the same code builds for the host and for freestanding ring-3 tasks.
 * (Ring 0 under kvm_pvm cannot use RDTSCP: guest/bench.c brackets with tsc_begin on both sides.)
 */
static inline uint64_t tsc_begin(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static inline uint64_t tsc_end(void)
{
	uint32_t lo, hi, aux;
	__asm__ volatile("rdtscp; lfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

#endif
