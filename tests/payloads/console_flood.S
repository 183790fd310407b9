/* tests/payloads/console_flood.S: writes 256 MiB to the console, 1 MiB per hypercall, then exits 0. */
#include "hypercall.inc"

#define CHUNK (1 << 20)
#define CHUNKS 256

	.text
	.globl _start
_start:
	/* Fill 1 MiB at 2 MiB with 'x', and make each 64th byte a newline. */
	movq	$(2 << 20), %rdi
	movq	$CHUNK, %rcx
	movb	$'x', %al
	rep stosb
	movq	$(2 << 20) + 63, %rdi
	movq	$(CHUNK / 64), %rcx
1:	movb	$'\n', (%rdi)
	addq	$64, %rdi
	loop	1b
	movl	$CHUNKS, %ebx
2:	HYPERCALL LDE_HC_CONSOLE_WRITE, args
	decl	%ebx
	jnz	2b
	HYPERCALL LDE_HC_EXIT, exit_args
	jmp	.

	.data
	.balign 8
args:
	.quad	2 << 20, CHUNK, 0
exit_args:
	.quad	0
