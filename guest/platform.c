/* guest/platform.c: probing the platform once: the KVM the VMM reported, and the CPUID bits that matter. */
#include "platform.h"

#include "kernel.h"
#include "x86.h"

/*
 * The default tick rate depends on what a tick costs. On hardware KVM the interrupt, its
 * handler and the return take well under a microsecond, so 1000 Hz costs under 0.1 % and
 * gives 1 ms sleeps and 2 ms slices. Under kvm_pvm every kernel instruction is emulated: a
 * tick taken in ring 3 was measured at 130-160 us (a compute loop lost about 12 % at
 * 1000 Hz, 1.5 % at 100 Hz), so the default there is 50 Hz, under 1 %.
 */
#define DEFAULT_HZ_HW 1000
#define DEFAULT_HZ_PVM 50

struct platform platform;

void platform_init(void)
{
	uint32_t max, ext_max, a, b, c1, d1, c, d, b7 = 0, d7 = 0, b8 = 0, de1 = 0;
	int pvm = boot_info.platform == LDE_PLATFORM_PVM;

	cpuid(0, 0, &max, &b, &c, &d);
	cpuid(X86_CPUID_LEAF_FEATURES, 0, &a, &b, &c1, &d1);
	if (max >= X86_CPUID_LEAF_EXT_FEATURES)
		cpuid(X86_CPUID_LEAF_EXT_FEATURES, 0, &a, &b7, &c, &d7);
	cpuid(X86_CPUID_LEAF_EXT_MAX, 0, &ext_max, &b, &c, &d);
	if (ext_max >= X86_CPUID_LEAF_EXT_1)
		cpuid(X86_CPUID_LEAF_EXT_1, 0, &a, &b, &c, &de1);
	if (ext_max >= X86_CPUID_LEAF_EXT_8)
		cpuid(X86_CPUID_LEAF_EXT_8, 0, &a, &b8, &c, &d);

	platform = (struct platform){
		.pvm = pvm,
		.xsave = (c1 & X86_CPUID_1_ECX_XSAVE) && !pvm,
		.avx = (c1 & X86_CPUID_1_ECX_AVX) != 0,
		.pcid = (c1 & X86_CPUID_1_ECX_PCID) && !pvm,
		.fsgsbase = (b7 & X86_CPUID_7_EBX_FSGSBASE) && !pvm,
		.smep = (b7 & X86_CPUID_7_EBX_SMEP) != 0,
		.smap = (b7 & X86_CPUID_7_EBX_SMAP) != 0,
		.x2apic = (c1 & X86_CPUID_1_ECX_X2APIC) != 0,
		.xapic = (d1 & X86_CPUID_1_EDX_APIC) != 0,
		.tsc_deadline = (c1 & X86_CPUID_1_ECX_TSC_DEADLINE) != 0,
		.verw = (d7 & X86_CPUID_7_EDX_MD_CLEAR) && !pvm,
		.gbpages = (de1 & X86_CPUID_EXT_1_EDX_PDPE1GB) != 0,
		.ibpb = ((d7 & X86_CPUID_7_EDX_SPEC_CTRL) || (b8 & X86_CPUID_EXT_8_EBX_IBPB)) && !pvm,
		.default_hz = pvm ? DEFAULT_HZ_PVM : DEFAULT_HZ_HW,
		.hwcap = d1,
	};
}
