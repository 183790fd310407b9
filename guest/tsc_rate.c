/* guest/tsc_rate.c: the TSC's rate when no LDE VMM reports it: from CPUID, or measured against the 8254 PIT. */
#include "tsc_rate.h"

#include "x86.h"

/* CPUID leaf 0x15 (SDM vol. 2, CPUID): TSC = crystal (ECX, Hz) * EBX / EAX; 0 where unknown. */
#define CPUID_LEAF_TSC_CRYSTAL 0x15u
/* The hypervisors' timing leaf (KVM, VMware, cloud-hypervisor): EAX = the TSC's rate in kHz. */
#define CPUID_LEAF_HV_TIMING 0x40000010u

/* The 8254 PIT (Intel 82C54 data sheet): channel 0, counted by a 1.193182 MHz clock. */
#define PIT_HZ 1193182ull
#define PIT_CH0_DATA 0x40
#define PIT_COMMAND 0x43
#define PIT_CMD_CH0_LATCH 0x00     /* channel 0, latch the count for reading */
#define PIT_CMD_CH0_LOHI (3u << 4) /* channel 0, low byte then high byte */
#define PIT_CMD_MODE0 (0u << 1)    /* interrupt on terminal count: one interrupt, then still */
#define PIT_CMD_MODE2 (2u << 1)    /* rate generator: counts down from the reload, over and over */
#define PIT_RELOAD_MAX 0           /* written as 0, the reload is 65536 */
#define PIT_MEASURE_TICKS (PIT_HZ / 20) /* 50 ms: good to better than 0.1 % */
/* A PIT whose count does not move in this many reads is not there (or not counting). */
#define PIT_STUCK_READS 100000u

static uint16_t pit_count(void)
{
	uint8_t lo, hi;

	outb(PIT_COMMAND, PIT_CMD_CH0_LATCH);
	lo = inb(PIT_CH0_DATA);
	hi = inb(PIT_CH0_DATA);
	return (uint16_t)(hi << 8 | lo);
}

static void pit_program(uint8_t mode)
{
	outb(PIT_COMMAND, PIT_CMD_CH0_LOHI | mode);
	outb(PIT_CH0_DATA, PIT_RELOAD_MAX & 0xff);
	outb(PIT_CH0_DATA, PIT_RELOAD_MAX >> 8);
}

/*
 * Count TSC cycles across PIT_MEASURE_TICKS of the PIT's clock. Channel 0 is used because
 * its gate is always open (channel 2's is behind port 0x61, which not every VMM emulates);
 * its interrupt goes nowhere, as the caller has masked the legacy PIC. The count wraps every
 * 65536 ticks (55 ms), far longer than one read takes even under emulation.
 */
static uint64_t pit_measure_khz(void)
{
	uint64_t elapsed = 0, t0, t1;
	uint16_t prev, now;
	unsigned same = 0;

	pit_program(PIT_CMD_MODE2);
	prev = pit_count();
	t0 = rdtsc();
	while (elapsed < PIT_MEASURE_TICKS) {
		now = pit_count();
		if (now == prev && ++same == PIT_STUCK_READS)
			return 0;
		if (now != prev)
			same = 0;
		elapsed += (uint16_t)(prev - now); /* counting down, modulo 65536 */
		prev = now;
	}
	t1 = rdtsc();
	pit_program(PIT_CMD_MODE0); /* no more periodic interrupts, even masked ones */
	return (t1 - t0) * PIT_HZ / (elapsed * 1000);
}

uint64_t tsc_rate_khz(const char **how)
{
	uint32_t max, a, b, c, d;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max >= CPUID_LEAF_TSC_CRYSTAL) {
		cpuid(CPUID_LEAF_TSC_CRYSTAL, 0, &a, &b, &c, &d);
		if (a != 0 && b != 0 && c != 0) {
			*how = "CPUID leaf 0x15";
			return (uint64_t)c * b / a / 1000;
		}
	}
	cpuid(X86_CPUID_LEAF_FEATURES, 0, &a, &b, &c, &d);
	if (c & X86_CPUID_1_ECX_HYPERVISOR) {
		cpuid(X86_CPUID_LEAF_HYPERVISOR, 0, &max, &b, &c, &d);
		if (max >= CPUID_LEAF_HV_TIMING) {
			cpuid(CPUID_LEAF_HV_TIMING, 0, &a, &b, &c, &d);
			if (a != 0) {
				*how = "the hypervisor's CPUID timing leaf";
				return a;
			}
		}
	}
	*how = "measured against the 8254 PIT";
	return pit_measure_khz();
}
