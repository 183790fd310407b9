/* tests/payloads/cli_hlt.S: halts with interrupts off: with KVM's in-kernel irqchip nothing wakes it. */
	.text
	.globl _start
_start:
	cli
	hlt
	jmp	_start
