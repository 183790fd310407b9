/* guest/pvm_syscall_page.S: the page LSTAR points at under kvm_pvm: int3 instructions (see guest/pvm_compat.c). */
	.section .pvm_syscall_page, "a"
	.balign 4096
	.globl pvm_syscall_page
pvm_syscall_page:
	.fill	4096, 1, 0xcc		/* int3 */
