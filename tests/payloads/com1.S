/* tests/payloads/com1.S: a foreign guest: prints through COM1 like early boot code, then exits with status 7. */
#include "hypercall.inc"

	.text
	.globl _start
_start:
	leaq	msg(%rip), %rsi
	movl	$msg_len, %ecx
1:	movw	$(LDE_COM1_PORT + LDE_COM1_LSR_OFFSET), %dx
2:	inb	%dx, %al		/* wait for "transmit holding register empty" */
	testb	$0x20, %al
	jz	2b
	movw	$LDE_COM1_PORT, %dx
	lodsb
	outb	%al, %dx
	loop	1b
	HYPERCALL LDE_HC_EXIT, exit_args
	jmp	.

	.data
	.balign 8
exit_args:
	.quad	7
msg:
	.ascii	"hello from COM1\n"
	.set	msg_len, . - msg
