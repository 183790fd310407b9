/* guest/lapic.c: the local APIC (Intel SDM vol. 3, chapter 11): enable it, acknowledge interrupts, program its timer. */
#include "lapic.h"

#include "kernel.h"
#include "platform.h"
#include "trap.h"
#include "vm.h"
#include "x86.h"

#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode: registers are MSRs */
#define APIC_BASE_EN (1ull << 11)
#define MSR_TSC_DEADLINE 0x6e0

/*
 * The registers, as offsets into the xAPIC's 4 KiB page; in x2APIC mode each is the MSR
 * X2APIC_MSR_BASE + offset / 16 (SDM vol. 3A, 11.12.1.2).
 */
#define APIC_REG_EOI 0x0b0
#define APIC_REG_SVR 0x0f0
#define APIC_REG_LVT_TIMER 0x320
#define APIC_REG_TIMER_INIT 0x380
#define APIC_REG_TIMER_CUR 0x390
#define APIC_REG_TIMER_DIV 0x3e0
#define X2APIC_MSR_BASE 0x800
#define X2APIC_MSR(reg) (X2APIC_MSR_BASE + ((reg) >> 4))

#define APIC_SVR_ENABLE (1u << 8)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIV_1 0xb


#define CALIBRATE_TSC_TICKS 1000000 /* about 0.4 ms at 2.6 GHz */
#define CALIBRATE_TRIES 3         /* the best of three: see calibrate() */

static uint64_t apic_ticks_per_tsc_q32; /* APIC timer ticks per TSC tick, in 32.32 fixed point */

/*
 * x2APIC mode wherever the CPU has it (every KVM our VMM runs on). The memory-mapped xAPIC
 * is the fallback for a kernel booted through PVH by an emulator without x2APIC (QEMU's TCG
 * before 8.1): then xapic points at its registers.
 */
static volatile uint32_t *xapic;

static void apic_write(unsigned reg, uint32_t v)
{
	if (xapic)
		xapic[reg / sizeof(*xapic)] = v;
	else
		wrmsr(X2APIC_MSR(reg), v);
}

static uint32_t apic_read(unsigned reg)
{
	return xapic ? xapic[reg / sizeof(*xapic)] : (uint32_t)rdmsr(X2APIC_MSR(reg));
}

int lapic_init(void)
{
	if (platform.x2apic) {
		/* xAPIC first, then x2APIC: the SDM forbids going straight from disabled to x2APIC. */
		wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN);
		wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_EN | APIC_BASE_EXTD);
	} else if (platform.xapic) {
		uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_EN;

		wrmsr(MSR_APIC_BASE, base);
		xapic = vm_map_device(base & X86_PTE_ADDR_MASK, X86_PAGE_SIZE);
		if (xapic == NULL)
			return -1;
	} else {
		return -1;
	}
	apic_write(APIC_REG_SVR, APIC_SVR_ENABLE | T_IRQ_SPURIOUS);
	apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	return 0;
}

void lapic_eoi(void)
{
	apic_write(APIC_REG_EOI, 0);
}

int lapic_timer_has_deadline(void)
{
	return platform.tsc_deadline;
}

void lapic_timer_deadline(uint64_t tsc)
{
	apic_write(APIC_REG_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | T_IRQ_TIMER);
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

void lapic_timer_arm(uint64_t tsc)
{
	wrmsr(MSR_TSC_DEADLINE, tsc);
}

/*
 * How fast the APIC timer counts, measured against the TSC (whose rate the VMM told us).
 * The host may preempt the vCPU between an APIC access and the TSC read that dates it, and
 * that skews the rate by the whole preemption (one emulated run gave 314 ticks in 200 ms at
 * 1000 Hz). So each APIC access is bracketed by two TSC reads and dated at their middle, and
 * of CALIBRATE_TRIES measurements the one with the narrowest brackets wins.
 */
static void calibrate(void)
{
	uint64_t best = UINT64_MAX;

	apic_write(APIC_REG_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	for (unsigned i = 0; i < CALIBRATE_TRIES; i++) {
		uint64_t s0, s1, e0, e1, left, spread;

		s0 = rdtsc();
		apic_write(APIC_REG_TIMER_INIT, 0xffffffff);
		s1 = rdtsc();
		while (rdtsc() - s1 < CALIBRATE_TSC_TICKS)
			;
		e0 = rdtsc();
		left = apic_read(APIC_REG_TIMER_CUR);
		e1 = rdtsc();
		spread = (s1 - s0) + (e1 - e0);
		if (spread < best) {
			best = spread;
			apic_ticks_per_tsc_q32 =
				((0xffffffffull - left) << 32) / ((e0 + e1) / 2 - (s0 + s1) / 2);
		}
	}
	apic_write(APIC_REG_TIMER_INIT, 0);
}

void lapic_timer_periodic(uint64_t period_tsc)
{
	uint64_t count;

	if (apic_ticks_per_tsc_q32 == 0)
		calibrate();
	count = (period_tsc * apic_ticks_per_tsc_q32) >> 32;
	if (count == 0 || count > 0xffffffffull)
		panic("lapic: a period of %lu TSC ticks does not fit the APIC timer", period_tsc);
	apic_write(APIC_REG_TIMER_DIV, TIMER_DIV_1);
	apic_write(APIC_REG_LVT_TIMER, LVT_TIMER_PERIODIC | T_IRQ_TIMER);
	apic_write(APIC_REG_TIMER_INIT, (uint32_t)count);
}

void lapic_timer_stop(void)
{
	apic_write(APIC_REG_LVT_TIMER, LVT_MASKED | T_IRQ_TIMER);
	apic_write(APIC_REG_TIMER_INIT, 0); /* periodic mode: the count stops */
	if (platform.tsc_deadline)
		wrmsr(MSR_TSC_DEADLINE, 0); /* deadline mode: disarmed */
}
