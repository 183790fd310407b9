/* guest/bench_step_entry.S: the step window's entry points on hardware KVM: tell the VMM, then go on to the real one. */
#include "../abi/hypercall.h"

/*
 * void bench_step_entry<n>(void)   -- while a step window is open on hardware KVM, LSTAR or the
 * IDT gate of way n (LDE_BENCH_VIA_* bit n) points here, and bench_step_target[n] holds the
 * entry point it replaced (guest/bench_step.c).
 *
 * Every way into ring 0 clears RFLAGS.TF, the single-step trap the VMM steps with (an
 * interrupt gate does; SYSCALL through FMASK), so the entry tells the VMM, which sets TF again
 * (abi/hypercall.h, LDE_HC_STEP). Neither instruction changes a register, a flag or the stack
 * (OUT imm8 reads AL; the jump is indirect through memory): the real entry point finds the CPU
 * exactly as the hardware left it, even SYSCALL's, which has no stack yet. The VMM counts
 * neither: LDE_STEP_ENTRY_INSNS.
 */
	.macro STEP_ENTRY n
	.globl bench_step_entry\n
bench_step_entry\n:
	outb	%al, $LDE_STEP_ENTRY_PORT
	jmp	*bench_step_target + 8 * \n(%rip)
	.endm

	.text
	STEP_ENTRY 0
	STEP_ENTRY 1
	STEP_ENTRY 2
	STEP_ENTRY 3
	STEP_ENTRY 4
	STEP_ENTRY 5
