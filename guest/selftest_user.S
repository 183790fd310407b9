/* guest/selftest_user.S: ring-3 snippets that raise one exception each, for the trap-table self-tests. */

/*
 * These run in ring 3 at SELFTEST_USER_TEXT (guest/memlayout.h), copied there by page
 * mapping, so they must be position-independent. Each ends in a fault by design; none
 * returns. The kernel passes an argument in RDI where a snippet needs one.
 */
	.section .usertext, "a"
	.globl selftest_user_de, selftest_user_ud, selftest_user_pf
	.globl selftest_user_gp, selftest_user_bp

selftest_user_de:		/* divide by zero: #DE */
	xorl	%ecx, %ecx
	movl	$1, %eax
	xorl	%edx, %edx
	divl	%ecx
	ud2

selftest_user_ud:		/* an undefined opcode: #UD */
	ud2

selftest_user_pf:		/* read the kernel address in RDI: #PF, protection violation */
	movq	(%rdi), %rax
	ud2

selftest_user_gp:		/* a privileged instruction: #GP(0) */
	hlt
	ud2

selftest_user_bp:		/* int3 returns to the next instruction; then #UD ends the task */
	movl	$1, %ebx
	int3
	movl	$2, %ebx
	ud2
