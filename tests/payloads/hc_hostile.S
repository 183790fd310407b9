/* tests/payloads/hc_hostile.S: one hostile hypercall, chosen at build time by HOSTILE_CASE; each must end the guest as a crash. */
#include "hypercall.inc"

/*
 *   1: console_write whose length wraps the address space (buf 0x1000, len 2^64 - 1)
 *   2: console_write whose argument struct is not 8-byte aligned
 *   3: console_write whose argument struct lies past the end of guest RAM
 *   4: exit with a status the VMM keeps for itself (125)
 *   5: exit with a status above 255
 */
	.text
	.globl _start
_start:
#if HOSTILE_CASE == 1
	HYPERCALL LDE_HC_CONSOLE_WRITE, wrapping
#elif HOSTILE_CASE == 2
	HYPERCALL LDE_HC_CONSOLE_WRITE, (aligned + 4)
#elif HOSTILE_CASE == 3
	HYPERCALL LDE_HC_CONSOLE_WRITE, 0xfffffff8
#elif HOSTILE_CASE == 4
	HYPERCALL LDE_HC_EXIT, reserved_status
#elif HOSTILE_CASE == 5
	HYPERCALL LDE_HC_EXIT, big_status
#else
#error "HOSTILE_CASE must be 1 to 5"
#endif
	HYPERCALL LDE_HC_EXIT, exit_ok	/* not reached: the VMM must have stopped the guest */
	jmp	.

	.data
	.balign 8
wrapping:
	.quad	0x1000, 0xffffffffffffffff, 0
aligned:
	.quad	0, 0, 0, 0
reserved_status:
	.quad	125
big_status:
	.quad	256
exit_ok:
	.quad	0
