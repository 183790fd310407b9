/* guest/vectors.S: the trap table's 256 entry stubs, the common trap entry and return-from-trap. */
#include "../abi/x86.h"
#include "mitigate.h"
#include "trapframe.h"

/*
 * Hardware contract (SDM 6.14): on an interrupt or exception in long mode the CPU
 *   - switches to TSS.RSP0 if it came from ring 3 (or to TSS.IST[n] if the gate names one),
 *   - aligns RSP to 16 and pushes SS, RSP, RFLAGS, CS, RIP, then an error code for some
 *     exceptions, and clears RFLAGS.IF (interrupt gates).
 * Each stub makes the frame uniform (a 0 where the CPU pushed no error code), pushes its
 * vector number and jumps to trap_entry, which saves the registers and calls
 *     void trap(struct trapframe *tf);    (guest/trap.c)
 * Every stub starts VECTOR_STUB_SIZE-aligned, so stub n is at vector_stubs + n * size; the
 * longest is 12 bytes (push imm8, push imm32, jmp rel32).
 */

#define VECTOR_STUB_SIZE 16
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
 * trapret: return-from-trap. RSP points at a struct trapframe; restore it and IRETQ.
 * A new task starts at trapret too, from a frame built by hand (guest/task.c).
 *
 * One macro makes trap_entry/trapret, which every vector uses, and the bench's copies with
 * a speculative-execution defence (guest/mitigate.h), which only the kvm_pvm system-call
 * path (#BP, guest/pvm_compat.c) takes while a benchmark task that asked for one runs.
 */
	.macro TRAP_ENTRY entry, ret, mitigation
	.globl \entry
\entry:
	testb	$3, (TF_CS - TF_TRAPNO)(%rsp)
	jz	1f
	swapgs
1:	PUSH_GPRS
	cld				/* the C ABI expects DF clear */
	/*
	 * Ring 3 may have set RFLAGS.AC, and an interrupt gate does not clear it: with AC set,
	 * SMAP would not stop the kernel touching user memory. CLAC would do this in one
	 * instruction but ends a kvm_pvm VM, so POPF a cleared copy. The user's AC is in the
	 * frame and comes back with IRETQ.
	 */
	pushfq
	andq	$~X86_RFLAGS_AC, (%rsp)
	popfq
	MITIGATE_ENTER \mitigation
	movq	%rsp, %rdi
	call	trap
	/* fall through */
	.globl \ret
\ret:
	MITIGATE_EXIT \mitigation
	POP_GPRS
	testb	$3, (TF_CS - TF_TRAPNO)(%rsp)
	jz	2f
	swapgs
2:	addq	$TF_STUB_WORDS_SIZE, %rsp
	iretq
	.endm

	TRAP_ENTRY trap_entry, trapret, MIT_NONE
	TRAP_ENTRY trap_entry_kpti, trapret_kpti, MIT_KPTI
	TRAP_ENTRY trap_entry_verw, trapret_verw, MIT_VERW
	TRAP_ENTRY trap_entry_ibpb, trapret_ibpb, MIT_IBPB
