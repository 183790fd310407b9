/* guest/swtch.S: the context switch: from one kernel stack to another. */

/*
 * void swtch(struct context **old, struct context *new);   (guest/task.h)
 *
 * Saves the callee-saved registers on the current kernel stack, stores the stack pointer
 * (which is then a struct context *) in *old, loads new as the stack pointer and pops the
 * registers saved there; `ret` resumes wherever that context called swtch, or, for a new
 * task, at the address task_start placed in context.rip (trapret). Caller-saved registers need no
 * saving: the C caller of swtch already assumes they are clobbered.
 */
	.text
	.globl swtch
swtch:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret
