/* tests/payloads/port_unserved.S: a write to port 0x80, which the VMM does not serve. */
	.text
	.globl _start
_start:
	movb	$0x55, %al
	outb	%al, $0x80
	jmp	.
