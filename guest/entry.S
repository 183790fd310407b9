/* guest/entry.S: the kernel's first instructions, and the segment reload after lgdt. */

/*
 * void _start(struct lde_boot_info *bi)   -- entered from the VMM, see abi/boot.h:
 * long mode, ring 0, interrupts off, RDI = boot information (a physical address, readable
 * through the boot identity map). RIP is the physical entry point; the VMM's tables also
 * map us at KERNEL_VBASE, where we are linked, so the first thing we do is jump there,
 * then leave the VMM's stack for our own.
 */
	.section .text.entry, "ax"
	.globl _start
_start:
	movabsq	$1f, %rax
	jmp	*%rax
1:	movabsq	$boot_stack_top, %rsp
	xor	%ebp, %ebp		/* the end of the frame-pointer chain */
	call	kmain
2:	jmp	2b			/* kmain does not return */

/*
 * void gdt_reload_segments(uint16_t cs, uint16_t ds)
 * CS can only be changed by a far transfer: push the new CS and a return address, lretq.
 */
	.text
	.globl gdt_reload_segments
gdt_reload_segments:
	mov	%si, %ds
	mov	%si, %es
	mov	%si, %ss
	xor	%eax, %eax		/* FS and GS: null; their bases come from MSRs */
	mov	%ax, %fs
	mov	%ax, %gs
	popq	%rax			/* our return address */
	pushq	%rdi
	pushq	%rax
	lretq

	.section .bss
	.balign 16
boot_stack:
	.skip	16384
boot_stack_top:
