/* guest/fpu.c: FPU state per task: XSAVE/XRSTOR where it works, FXSAVE/FXRSTOR where it does not. */
#include "fpu.h"

#include <stdint.h>

#include "../common/string.h"
#include "kernel.h"
#include "kstats.h"
#include "platform.h"
#include "x86.h"


/* The legacy (FXSAVE) region's first bytes: control words the reset state must set. */
#define FXSAVE_FCW 0     /* x87 control word */
#define FXSAVE_MXCSR 24  /* SSE control and status */
#define FCW_RESET 0x037f /* all x87 exceptions masked, 64-bit precision */
#define MXCSR_RESET 0x1f80 /* all SSE exceptions masked, round to nearest */

static int use_xsave;
static uint64_t xcr0;

static void xsetbv(uint32_t reg, uint64_t v)
{
	__asm__ volatile("xsetbv" : : "c"(reg), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/*
 * kvm_pvm's ring-0 emulator ends the VM on XSAVE and XGETBV (docs/kvm_pvm.md), so there we
 * use FXSAVE, which saves x87 and SSE only: AVX's upper halves are not switched, and a task
 * that uses AVX there can see another task's values in them.
 */
void fpu_init(void)
{
	uint32_t a, c, d, size;

	kstats.fpu_saved = LDE_FPU_X87_SSE;
	if (!platform.xsave)
		return;
	xcr0 = X86_XCR0_X87 | X86_XCR0_SSE | (platform.avx ? X86_XCR0_AVX : 0);
	lcr4(rcr4() | X86_CR4_OSXSAVE);
	xsetbv(0, xcr0);
	cpuid(X86_CPUID_LEAF_XSAVE, 0, &a, &size, &c, &d);
	if (size > X86_PAGE_SIZE)
		panic("fpu: the XSAVE area (%u bytes) is larger than a page", size);
	use_xsave = 1;
	if (xcr0 & X86_XCR0_AVX)
		kstats.fpu_saved |= LDE_FPU_AVX;
}

const char *fpu_describe(void)
{
	if (!use_xsave)
		return "FXSAVE (x87, SSE)";
	return (xcr0 & X86_XCR0_AVX) ? "XSAVE (x87, SSE, AVX)" : "XSAVE (x87, SSE)";
}

/* Zero means "initial state" to XRSTOR for every component (XSTATE_BV = 0); the two control
 * words live in the legacy region, which FXRSTOR and XRSTOR both read. */
void fpu_state_init(void *area)
{
	uint8_t *p = area;

	memset(p, 0, X86_PAGE_SIZE);
	*(uint16_t *)(p + FXSAVE_FCW) = FCW_RESET;
	*(uint32_t *)(p + FXSAVE_MXCSR) = MXCSR_RESET;
}

void fpu_save(void *area)
{
	if (use_xsave)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void fpu_restore(void *area)
{
	if (use_xsave)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"((uint32_t)xcr0),
				 "d"((uint32_t)(xcr0 >> 32)) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
