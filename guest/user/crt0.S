/* guest/user/crt0.S: a task's first instructions: align the stack, call main, exit with its value. */

/*
 * void _start(void)   -- entered from the kernel in ring 3 (guest/exec.c): RSP near the top
 * of the task's stack, every other register zero. The C ABI wants RSP 16-byte aligned at
 * each call instruction.
 */
	.text
	.globl _start
_start:
	xorl	%ebp, %ebp		/* the end of the frame-pointer chain */
	andq	$-16, %rsp
	call	main
	movl	%eax, %edi
	call	exit
1:	jmp	1b

	.section .note.GNU-stack, "", @progbits
