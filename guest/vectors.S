/* guest/vectors.S: the trap table's 256 entry stubs, the common trap entry and return-from-trap. */
#include "trap.h"
#include "trapasm.h"

/*
 * Hardware contract (SDM 6.14): on an interrupt or exception in long mode the CPU
 *   - switches to TSS.RSP0 if it came from ring 3 (or to TSS.IST[n] if the gate names one),
 *   - aligns RSP to 16 and pushes SS, RSP, RFLAGS, CS, RIP, then an error code for some
 *     exceptions, and clears RFLAGS.IF (interrupt gates).
 * Each stub makes the frame uniform (a 0 where the CPU pushed no error code), pushes its
 * vector number and jumps to trap_entry, which saves the registers and calls
 *     void trap(struct trapframe *tf);    (guest/trap.c)
 * Every stub starts VECTOR_STUB_SIZE-aligned (guest/trap.h), so stub n is at vector_stubs +
 * n * size; the longest is 12 bytes (push imm8, push imm32, jmp rel32).
 */

/* Exceptions for which the CPU pushes an error code: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
#define ERRCODE_VECTORS ((1<<8)|(1<<10)|(1<<11)|(1<<12)|(1<<13)|(1<<14)|(1<<17)|(1<<21)|(1<<29)|(1<<30))

/* One stub, for the vector number held in the assembler symbol `n`. */
	.macro vector_stub
	.balign VECTOR_STUB_SIZE
	.if n >= 32
	pushq	$0
	.elseif ((ERRCODE_VECTORS >> n) & 1) == 0
	pushq	$0
	.endif
	pushq	$n
	jmp	trap_entry
	.endm

	.text
	.globl vector_stubs
	.balign VECTOR_STUB_SIZE
vector_stubs:
	.set n, 0
	.rept 256
	vector_stub
	.set n, n + 1
	.endr

/*
 * trap: save the interrupted context as a struct trapframe and call trap(tf).
 * From ring 3, GS holds the user's base: swapgs gives the kernel its own.
 */
	.globl trap_entry
trap_entry:
	testb	$3, (TF_CS - TF_TRAPNO)(%rsp)
	jz	1f
	swapgs
1:	TRAP_SAVE
	movq	%rsp, %rdi
	call	trap
	/* fall through to trapret */

/*
 * trapret: return-from-trap. RSP points at a struct trapframe; restore it and IRETQ.
 * A new task starts here too, from a frame built by hand (guest/task.c).
 */
	.globl trapret
trapret:
	TRAP_RESTORE
	iretq
