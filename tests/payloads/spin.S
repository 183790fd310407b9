/* tests/payloads/spin.S: a guest that never exits and never leaves the CPU: only --timeout ends it. */
	.text
	.globl _start
_start:
	jmp	_start
