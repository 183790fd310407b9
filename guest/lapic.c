/* guest/lapic.c: the x2APIC (Intel SDM vol. 3, chapter 11): enable it, acknowledge interrupts, program its timer. */
#include "lapic.h"

#include "kernel.h"
#include "platform.h"
#include "trap.h"
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode: registers are MSRs */
#define APIC_BASE_EN (1ull << 11)
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_X2APIC_TIMER_INIT 0x838
#define MSR_X2APIC_TIMER_CUR 0x839
#define MSR_X2APIC_TIMER_DIV 0x83e
#define MSR_TSC_DEADLINE 0x6e0

#define APIC_SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_1 0xb


#define CALIBRATE_TSC_TICKS 1000000 /* about 0.4 ms at 2.6 GHz */

static uint64_t apic_ticks_per_tsc_q32; /* APIC timer ticks per TSC tick, in 32.32 fixed point */

int lapic_init(void)
{
	if (!platform.x2apic)
		return -1;
	/* xAPIC first, then x2APIC: the SDM forbids going straight from disabled to x2APIC. */
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN);
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	wrmsr(MSR_X2APIC_SVR, APIC_SVR_ENABLE | T_IRQ_SPURIOUS);
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	return 0;
}

void lapic_eoi(void)
{
	wrmsr(MSR_X2APIC_EOI, 0);
}

int lapic_timer_has_deadline(void)
{
	return platform.tsc_deadline;
}

void lapic_timer_deadline(uint64_t tsc)
{
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | T_IRQ_TIMER);
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

void lapic_timer_arm(uint64_t tsc)
{
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

/* How fast the APIC timer counts, measured against the TSC (whose rate the VMM told us). */
static void calibrate(void)
{
	uint64_t start, left;

	wrmsr(MSR_X2APIC_TIMER_DIV, TIMER_DIV_1);
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	wrmsr(MSR_X2APIC_TIMER_INIT, 0xffffffff);
	start = rdtsc();
	while (rdtsc() - start < CALIBRATE_TSC_TICKS)
		;
	left = rdmsr(MSR_X2APIC_TIMER_CUR);
	apic_ticks_per_tsc_q32 = ((0xffffffffull - left) << 32) / (rdtsc() - start);
	wrmsr(MSR_X2APIC_TIMER_INIT, 0);
}

void lapic_timer_periodic(uint64_t period_tsc)
{
	uint64_t count;

	if (apic_ticks_per_tsc_q32 == 0)
		calibrate();
	count = (period_tsc * apic_ticks_per_tsc_q32) >> 32;
	if (count == 0 || count > 0xffffffffull)
		panic("lapic: a period of %lu TSC ticks does not fit the APIC timer", period_tsc);
	wrmsr(MSR_X2APIC_TIMER_DIV, TIMER_DIV_1);
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_TIMER_PERIODIC | T_IRQ_TIMER);
	wrmsr(MSR_X2APIC_TIMER_INIT, count);
}

void lapic_timer_stop(void)
{
	wrmsr(MSR_X2APIC_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	wrmsr(MSR_X2APIC_TIMER_INIT, 0); /* periodic mode: the count stops */
	if (platform.tsc_deadline)
		wrmsr(MSR_TSC_DEADLINE, 0); /* deadline mode: disarmed */
}
