/* tests/payloads/lapic_timer.S: arms the x2APIC timer (one-shot), halts, and exits with status 42 from the interrupt handler. */
#include "hypercall.inc"
#include "../../abi/boot.h"

#define TIMER_VECTOR 0x40
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1 << 10)	/* x2APIC mode */
#define APIC_BASE_EN (1 << 11)
#define MSR_X2APIC_SVR 0x80f		/* spurious vector register: bit 8 enables the APIC */
#define MSR_X2APIC_LVT_TIMER 0x832
#define MSR_X2APIC_TIMER_INIT 0x838
#define MSR_X2APIC_TIMER_DIV 0x83e
#define APIC_SVR_ENABLE (1 << 8)

	.text
	.globl _start
_start:
	/* One interrupt gate, for TIMER_VECTOR, in an IDT that is otherwise empty. */
	leaq	timer_handler(%rip), %rax
	leaq	idt(%rip), %rdi
	movw	%ax, TIMER_VECTOR * 16(%rdi)
	movw	$LDE_BOOT_CS, TIMER_VECTOR * 16 + 2(%rdi)
	movb	$0x8e, TIMER_VECTOR * 16 + 5(%rdi)	/* present, DPL 0, interrupt gate */
	shrq	$16, %rax
	movw	%ax, TIMER_VECTOR * 16 + 6(%rdi)
	shrq	$16, %rax
	movl	%eax, TIMER_VECTOR * 16 + 8(%rdi)
	lidt	idtr(%rip)

	movl	$MSR_APIC_BASE, %ecx
	rdmsr
	orl	$(APIC_BASE_EN | APIC_BASE_EXTD), %eax
	wrmsr
	movl	$MSR_X2APIC_SVR, %ecx
	movl	$(APIC_SVR_ENABLE | 0xff), %eax
	xorl	%edx, %edx
	wrmsr
	movl	$MSR_X2APIC_TIMER_DIV, %ecx
	movl	$0xb, %eax			/* divide by 1 */
	wrmsr
	movl	$MSR_X2APIC_LVT_TIMER, %ecx
	movl	$TIMER_VECTOR, %eax		/* one-shot, unmasked */
	wrmsr
	movl	$MSR_X2APIC_TIMER_INIT, %ecx
	movl	$1000000, %eax
	wrmsr
	sti
1:	hlt
	jmp	1b

timer_handler:
	HYPERCALL LDE_HC_EXIT, exit_args
	jmp	.

	.data
	.balign 8
exit_args:
	.quad	42
idtr:
	.word	256 * 16 - 1
	.quad	idt
	.balign 16
idt:
	.skip	256 * 16
