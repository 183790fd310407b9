/* common/trapname.c: the exception names of SDM vol. 3A, table 6-1, once for the kernel and the VMM. */
#include "trapname.h"

#include <stddef.h>

#include "../abi/x86.h"

#define X86_VECTORS 256

static const char *const exception_names[X86_EXC_COUNT] = {
	[X86_EXC_DE] = "#DE divide error",
	[X86_EXC_DB] = "#DB debug",
	[X86_EXC_NMI] = "NMI",
	[X86_EXC_BP] = "#BP breakpoint",
	[X86_EXC_OF] = "#OF overflow",
	[X86_EXC_BR] = "#BR bound range",
	[X86_EXC_UD] = "#UD invalid opcode",
	[X86_EXC_NM] = "#NM device not available",
	[X86_EXC_DF] = "#DF double fault",
	[X86_EXC_CSO] = "coprocessor segment overrun",
	[X86_EXC_TS] = "#TS invalid TSS",
	[X86_EXC_NP] = "#NP segment not present",
	[X86_EXC_SS] = "#SS stack fault",
	[X86_EXC_GP] = "#GP general protection",
	[X86_EXC_PF] = "#PF page fault",
	[X86_EXC_MF] = "#MF x87 error",
	[X86_EXC_AC] = "#AC alignment check",
	[X86_EXC_MC] = "#MC machine check",
	[X86_EXC_XM] = "#XM SIMD error",
	[X86_EXC_VE] = "#VE virtualisation exception",
	[X86_EXC_CP] = "#CP control protection",
};

const char *x86_trap_name(uint64_t vector)
{
	if (vector < X86_EXC_COUNT)
		return exception_names[vector] ? exception_names[vector] : "reserved exception";
	return vector < X86_VECTORS ? "interrupt" : "bad vector";
}
