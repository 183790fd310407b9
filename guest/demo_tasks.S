/* guest/demo_tasks.S: the demo's task images, built from guest/user/demo/ and carried inside the kernel. */

/* DEMO_IMAGE name: the ELF file build/user/name.elf between name_start and name_end. */
	.macro DEMO_IMAGE name
	.balign 8
	.globl \name\()_start, \name\()_end
\name\()_start:
	.incbin "\name\().elf"
\name\()_end:
	.endm

	.section .rodata.demo, "a"
	DEMO_IMAGE demo_syscalls
	DEMO_IMAGE demo_rogue
	DEMO_IMAGE demo_yield
	DEMO_IMAGE demo_spinner

	.section .note.GNU-stack, "", @progbits
