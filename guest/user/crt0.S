/* guest/user/crt0.S: a task's first instructions: align the stack, call main, exit with its value. */

/*
 * void _start(void)   -- entered from the kernel in ring 3 (guest/exec.c), with the process
 * start of abi/auxv.h above RSP: argc, argv, its NULL, envp, its NULL, auxv. main gets
 *     int main(int argc, char **argv, char **envp);
 * (or declares fewer: the C ABI lets it). The C ABI wants RSP 16-byte aligned at each call
 * instruction; the kernel already aligns it, and the AND keeps that true for any loader.
 */
	.text
	.globl _start
_start:
	xorl	%ebp, %ebp		/* the end of the frame-pointer chain */
	movq	(%rsp), %rdi		/* argc */
	leaq	8(%rsp), %rsi		/* argv */
	leaq	16(%rsp,%rdi,8), %rdx	/* envp: past argv and its NULL */
	andq	$-16, %rsp
	call	main
	movl	%eax, %edi
	call	exit
1:	jmp	1b

	.section .note.GNU-stack, "", @progbits
