/* tests/payloads/triple_fault.S: a page fault with no IDT: #PF, then #DF, then a triple fault. */
	.text
	.globl _start
_start:
	lidt	empty_idt(%rip)
	movabsq	$0x8000000000, %rax	/* PML4 slot 1: never mapped by the boot tables */
	movq	(%rax), %rax
	jmp	.

	.data
empty_idt:
	.word	0
	.quad	0
