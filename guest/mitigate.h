/* guest/mitigate.h: the speculative-execution defences a kernel entry path may run, as assembler macros. */
#ifndef GUEST_MITIGATE_H
#define GUEST_MITIGATE_H

/*
 * Our kernel runs none of these on its normal paths. The bench (abi/bench.h, LDE_BENCH_M_*)
 * builds extra copies of the system-call entry with one of them switched on, so that a user
 * sees what each defence costs on its own. Each copy is a separate symbol: the normal path
 * carries no test or branch for them.
 *
 *   MIT_KPTI  page-table isolation (Linux's PTI, for Meltdown): entry and exit each load CR3.
 *             Our kernel keeps one page table per task, so both loads load the task's own
 *             (percpu.cr3, with the NOFLUSH bit where PCIDs are on). What is measured is what
 *             PTI adds: two CR3 writes and, without PCIDs, the TLB refill after each.
 *   MIT_VERW  the MDS buffer clear: VERW with a memory operand naming a valid data segment
 *             overwrites the CPU's fill and store buffers (on CPUs with MD_CLEAR), the last
 *             thing before SYSRET or IRETQ, once no kernel data will be touched again.
 *   MIT_IBPB  an indirect branch prediction barrier on entry: a write of 1 to IA32_PRED_CMD.
 */
#define MIT_NONE 0
#define MIT_KPTI 1
#define MIT_VERW 2
#define MIT_IBPB 3

#define MSR_IA32_PRED_CMD 0x49
#define PRED_CMD_IBPB 1

#ifdef __ASSEMBLER__
#include "percpu.h"

/* After PUSH_GPRS, with the kernel's GS: RAX, RCX and RDX are saved and free. */
	.macro MITIGATE_ENTER kind
	.if \kind == MIT_KPTI
	movq	%gs:PERCPU_CR3, %rax
	movq	%rax, %cr3
	.elseif \kind == MIT_IBPB
	movl	$MSR_IA32_PRED_CMD, %ecx
	movl	$PRED_CMD_IBPB, %eax
	xorl	%edx, %edx
	wrmsr
	.endif
	.endm

/* Before POP_GPRS, with the kernel's GS: RAX is free (POP_GPRS reloads it). */
	.macro MITIGATE_EXIT kind
	.if \kind == MIT_KPTI
	movq	%gs:PERCPU_CR3, %rax
	movq	%rax, %cr3
	.endif
	.endm

/* Right before SYSRETQ or IRETQ: no register is free, and none is needed. */
	.macro MITIGATE_LAST kind
	.if \kind == MIT_VERW
	verw	mitigate_verw_sel(%rip)
	.endif
	.endm
#endif

#endif
