/* tests/payloads/mmio_unserved.S: maps a guest-physical address beyond RAM and reads it: an MMIO exit the VMM does not serve. */
#include "../../abi/boot.h"

#define PD_ENTRY_200M (200 / 2)		/* the boot PD entry for [200 MiB, 202 MiB) */
#define PDE_2M_RW 0x83			/* present, writable, 2 MiB page */

	.text
	.globl _start
_start:
	/* The boot tables map only RAM (64 MiB here): add a 2 MiB page at 200 MiB, no memslot. */
	movq	$(200 << 20) | PDE_2M_RW, %rax
	movq	%rax, LDE_BOOT_PD_GPA + 8 * PD_ENTRY_200M
	movq	$(200 << 20), %rbx
	invlpg	(%rbx)
	movq	(%rbx), %rax
	jmp	.
