/* tests/payloads/hc_unknown.S: hypercall number 0, which is reserved and never served. */
#include "hypercall.inc"

	.text
	.globl _start
_start:
	HYPERCALL LDE_HC_RESERVED, args
	jmp	.

	.data
	.balign 8
args:
	.quad	0
