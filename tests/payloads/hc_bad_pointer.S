/* tests/payloads/hc_bad_pointer.S: a console write whose buffer lies outside guest RAM. */
#include "hypercall.inc"

	.text
	.globl _start
_start:
	HYPERCALL LDE_HC_CONSOLE_WRITE, args
	HYPERCALL LDE_HC_EXIT, exit_args	/* must not be reached */
	jmp	.

	.data
	.balign 8
args:
	.quad	0xfffffffffffff000	/* buf */
	.quad	16			/* len */
	.quad	0			/* ret */
exit_args:
	.quad	0
